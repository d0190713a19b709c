"""The readers' pages: what each one shows for public stories."""

import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import path, reverse
from django.utils import timezone

from articles.models import Article, Author, Page
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


def story_at(hours_ago, **kwargs):
    return ArticleFactory(published_at=timezone.now() - timedelta(hours=hours_ago), **kwargs)


def test_base_layout_has_skip_link_nav_and_footer(client):
    SectionFactory(name="Politics", slug="politics")
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<nav class="site-nav" aria-label="Sections">' in html
    assert '<a href="/politics/">Politics</a>' in html
    assert '<main id="main"' in html
    assert 'href="/pages/terms/"' in html
    assert 'href="/pages/privacy/"' in html
    assert "css/site.css" in html


def home_block(html, section):
    """The markup of `section`'s block on the home page."""
    start = html.index(f'<section class="home-section" aria-labelledby="home-section-{section.slug}">')
    return html[start : html.index("</section>", start)]


def test_home_shows_lead_latest_and_section_blocks(client):
    culture = SectionFactory(name="Culture")
    sport = SectionFactory(name="Sport")
    for n in range(8):
        story_at(100 + n, section=sport, title=f"Old sport {n}")
    lead = story_at(1, section=culture, title="The lead story")
    latest = story_at(2, section=culture, title="A latest story")

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("story-card--lead") == 1
    assert html.index("The lead story") < html.index("A latest story")
    assert response.context["lead"] == lead
    assert latest in response.context["secondary"]
    # The navigation and the cards name the sections too: look inside the section's own block.
    block = home_block(html, sport)
    assert f'class="block-heading"><a href="{sport.get_absolute_url()}">Sport</a></h2>' in block
    assert re.findall(r'class="story-card__title"><a [^>]+>([^<]+)</a>', block) == [
        "Old sport 5",
        "Old sport 6",
        "Old sport 7",
    ]
    assert f'aria-labelledby="home-section-{culture.slug}"' not in html  # all on top of the page


def test_home_section_blocks_show_each_sections_latest_few(client):
    sport = SectionFactory(name="Sport")
    culture = SectionFactory(name="Culture")
    top = [story_at(n, section=culture) for n in range(7)]
    sport_stories = [story_at(10 + n, section=sport) for n in range(6)]

    response = client.get("/")

    blocks = dict(response.context["section_blocks"])
    assert blocks[sport] == sport_stories[:4]
    assert culture not in blocks  # all of its stories are already on top of the page
    assert response.context["lead"] == top[0]
    assert response.context["secondary"] + response.context["latest"] == top[1:7]


def test_home_invites_readers_to_the_newsletter_page(client, settings):
    settings.SITE_NAME = "The Harbour Times"
    ArticleFactory()
    html = client.get("/").content.decode()
    promo = html.split('<aside class="newsletter-promo"')[1].split("</aside>")[0]
    assert '<h2 id="newsletter-promo-heading">Get all the news in your email</h2>' in promo
    assert "The best stories of The Harbour Times in your inbox." in promo
    assert (
        f'<a class="button-link" href="{reverse("newsletter:index")}">Sign up for the newsletter</a>' in promo
    )


def test_home_without_stories(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No stories yet." in response.content.decode()


def test_story_page_parts_in_order(client):
    first = AuthorFactory(name="Ana First")
    second = AuthorFactory(name="Bo Second")
    tag = TagFactory(name="Elections")
    image = ImageFactory(alt_text="Voters queue", caption="Voters in line", credit="Agency")
    story = ArticleFactory(
        title="Polls close",
        subtitle="What happens next.",
        body="<p>Body text here.</p>",
        authors=[second, first],
        tags=[tag],
        hero_image=image,
    )
    other = ArticleFactory(section=story.section, tags=[tag], title="Related one")
    for _ in range(5):
        ArticleFactory(section=story.section)

    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    parts = [
        '<article class="story">',
        '<h1 class="story-title">Polls close</h1>',
        '<p class="story-dek">What happens next.</p>',
        '<p class="byline">',
        "Voters in line",
        '<div class="story-body"><p>Body text here.</p></div>',
        '<section class="in-this-story"',
        "In this Story",
        'id="newsletter"',
        '<section class="keep-reading"',
        "Keep reading",
        '<section class="more-in-section"',
    ]
    positions = [html.index(part) for part in parts]
    assert positions == sorted(positions)
    # Byline in ArticleAuthor.position order, each linking to its author page.
    assert html.index("Bo Second") < html.index("Ana First")
    assert f'<a rel="author" href="{second.get_absolute_url()}">Bo Second</a>' in html
    assert f'href="{tag.get_absolute_url()}">Elections</a>' in html
    assert other.title in html
    assert "draft-banner" not in html
    assert 'content="noindex"' not in html


def json_ld(html):
    """The JSON-LD blocks of a page."""
    return [
        json.loads(data) for data in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    ]


def test_byline_follows_the_order_the_newsroom_gave(client):
    story = story_bylined_out_of_order(title="Three voices")
    links = [
        f'<a rel="author" href="{Author.objects.get(name=name).get_absolute_url()}">{name}</a>'
        for name in BYLINE
    ]

    html = client.get(story.get_absolute_url()).content.decode()
    card = client.get(story.section.get_absolute_url()).content.decode()

    assert f"{links[0]}, {links[1]} and {links[2]}" in html
    (news_article,) = [data for data in json_ld(html) if data["@type"] == "NewsArticle"]
    assert [author["name"] for author in news_article["author"]] == BYLINE
    assert f"<span>By {', '.join(BYLINE)}</span>" in card


def test_more_in_section_heading_names_the_section(client):
    section = SectionFactory(name="Celebrity")
    story = ArticleFactory(section=section)
    for _ in range(5):  # four fill "Keep reading", the fifth is left for "More on"
        ArticleFactory(section=section)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "More on Celebrity" in html


def test_story_seo_tags(client):
    image = ImageFactory()
    story = ArticleFactory(
        title="Headline",
        subtitle="The dek.",
        seo_title="Search headline",
        seo_description="Search description.",
        hero_image=image,
    )
    html = client.get(story.get_absolute_url()).content.decode()
    assert f"<title>Search headline | {settings.SITE_NAME}</title>" in html
    assert '<meta name="description" content="Search description.">' in html
    assert f'<link rel="canonical" href="{settings.SITE_URL}{story.get_absolute_url()}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Search headline">' in html
    assert '<meta property="og:description" content="Search description.">' in html
    # Shared pictures are a stored rendition in the original's format (not every reader app knows
    # WebP), cut to 16:9 as share cards show them.
    share_url = image.rendition(1200, crop="16:9", formats={"PNG"}).file.url
    assert share_url.endswith(".png")
    assert f'<meta property="og:image" content="{settings.SITE_URL}{share_url}">' in html


def test_story_seo_defaults_to_title_and_dek(client):
    story = ArticleFactory(title="Plain headline", subtitle="Plain dek.")
    html = client.get(story.get_absolute_url()).content.decode()
    assert f"<title>Plain headline | {settings.SITE_NAME}</title>" in html
    assert '<meta name="description" content="Plain dek.">' in html


def test_updated_shown_with_note(client):
    story = ArticleFactory(updated_note="Adds the minister's reply.")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Updated" in html
    assert "Adds the minister&#x27;s reply." in html


def test_backdated_story_nobody_edited_is_not_updated(client):
    # Measured: a publish time set before the creation time showed "Updated" on an untouched story.
    story = ArticleFactory(published_at=timezone.now() - timedelta(days=1))
    html = client.get(story.get_absolute_url()).content.decode()
    assert "byline__updated" not in html


def test_updated_shown_when_edited_well_after_publication(client):
    story = ArticleFactory(published_at=timezone.now() - timedelta(days=1))
    Article.objects.filter(pk=story.pk).update(created_at=timezone.now() - timedelta(days=1))
    story.refresh_from_db()
    story.body = "<p>A corrected first paragraph.</p>"
    story.save()
    html = client.get(story.get_absolute_url()).content.decode()
    assert "byline__updated" in html


def test_publishing_an_old_draft_is_not_an_update(client):
    story = ArticleFactory(draft=True)
    Article.objects.filter(pk=story.pk).update(created_at=timezone.now() - timedelta(days=3))
    story.refresh_from_db()
    story.status = Article.Status.PUBLISHED
    story.save()
    html = client.get(story.get_absolute_url()).content.decode()
    assert "byline__updated" not in html


def test_not_updated_right_after_publication(client):
    story = ArticleFactory(published_at=timezone.now() - timedelta(minutes=2))
    html = client.get(story.get_absolute_url()).content.decode()
    assert "byline__updated" not in html


def test_section_page_lists_its_stories_with_description(client):
    section = SectionFactory(name="Science", description="Discoveries and research.")
    mine = ArticleFactory(section=section, title="A science story")
    ArticleFactory(title="Someone else's story")

    response = client.get(section.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Science</h1>" in html
    assert "Discoveries and research." in html
    assert list(response.context["page_obj"]) == [mine]
    assert "Someone else" not in html


def test_section_page_paginates(client):
    section = SectionFactory()
    stories = [story_at(n, section=section) for n in range(14)]

    first = client.get(section.get_absolute_url())
    second = client.get(section.get_absolute_url(), {"page": 2})

    assert list(first.context["page_obj"]) == stories[:12]
    assert list(second.context["page_obj"]) == stories[12:]
    assert 'href="?page=2"' in first.content.decode()
    assert 'href="?page=1"' in second.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "3", "-1", "1.5", "9" * 30])
def test_malformed_or_out_of_range_page_is_404(client, page):
    section = SectionFactory()
    for n in range(14):
        story_at(n, section=section)
    assert client.get(section.get_absolute_url(), {"page": page}).status_code == 404


def test_unknown_section_is_404(client):
    assert client.get("/no-such-section/").status_code == 404


def test_tag_page(client):
    tag = TagFactory(name="Climate")
    tagged = ArticleFactory(tags=[tag], title="Tagged story")
    ArticleFactory(title="Untagged story")

    response = client.get(tag.get_absolute_url())

    assert response.status_code == 200
    assert "<h1>Climate</h1>" in response.content.decode()
    assert list(response.context["page_obj"]) == [tagged]


def test_author_page(client):
    author = AuthorFactory(
        name="Rita Reporter", role="Science editor", bio="Covers space.", photo=ImageFactory()
    )
    mine = ArticleFactory(authors=[author, AuthorFactory()])
    ArticleFactory()

    response = client.get(author.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Rita Reporter</h1>" in html
    assert "Science editor" in html
    assert "Covers space." in html
    assert f'alt="{author.photo.alt_text}"' in html
    assert list(response.context["page_obj"]) == [mine]


def test_standing_pages_exist(client):
    for slug in ("terms", "privacy"):
        page = Page.objects.get(slug=slug)
        response = client.get(reverse("articles:page", args=[slug]))
        assert response.status_code == 200
        assert page.title in response.content.decode()


def test_search_finds_title_dek_and_body_case_insensitively(client):
    by_title = ArticleFactory(title="Harbour bridge reopens")
    by_dek = ArticleFactory(subtitle="The bridge was closed for a year.")
    by_body = ArticleFactory(body="<p>Engineers inspected the BRIDGE.</p>")
    ArticleFactory(title="Nothing to see")

    response = client.get(reverse("articles:search"), {"q": "Bridge"})

    assert response.status_code == 200
    assert set(response.context["page_obj"]) == {by_title, by_dek, by_body}
    assert "3 stories found" in response.content.decode()


def test_search_needs_every_word(client):
    both = ArticleFactory(title="Red kite returns")
    ArticleFactory(title="Red bus")
    response = client.get(reverse("articles:search"), {"q": "red  kite"})
    assert list(response.context["page_obj"]) == [both]


def test_empty_search_shows_the_form(client):
    ArticleFactory()
    response = client.get(reverse("articles:search"), {"q": "   "})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<input id="search-q" type="search" name="q"' in html
    assert response.context["page_obj"] is None


def test_search_pagination_keeps_the_query(client):
    for n in range(13):
        story_at(n, title=f"Budget story {n}")
    html = client.get(reverse("articles:search"), {"q": "budget"}).content.decode()
    assert 'href="?q=budget&amp;page=2"' in html


def test_feed_lists_public_stories(client):
    story = ArticleFactory(title="Feed story", subtitle="Feed dek.")
    response = client.get(reverse("articles:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    body = response.content.decode()
    assert "<title>Feed story</title>" in body
    assert story.get_absolute_url() in body


def test_sitemap_lists_public_stories_sections_and_pages(client):
    story = ArticleFactory()
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    body = ""
    for location in re.findall(r"<loc>([^<]+)</loc>", index.content.decode()):
        response = client.get(location.removeprefix(settings.SITE_URL))
        assert response.status_code == 200
        body += response.content.decode()
    assert story.get_absolute_url() in body
    assert story.section.get_absolute_url() in body
    assert "/pages/terms/" in body


def test_unknown_url_uses_our_404_template(client):
    response = client.get("/no-section/no-story/")
    assert response.status_code == 404
    assert "templates/404.html" in [
        t.origin.name.replace(str(settings.BASE_DIR) + "/", "") for t in response.templates
    ]
    html = response.content.decode()
    assert "Page not found" in html
    assert '<a class="skip-link" href="#main">' in html


def broken_view(request):
    raise RuntimeError("the database is on fire")


class BrokenURLConf:
    urlpatterns = [path("boom/", broken_view)]


def test_server_error_page_needs_no_database_or_context(client, settings, django_assert_num_queries):
    settings.ROOT_URLCONF = BrokenURLConf
    client.raise_request_exception = False
    with django_assert_num_queries(0):
        response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_section_page_marks_its_nav_link_current(client):
    section = SectionFactory(name="Health", slug="health")
    html = client.get(section.get_absolute_url()).content.decode()
    assert '<a href="/health/" aria-current="page">Health</a>' in html


def test_story_urls_follow_section_and_slug(client):
    story = ArticleFactory(slug="my-story", section=SectionFactory(slug="world"))
    assert story.get_absolute_url() == "/world/my-story/"
    assert client.get("/world/my-story/").context["article"] == story
