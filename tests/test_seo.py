"""Every public page's head: title, description, canonical, robots, share tags, feed links and JSON-LD."""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils import timezone

from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    EditorFactory,
    ImageFactory,
    NewsletterFactory,
    SectionFactory,
    TagFactory,
    uploaded_image,
)

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL
HOSTILE = "</script><script>alert(1)</script>"


class Head(HTMLParser):
    """The <head>'s title, meta tags (name or property -> values), links and JSON-LD blocks."""

    def __init__(self, html):
        super().__init__()
        self.title, self.meta, self.links, self.json_ld = "", {}, [], []
        self._in, self._script = None, None
        self.feed(html[: html.index("</head>")])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in = "title"
        elif tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta.setdefault(attrs.get("name") or attrs["property"], []).append(attrs["content"])
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in, self._script = "script", ""

    def handle_endtag(self, tag):
        if self._in == "script" and tag == "script":
            self.json_ld.append(json.loads(self._script))
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self._script += data

    def one(self, key):
        values = self.meta.get(key, [])
        assert len(values) == 1, (key, values)
        return values[0]

    def link(self, rel, type_=None):
        found = [
            link["href"] for link in self.links if link["rel"] == rel and type_ in (None, link.get("type"))
        ]
        assert len(found) == 1, (rel, type_, found)
        return found[0]

    def typed(self, kind):
        found = [data for data in self.json_ld if data["@type"] == kind]
        assert len(found) == 1, (kind, self.json_ld)
        return found[0]


def head(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    return Head(response.content.decode())


def assert_shared(page, title, description, url, robots="index, follow, max-image-preview:large"):
    assert (
        page.title == f"{title} | {settings.SITE_NAME}"
        if title != settings.SITE_NAME
        else page.title == title
    )
    assert page.one("description") == description
    assert page.one("og:description") == description
    assert page.one("twitter:description") == description
    assert page.one("og:title") == title
    assert page.one("twitter:title") == title
    assert page.one("og:site_name") == settings.SITE_NAME
    assert page.one("robots") == robots
    if url:
        assert page.link("canonical") == url
        assert page.one("og:url") == url


def breadcrumb(page):
    return [
        (item["position"], item["name"], item["item"])
        for item in page.typed("BreadcrumbList")["itemListElement"]
    ]


@pytest.fixture
def story():
    section = SectionFactory(name="City", slug="city")
    tags = [TagFactory(name="Harbour", slug="harbour"), TagFactory(name="Night buses", slug="night-buses")]
    authors = [AuthorFactory(name="Ana Ruiz", slug="ana-ruiz"), AuthorFactory(name="Bo Lund", slug="bo-lund")]
    published = timezone.now().replace(microsecond=0) - timedelta(days=2)
    return ArticleFactory(
        title=f"Ferries {HOSTILE} return",
        subtitle="The harbour's night crossings are back.",
        slug="ferries-return",
        section=section,
        tags=tags,
        authors=authors,
        hero_image=ImageFactory(),
        published_at=published,
        updated_note="Adds the timetable.",
    )


def test_story_head(client, story):
    page = head(client, story.get_absolute_url())
    url = f"{SITE}/city/ferries-return/"
    story.refresh_from_db()
    assert_shared(page, story.title, "The harbour's night crossings are back.", url)
    assert page.one("og:type") == "article"
    assert page.one("article:published_time") == story.published_at.isoformat(timespec="seconds")
    assert page.one("article:modified_time") == story.updated_at.isoformat(timespec="seconds")
    assert page.one("article:section") == "City"
    assert page.meta["article:author"] == [f"{SITE}/author/ana-ruiz/", f"{SITE}/author/bo-lund/"]
    assert page.meta["article:tag"] == ["Harbour", "Night buses"]
    assert page.one("twitter:card") == "summary_large_image"
    share = story.hero_image.rendition(1200, crop="16:9", formats={"PNG"})
    assert page.one("og:image") == SITE + share.file.url
    assert page.one("twitter:image") == SITE + share.file.url
    assert page.one("og:image:width") == str(share.width)
    assert page.one("og:image:alt") == story.hero_image.alt_text
    feeds = [link["href"] for link in page.links if link["rel"] == "alternate"]
    assert feeds == ["/feed/section/city/", "/feed/section/city/atom/", "/feed/", "/feed/atom/"]


def test_story_json_ld_news_article(client, story):
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    # The hostile headline is in the page three times, escaped, and never as a raw closing tag.
    assert html.count("</script>") == html.count("<script")
    page = Head(html)
    story.refresh_from_db()
    article = page.typed("NewsArticle")
    url = f"{SITE}/city/ferries-return/"
    assert article["@context"] == "https://schema.org"
    assert article["headline"] == story.title
    assert HOSTILE in article["headline"]
    assert article["description"] == "The harbour's night crossings are back."
    assert article["datePublished"] == story.published_at.isoformat(timespec="seconds")
    assert article["dateModified"] == story.updated_at.isoformat(timespec="seconds")
    assert article["author"] == [
        {"@type": "Person", "name": "Ana Ruiz", "url": f"{SITE}/author/ana-ruiz/"},
        {"@type": "Person", "name": "Bo Lund", "url": f"{SITE}/author/bo-lund/"},
    ]
    assert article["publisher"]["@type"] == "Organization"
    assert article["publisher"]["name"] == settings.SITE_NAME
    assert article["publisher"]["logo"]["url"] == f"{SITE}/static/{settings.SITE_LOGO}"
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert article["articleSection"] == "City"
    assert article["keywords"] == ["Harbour", "Night buses"]
    assert article["isAccessibleForFree"] is True
    # One picture per aspect ratio search engines ask for, in their order, each with its size.
    ratios = [round(image["width"] / image["height"], 2) for image in article["image"]]
    assert ratios == [round(16 / 9, 2), round(4 / 3, 2), 1.0]
    for image in article["image"]:
        assert image["url"].startswith(f"{SITE}/media/")
        assert image["width"] > 0 and image["height"] > 0
    assert breadcrumb(page) == [
        (1, settings.SITE_NAME, f"{SITE}/"),
        (2, "City", f"{SITE}/city/"),
        (3, story.title, url),
    ]


def test_json_ld_lists_each_crop_at_its_widest(client):
    hero = ImageFactory(file=uploaded_image("wide.jpg", 2000, 1000, "JPEG"))
    story = ArticleFactory(hero_image=hero)

    article = head(client, story.get_absolute_url()).typed("NewsArticle")

    def image_object(crop, width):
        rendition = hero.renditions.get(crop=crop, width=width, format="JPEG")
        url = SITE + rendition.file.url
        return {"@type": "ImageObject", "url": url, "width": width, "height": rendition.height}

    # 16:9 and 1:1 at every width, the widest listed; 4:3 is cut at the share width only.
    assert article["image"] == [
        image_object("16:9", 1600),
        image_object("4:3", 1200),
        image_object("1:1", 1000),
    ]
    assert [(image["width"], image["height"]) for image in article["image"]] == [
        (1600, 900),
        (1200, 900),
        (1000, 1000),
    ]


def test_author_photo_is_square_on_the_page_and_on_share_cards(client):
    photo = ImageFactory(file=uploaded_image("face.jpg", 1200, 900, "JPEG"), alt_text="Ana smiling")
    author = AuthorFactory(slug="ana", photo=photo)

    html = client.get(author.get_absolute_url()).content.decode()

    page = Head(html)
    share = photo.renditions.get(crop="1:1", width=800, format="JPEG")
    assert page.one("og:image") == SITE + share.file.url
    assert page.one("og:image:width") == "800"
    assert page.one("og:image:height") == "800"
    img = re.search(r'<img [^>]*alt="Ana smiling"[^>]*>', html).group(0)
    assert 'width="800" height="800"' in img  # the page shows the square cut too


def test_story_preview_is_noindex(client, story):
    draft = ArticleFactory(draft=True, section=story.section, slug="draft-story")
    client.force_login(EditorFactory())
    page = head(client, draft.get_absolute_url())
    assert page.one("robots") == "noindex"


def test_home_head_and_website_search_action(client, story):
    page = head(client, "/")
    assert_shared(page, settings.SITE_NAME, f"The latest news from {settings.SITE_NAME}.", f"{SITE}/")
    website = page.typed("WebSite")
    assert website["url"] == f"{SITE}/"
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == f"{SITE}/search/?q={{search_term_string}}"
    assert action["query-input"] == "required name=search_term_string"
    assert [link["href"] for link in page.links if link["rel"] == "alternate"] == ["/feed/", "/feed/atom/"]


def test_section_head_and_pages(client, story):
    story.section.description = "News from the city."
    story.section.save()
    for n in range(12):
        ArticleFactory(section=story.section, slug=f"more-{n}")
    page = head(client, "/city/?utm_source=x")
    assert_shared(page, "City", "News from the city.", f"{SITE}/city/")
    assert breadcrumb(page) == [(1, settings.SITE_NAME, f"{SITE}/"), (2, "City", f"{SITE}/city/")]
    assert [link["href"] for link in page.links if link["rel"] == "alternate"][:2] == [
        "/feed/section/city/",
        "/feed/section/city/atom/",
    ]
    second = head(client, "/city/?page=2")
    assert_shared(second, "City, page 2", "News from the city.", f"{SITE}/city/?page=2")


def test_tag_head(client, story):
    page = head(client, "/tag/harbour/")
    assert_shared(
        page, "Harbour", f"Every story about Harbour from {settings.SITE_NAME}.", f"{SITE}/tag/harbour/"
    )
    assert breadcrumb(page) == [(1, settings.SITE_NAME, f"{SITE}/"), (2, "Harbour", f"{SITE}/tag/harbour/")]
    assert [link["href"] for link in page.links if link["rel"] == "alternate"][:2] == [
        "/feed/tag/harbour/",
        "/feed/tag/harbour/atom/",
    ]


def test_author_head(client, story):
    page = head(client, "/author/ana-ruiz/")
    assert_shared(page, "Ana Ruiz", "Writes about things.", f"{SITE}/author/ana-ruiz/")
    assert page.one("og:type") == "profile"
    assert "/feed/author/ana-ruiz/" in [link["href"] for link in page.links]


def test_standing_page_head(client):
    from articles.models import Page

    Page.objects.create(
        title="Terms", slug="terms-x", body="<p>Use the <strong>site</strong> &amp; be kind.</p>"
    )
    page = head(client, "/pages/terms-x/")
    assert_shared(page, "Terms", "Use the site & be kind.", f"{SITE}/pages/terms-x/")


def test_search_is_noindex(client, story):
    page = head(client, "/search/?q=ferries")
    assert page.one("robots") == "noindex"
    assert page.link("canonical") == f"{SITE}/search/"


def test_newsletter_pages_have_a_canonical(client):
    from newsletter.models import Newsletter

    Newsletter.objects.all().delete()
    daily = NewsletterFactory(name="Daily", slug="daily", is_default=True, description="Every morning.")
    NewsletterFactory(name="Weekly", slug="weekly", is_default=False, description="On Sundays.")
    page = head(client, "/newsletter/")
    assert_shared(page, "Daily", "Every morning.", f"{SITE}/newsletter/")
    # The default newsletter's own address shows the same page: one canonical.
    assert head(client, daily.get_absolute_url()).link("canonical") == f"{SITE}/newsletter/"
    assert head(client, "/newsletter/weekly/").link("canonical") == f"{SITE}/newsletter/weekly/"


def test_not_found_is_noindex_without_canonical(client):
    page = head(client, "/no/such/page/", status=404)
    assert page.one("robots") == "noindex"
    assert not [link for link in page.links if link["rel"] == "canonical"]


def test_head_is_the_same_bytes_whatever_the_request(client, story, settings):
    """No host, query string or reader in the metadata: the canonical ignores ?utm_source."""
    settings.PAGE_CACHE_SECONDS = 0
    url = story.get_absolute_url()
    first = client.get(url).content.split(b"</head>")[0]
    second = client.get(url + "?utm_source=mail", HTTP_HOST="localhost").content.split(b"</head>")[0]
    assert first == second


def test_times_are_valid_html_whole_seconds(client, story):
    """HTML's datetime allows at most 3 decimals of a second: the byline's times have none."""
    html = client.get(story.get_absolute_url()).content.decode()
    story.refresh_from_db()
    assert f'datetime="{story.published_at.isoformat(timespec="seconds")}"' in html
    assert f'datetime="{story.updated_at.isoformat(timespec="seconds")}"' in html
    assert "a.m.:" not in html and "p.m.:" not in html
    assert " — Adds the timetable." in html
