"""The sitemap index and its sitemaps parse as XML and list only public content; the news sitemap
keeps to the last 48 hours; robots.txt points at the index; favicon and manifest are served."""

import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone

from articles.models import Article, Page
from articles.sitemaps import StorySitemap
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def locations(root):
    return [loc.text for loc in root.findall("s:*/s:loc", NS)]


def get_path(url):
    assert url.startswith(SITE)
    return url[len(SITE) :]


@pytest.fixture
def site():
    section = SectionFactory(slug="city")
    tag = TagFactory(slug="harbour")
    author = AuthorFactory(slug="ana")
    public = ArticleFactory(
        slug="public", section=section, tags=[tag], authors=[author], hero_image=ImageFactory()
    )
    hidden = [
        ArticleFactory(draft=True, slug="draft", section=section),
        ArticleFactory(scheduled=True, slug="scheduled", section=section),
    ]
    Page.objects.create(title="Terms", slug="terms-x", body="<p>Terms.</p>")
    return public, hidden


def test_index_lists_every_sitemap_on_site_url(client, site):
    root = xml(client, "/sitemap.xml", HTTP_HOST="localhost")
    assert root.tag == f"{{{NS['s']}}}sitemapindex"
    assert locations(root) == [
        f"{SITE}/sitemap-{name}.xml" for name in ("stories", "news", "sections", "tags", "authors", "pages")
    ]
    for location in locations(root):
        xml(client, get_path(location))


def test_stories_sitemap_only_public_with_lastmod_and_picture(client, site):
    public, _hidden = site
    root = xml(client, "/sitemap-stories.xml")
    (url,) = root.findall("s:url", NS)
    assert url.find("s:loc", NS).text == f"{SITE}/city/public/"
    public.refresh_from_db()
    assert url.find("s:lastmod", NS).text == public.updated_at.isoformat(timespec="seconds")
    assert url.find("image:image/image:loc", NS).text == SITE + public.hero_image.file.url


def test_stories_split_into_files_of_at_most_the_limit(client, site, monkeypatch):
    monkeypatch.setattr(StorySitemap, "limit", 2)
    more = [ArticleFactory(slug=f"more-{n}") for n in range(4)]
    ArticleFactory(draft=True, slug="late-draft")
    index = locations(xml(client, "/sitemap.xml"))
    files = [location for location in index if "sitemap-stories" in location]
    assert len(files) >= 3
    listed = []
    for location in files:
        found = locations(xml(client, get_path(location)))
        assert len(found) <= 2
        listed += found
    expected = [site[0], *more]
    assert sorted(listed) == sorted(SITE + story.get_absolute_url() for story in expected)
    # Files follow id ranges; PostgreSQL's ids keep counting across tests, so look past the highest.
    beyond = Article.objects.order_by("-pk").values_list("pk", flat=True).first() // 2 + 2
    assert client.get(f"/sitemap-stories.xml?p={beyond}").status_code == 404
    assert client.get("/sitemap-stories.xml?p=x").status_code == 404


def test_a_stories_file_runs_two_queries_whatever_its_size(
    client, site, settings, django_assert_max_num_queries
):
    # The file's own queries: the page cache adds one when a change made in the same transaction
    # starts its new generation (tests/test_page_cache.py).
    settings.PAGE_CACHE_SECONDS = 0
    for n in range(30):
        ArticleFactory(slug=f"bulk-{n}", hero_image=ImageFactory() if n % 10 == 0 else None)
    with django_assert_max_num_queries(2):  # the highest id, then the file's stories
        assert client.get("/sitemap-stories.xml").status_code == 200


def test_news_sitemap_keeps_to_48_hours(client, site):
    now = timezone.now()
    recent = ArticleFactory(slug="recent", title="Harbour & ferries", published_at=now - timedelta(hours=47))
    ArticleFactory(slug="old", published_at=now - timedelta(hours=49))
    root = xml(client, "/sitemap-news.xml")
    urls = {url.find("s:loc", NS).text: url for url in root.findall("s:url", NS)}
    assert set(urls) == {f"{SITE}/city/public/", SITE + recent.get_absolute_url()}
    news = urls[SITE + recent.get_absolute_url()].find("news:news", NS)
    assert news.find("news:publication/news:name", NS).text == settings.SITE_NAME
    assert news.find("news:publication/news:language", NS).text == settings.LANGUAGE_CODE
    recent.refresh_from_db()
    assert news.find("news:publication_date", NS).text == recent.published_at.isoformat(timespec="seconds")
    assert news.find("news:title", NS).text == "Harbour & ferries"


def test_sections_tags_authors_and_pages(client, site):
    assert locations(xml(client, "/sitemap-sections.xml")) == [f"{SITE}/city/"]
    assert locations(xml(client, "/sitemap-tags.xml")) == [f"{SITE}/tag/harbour/"]
    assert f"{SITE}/author/ana/" in locations(xml(client, "/sitemap-authors.xml"))
    pages = locations(xml(client, "/sitemap-pages.xml"))
    assert pages[:2] == [f"{SITE}/", f"{SITE}/newsletter/"]
    assert f"{SITE}/pages/terms-x/" in pages


def test_robots_txt_points_at_the_index_and_follows_its_setting(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert text.endswith(f"Sitemap: {SITE}/sitemap.xml\n")
    settings.ROBOTS_TXT = "User-agent: *\nDisallow: /"
    assert client.get("/robots.txt").content.decode().startswith("User-agent: *\nDisallow: /\n")


def test_favicon_and_manifest(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    assert manifest["name"] == settings.SITE_NAME
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL)), icon
