"""HTTP caching: Cache-Control and validators on every kind of answer, 304s, compression, media."""

import gzip
import importlib

import brotli
import pytest
from backports import zstd
from django.urls import clear_url_caches, reverse

from tests.factories import ArticleFactory, EditorFactory, ImageFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["home", "section", "story", "tag", "author", "page", "search", "feed", "sitemap"]


@pytest.fixture
def site():
    """One public story with a tag, its section and author, and a standing page; URL per page."""
    from articles.models import Page

    story = ArticleFactory(title="Harbour bridge reopens", tags=[TagFactory()])
    page = Page.objects.create(title="House rules", slug="house-rules", body="<p>The rules.</p>")
    return {
        "story_obj": story,
        "home": reverse("articles:home"),
        "section": story.section.get_absolute_url(),
        "story": story.get_absolute_url(),
        "tag": story.tags.get().get_absolute_url(),
        "author": story.authors.get().get_absolute_url(),
        "page": page.get_absolute_url(),
        "search": reverse("articles:search") + "?q=harbour",
        "feed": reverse("articles:feed"),
        "sitemap": "/sitemap.xml",
    }


def directives(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.fixture
def http_cache_settings(settings):
    settings.HTTP_CACHE_MAX_AGE = 61
    settings.HTTP_CACHE_S_MAXAGE = 601
    settings.HTTP_CACHE_STALE_WHILE_REVALIDATE = 31
    return settings


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_may_be_cached_by_anyone(client, site, http_cache_settings, page):
    response = client.get(site[page])

    assert response.status_code == 200
    assert directives(response) == {"public", "max-age=61", "s-maxage=601", "stale-while-revalidate=31"}
    assert response["ETag"]
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_a_conditional_get_of_an_unchanged_page_is_304(client, site, page):
    first = client.get(site[page])

    again = client.get(site[page], HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_a_changed_page_is_sent_again_in_full(client, site):
    first = client.get(site["story"])
    story = site["story_obj"]
    story.title = "Harbour bridge reopens after repairs"
    story.save()

    again = client.get(site["story"], HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert "after repairs" in again.content.decode()


def test_feed_answers_if_modified_since(client, site):
    first = client.get(site["feed"])
    assert first["Last-Modified"]

    assert client.get(site["feed"], HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def assert_private(response):
    assert {"private", "no-store"} <= directives(response), response.get("Cache-Control")
    assert "public" not in directives(response)


@pytest.mark.parametrize("kind", [{"draft": True}, {"scheduled": True}])
def test_previews_are_private(client, kind):
    client.force_login(EditorFactory())
    story = ArticleFactory(**kind)

    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    assert "draft-banner" in response.content.decode()
    assert_private(response)


def test_drafts_are_a_404_with_no_public_caching(client):
    story = ArticleFactory(draft=True)

    response = client.get(story.get_absolute_url())

    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("page", ["home", "story", "section"])
def test_staff_see_public_pages_privately(client, site, page):
    client.force_login(EditorFactory())

    assert_private(client.get(site[page]))


def test_signed_in_readers_get_private_pages_too(client, site):
    client.force_login(UserFactory())

    assert_private(client.get(site["home"]))


@pytest.mark.parametrize("url", ["/admin/", "/admin/login/", "/admin/articles/article/"])
def test_the_admin_is_private(client, url):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))

    assert_private(client.get(url))


def test_newsletter_post_answers_are_private(client, site):
    from newsletter.models import Newsletter

    newsletter = Newsletter.objects.active().first() or Newsletter.objects.create(name="Daily", slug="daily")
    response = client.post(
        reverse("newsletter:subscribe", kwargs={"slug": newsletter.slug}),
        {"email": "not-an-address"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code >= 400
    assert_private(response)


# --- Compression ---


def assert_whole_page(html):
    assert "Harbour bridge reopens" in html
    assert html.rstrip().endswith("</html>")


def test_brotli_when_the_client_accepts_it(client, site):
    plain = client.get(site["home"]).content

    response = client.get(site["home"], HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response["Content-Encoding"] == "br"
    assert "accept-encoding" in response["Vary"].lower()
    assert_whole_page(brotli.decompress(response.content).decode())
    assert len(response.content) < len(plain)


def test_zstd_for_browsers_that_offer_it(client, site):
    response = client.get(site["home"], HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")

    assert response["Content-Encoding"] == "zstd"
    assert_whole_page(zstd.decompress(response.content).decode())


def test_gzip_otherwise(client, site):
    response = client.get(site["story"], HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert_whole_page(gzip.decompress(response.content).decode())


def test_no_compression_without_accept_encoding(client, site):
    assert "Content-Encoding" not in client.get(site["home"]).headers


def test_pages_with_a_secret_are_never_compressed(client):
    """BREACH: the admin's login form carries a CSRF token, so it leaves uncompressed."""
    response = client.get("/admin/login/", HTTP_ACCEPT_ENCODING="gzip, br")

    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response.headers


def test_staff_pages_are_never_compressed(client, site):
    client.force_login(EditorFactory())

    assert "Content-Encoding" not in client.get(site["home"], HTTP_ACCEPT_ENCODING="gzip, br").headers


# --- Media ---


@pytest.fixture
def media_served_by_django(settings):
    """newsroom/urls.py adds the media route only when DJANGO_SERVE_MEDIA is on: reload it so."""
    import newsroom.urls

    settings.SERVE_MEDIA = True
    importlib.reload(newsroom.urls)
    clear_url_caches()
    yield
    settings.SERVE_MEDIA = False
    importlib.reload(newsroom.urls)
    clear_url_caches()


def test_media_files_are_cached_for_a_year_as_immutable(client, media_served_by_django):
    image = ImageFactory()
    rendition = image.renditions.first()

    for url in (image.file.url, rendition.file.url):
        response = client.get(url)
        assert response.status_code == 200
        assert directives(response) == {"public", "max-age=31536000", "immutable"}
        response.close()


def test_a_missing_media_file_is_not_cached_for_a_year(client, media_served_by_django):
    response = client.get("/media/images/2020/01/missing.png")

    assert response.status_code == 404
    assert "immutable" not in response.get("Cache-Control", "")
