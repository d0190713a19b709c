"""RSS and Atom feeds of the site, a section, a tag and an author: valid (feedparser, no bozo), only
public stories, each with its full body and its hero picture."""

import feedparser
import pytest
from django.conf import settings

from tests.factories import (
    BYLINE,
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
    story_bylined_out_of_order,
)

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL


@pytest.fixture
def stories():
    section = SectionFactory(slug="city")
    tag = TagFactory(slug="harbour")
    author = AuthorFactory(slug="ana")
    public = ArticleFactory(
        title="Ferries return & more",
        subtitle="The dek.",
        slug="ferries",
        section=section,
        tags=[tag],
        authors=[author],
        hero_image=ImageFactory(),
        body='<p>The <strong>night</strong> crossings <a href="/city/other/">are back</a>.</p>',
    )
    hidden = [
        ArticleFactory(draft=True, slug="draft-one", section=section, tags=[tag], authors=[author]),
        ArticleFactory(scheduled=True, slug="scheduled-one", section=section, tags=[tag], authors=[author]),
    ]
    return public, hidden


FEEDS = ["/feed/", "/feed/section/city/", "/feed/tag/harbour/", "/feed/author/ana/"]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


@pytest.mark.parametrize("url", FEEDS + [url + "atom/" for url in FEEDS])
def test_feed_is_valid_and_holds_public_stories_with_content_and_picture(client, stories, url):
    public, hidden = stories
    response, parsed = parse(client, url)
    atom = url.endswith("atom/")
    assert response["Content-Type"].startswith("application/atom+xml" if atom else "application/rss+xml")
    assert parsed.version == ("atom10" if atom else "rss20")
    assert [entry.link for entry in parsed.entries] == [f"{SITE}/city/ferries/"]
    entry = parsed.entries[0]
    assert entry.title == "Ferries return & more"
    assert entry.summary == "The dek."
    # The whole sanitized body, its site links made absolute.
    body = entry.content[0].value
    assert "<strong>night</strong>" in body
    assert f'href="{SITE}/city/other/"' in body
    image = public.hero_image
    (enclosure,) = [link for link in entry.links if link.rel == "enclosure"]
    assert enclosure.href == SITE + image.file.url
    assert enclosure.type == "image/png"
    assert int(enclosure.length) == image.file_size
    (media,) = entry.media_content
    assert media["url"] == SITE + image.rendition(1200, crop="16:9", formats={"PNG"}).file.url
    assert media["medium"] == "image"
    for story in hidden:
        assert story.slug.encode() not in response.content


def test_feed_dek_only_by_setting(client, stories, settings):
    settings.FEED_FULL_TEXT = False
    _response, parsed = parse(client, "/feed/")
    assert "content" not in parsed.entries[0]
    assert parsed.entries[0].summary == "The dek."


def test_feed_of_a_missing_section_is_404(client):
    assert client.get("/feed/section/nowhere/").status_code == 404
    assert client.get("/feed/tag/nowhere/atom/").status_code == 404


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_feed_entry_names_every_author_in_byline_order(client, url):
    story_bylined_out_of_order()

    _response, parsed = parse(client, url)

    (entry,) = parsed.entries
    assert entry.author_detail == {"name": ", ".join(BYLINE)}  # RSS dc:creator, Atom author name
