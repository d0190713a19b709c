"""The page cache: a second anonymous request runs no SQL, and any change shows at once.

Every test runs on the local-memory cache and on the real Redis at 127.0.0.1:6379 (CI starts it).
"""

import logging
import os
import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Page
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    EditorFactory,
    ImageFactory,
    NewsletterFactory,
    SectionFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/12"  # a database of its own: other suites flush theirs


def redis_caches(url, prefix):
    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": prefix,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    return {"default": backend, "pages": {**backend, "KEY_PREFIX": f"{prefix}-pages"}}


@pytest.fixture
def real_redis(settings):
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        message = f"Redis is not reachable at {REDIS_URL} (CI starts it; locally: redis-server)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must test the real Redis, never skip it
        pytest.skip(message)
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = redis_caches(REDIS_URL, prefix)
    yield client
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


@pytest.fixture(params=["locmem", "redis"])
def backend(request):
    """Run the test on the local-memory cache and on Redis."""
    if request.param == "redis":
        request.getfixturevalue("real_redis")
    return request.param


@pytest.fixture
def scene():
    """A section with a tagged, illustrated story; a draft; a standing page; the section's newsletter."""
    section = SectionFactory(name="Harbour", slug="harbour")
    empty_section = SectionFactory(name="Weather", slug="weather")
    tag = TagFactory(name="Ferries", slug="ferries")
    author = AuthorFactory(name="Nadia Ferreira", slug="nadia-ferreira")
    hero = ImageFactory(caption="The old quay at dawn")
    story = ArticleFactory(
        title="Night ferry returns", section=section, tags=[tag], authors=[author], hero_image=hero
    )
    draft = ArticleFactory(title="Tunnel plan leaked", section=section, draft=True)
    page = Page.objects.create(title="House rules", slug="house-rules", body="<p>Be kind.</p>")
    newsletter = NewsletterFactory(section=section, description="Harbour news every morning.")
    return {
        "section": section,
        "empty section": empty_section,
        "tag": tag,
        "author": author,
        "hero": hero,
        "story": story,
        "draft": draft,
        "page": page,
        "newsletter": newsletter,
    }


PAGES = {
    "home": lambda s: reverse("articles:home"),
    "section": lambda s: s["section"].get_absolute_url(),
    "story": lambda s: s["story"].get_absolute_url(),
    "tag": lambda s: s["tag"].get_absolute_url(),
    "author": lambda s: s["author"].get_absolute_url(),
    "page": lambda s: s["page"].get_absolute_url(),
    "search": lambda s: reverse("articles:search") + "?q=ferry",
    "feed": lambda s: reverse("articles:feed"),
    "sitemap": lambda s: "/sitemap.xml",
}


def warm(client, url, django_assert_num_queries):
    """Fetch `url` until it comes from the cache: the second request must run no SQL."""
    first = client.get(url)
    assert first.status_code == 200, url
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first.content
    return second


@pytest.mark.parametrize("page", list(PAGES))
def test_a_second_request_runs_no_sql(client, backend, scene, page, django_assert_num_queries):
    warm(client, PAGES[page](scene), django_assert_num_queries)


def test_head_and_conditional_get_come_from_the_cache(client, backend, scene, django_assert_num_queries):
    url = PAGES["story"](scene)
    cached = warm(client, url, django_assert_num_queries)

    with django_assert_num_queries(0):
        assert client.head(url).status_code == 200
        assert client.get(url, HTTP_IF_NONE_MATCH=cached["ETag"]).status_code == 304


def renders(client, url, **extra):
    """Whether fetching `url` ran SQL, i.e. did not come from the page cache."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return len(queries) > 0, response


def test_a_head_request_never_caches_an_empty_page(client, backend, scene, django_assert_num_queries):
    url = PAGES["story"](scene)
    client.head(url)

    with django_assert_num_queries(0):
        response = client.get(url)
    assert b"Night ferry returns" in response.content


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_HOST": "other.example.com"},
        {"secure": True},
        {"HTTP_X_FORWARDED_PROTO": "https"},
    ],
    ids=["host", "scheme", "scheme behind a proxy"],
)
def test_each_host_and_scheme_has_its_own_pages(
    client, backend, scene, settings, extra, django_assert_num_queries
):
    """A page cached for one address (its links, redirects) is never served for another."""
    settings.ALLOWED_HOSTS = ["testserver", "other.example.com"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    url = PAGES["story"](scene)
    warm(client, url, django_assert_num_queries)

    assert renders(client, url, **extra)[0]
    with django_assert_num_queries(0):
        client.get(url, **extra)


def test_tracking_parameters_get_the_cached_page(client, backend, scene, django_assert_num_queries):
    """A widely shared story arrives with utm_*/fbclid on every link: one cached page serves them
    all, and no reader's click id is written into the page others get."""
    url = PAGES["story"](scene)
    cached = warm(client, url, django_assert_num_queries)

    with django_assert_num_queries(0):
        response = client.get(f"{url}?utm_source=social&utm_medium=share&fbclid=IwAR0reader1")
    assert response.content == cached.content

    search = warm(client, PAGES["search"](scene), django_assert_num_queries)
    with django_assert_num_queries(0):
        response = client.get(f"{PAGES['search'](scene)}&gclid=abc")
    assert response.content == search.content


def test_a_page_rendered_for_a_tracked_link_is_the_plain_page(
    client, backend, scene, django_assert_num_queries
):
    url = PAGES["story"](scene)
    tracked = client.get(f"{url}?fbclid=IwAR0reader1&utm_campaign=spring")
    assert b'name="next"' in tracked.content
    assert b"IwAR0reader1" not in tracked.content and b"utm_" not in tracked.content

    with django_assert_num_queries(0):
        assert client.get(url).content == tracked.content


def test_the_query_parameters_pages_read_are_cached(client, backend, scene, django_assert_num_queries):
    for url in (PAGES["search"](scene) + "&page=1", "/sitemap-stories.xml?p=1"):
        warm(client, url, django_assert_num_queries)


def test_unknown_query_strings_do_not_fill_the_cache(client, backend, scene):
    """Random query strings (a crawler, a flood) are rendered, never stored, so they cannot push
    the readers' pages out of the cache."""
    url = f"{PAGES['home'](scene)}?nonce={uuid.uuid4().hex}"
    client.get(url)

    assert renders(client, url)[0]


def test_a_missing_page_is_not_cached(client, backend, scene):
    url = reverse("articles:tag", kwargs={"slug": "no-such-tag"})
    assert client.get(url).status_code == 404

    rendered, response = renders(client, url)
    assert rendered and response.status_code == 404


def test_each_coding_is_cached_compressed(client, backend, scene, django_assert_num_queries):
    url = PAGES["home"](scene)
    client.get(url, HTTP_ACCEPT_ENCODING="br")

    with django_assert_num_queries(0):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "br"


# --- Invalidation: each kind of change shows on the next request ---


def admin_client():
    staff = Client()
    staff.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return staff


def admin_action(action, *stories, **extra):
    response = admin_client().post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [story.pk for story in stories], **extra},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def publish(story):
    story.status, story.published_at = Article.Status.PUBLISHED, timezone.now()
    story.save()


def rename(obj, field, value):
    setattr(obj, field, value)
    obj.save()


# (page watched, change, text that must (True) or must not (False) be on the page afterwards)
CHANGES = {
    "story saved": (
        "home",
        lambda s: rename(s["story"], "title", "Night ferry cancelled"),
        "Night ferry cancelled",
        True,
    ),
    "story published": ("home", lambda s: publish(s["draft"]), "Tunnel plan leaked", True),
    "story unpublished": (
        "home",
        lambda s: rename(s["story"], "status", Article.Status.DRAFT),
        "Night ferry returns",
        False,
    ),
    "story deleted": ("home", lambda s: s["story"].delete(), "Night ferry returns", False),
    "queryset update": (
        "home",
        lambda s: Article.objects.filter(pk=s["story"].pk).update(title="Ferry renamed in bulk"),
        "Ferry renamed in bulk",
        True,
    ),
    "publish time moved later": (
        "home",
        lambda s: rename(s["story"], "published_at", timezone.now() + timedelta(hours=1)),
        "Night ferry returns",
        False,
    ),
    "queryset unpublish, tag page": (
        "tag",
        lambda s: Article.objects.filter(pk=s["story"].pk).update(status=Article.Status.DRAFT),
        "Night ferry returns",
        False,
    ),
    "admin unpublish action, author page": (
        "author",
        lambda s: admin_action("unpublish", s["story"]),
        "Night ferry returns",
        False,
    ),
    "section saved": ("home", lambda s: rename(s["section"], "name", "Waterfront"), "Waterfront", True),
    "section added": ("home", lambda s: SectionFactory(name="Climate"), "Climate", True),
    "section deleted": ("home", lambda s: s["empty section"].delete(), "Weather", False),
    "tag saved": ("story", lambda s: rename(s["tag"], "name", "Night boats"), "Night boats", True),
    "tag added to story": ("story", lambda s: s["story"].tags.add(TagFactory(name="Tides")), "Tides", True),
    "tag removed from story": ("story", lambda s: s["story"].tags.remove(s["tag"]), "Ferries", False),
    "tag deleted": ("story", lambda s: s["tag"].delete(), "Ferries", False),
    "author saved": (
        "story",
        lambda s: rename(s["author"], "name", "Nadia F. Costa"),
        "Nadia F. Costa",
        True,
    ),
    "byline added": (
        "story",
        lambda s: ArticleAuthor.objects.create(
            article=s["story"], author=AuthorFactory(name="Owen Castellan"), position=1
        ),
        "Owen Castellan",
        True,
    ),
    "byline removed": ("story", lambda s: s["story"].article_authors.all().delete(), "Nadia Ferreira", False),
    "image saved": (
        "story",
        lambda s: rename(s["hero"], "caption", "The new quay at dusk"),
        "The new quay at dusk",
        True,
    ),
    "renditions deleted": (
        "story",
        lambda s: s["hero"].renditions.all().delete(),
        lambda s: s["hero"].renditions.first().file.url,
        False,
    ),
    "standing page saved": ("page", lambda s: rename(s["page"], "title", "Our rules"), "Our rules", True),
    "newsletter saved": (
        "story",
        lambda s: rename(s["newsletter"], "description", "Harbour news at noon."),
        "Harbour news at noon.",
        True,
    ),
    "admin publish action": (
        "home",
        lambda s: admin_action("publish_now", s["draft"]),
        "Tunnel plan leaked",
        True,
    ),
    "admin unpublish action": (
        "home",
        lambda s: admin_action("unpublish", s["story"]),
        "Night ferry returns",
        False,
    ),
    "admin bulk delete": (
        "home",
        lambda s: admin_action("delete_selected", s["story"], post="yes"),
        "Night ferry returns",
        False,
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_shows_at_once(client, backend, scene, change, django_assert_num_queries):
    page, apply, text, present = CHANGES[change]
    url = PAGES[page](scene)
    if callable(text):
        text = text(scene)  # read before the change removes it
    before = warm(client, url, django_assert_num_queries).content.decode()
    assert (text in before) is not present, f"{text!r} should change on {url}"

    apply(scene)

    response = client.get(url)
    if present or response.status_code == 200:
        assert (text in response.content.decode()) is present


def test_a_deleted_standing_page_is_gone_at_once(client, backend, scene, django_assert_num_queries):
    url = PAGES["page"](scene)
    warm(client, url, django_assert_num_queries)

    scene["page"].delete()

    assert client.get(url).status_code == 404


def test_a_rolled_back_change_leaves_the_right_page(client, backend, scene, django_assert_num_queries):
    """A change invalidates at once and again when its transaction ends, whichever way it ends."""
    url = PAGES["home"](scene)
    warm(client, url, django_assert_num_queries)
    with pytest.raises(RuntimeError), transaction.atomic():
        rename(scene["story"], "title", "Never happened")
        raise RuntimeError

    assert "Never happened" not in client.get(url).content.decode()
    assert "Night ferry returns" in client.get(url).content.decode()


def test_migrate_at_deploy_empties_the_cache(client, backend, scene, django_assert_num_queries):
    """New code or templates change pages without any signal: every deploy runs migrate."""
    url = PAGES["home"](scene)
    warm(client, url, django_assert_num_queries)
    with connection.cursor() as cursor:  # a change no signal reports
        cursor.execute(
            "UPDATE articles_article SET title = %s WHERE id = %s", ["Seen after deploy", scene["story"].pk]
        )

    call_command("migrate", verbosity=0)

    assert "Seen after deploy" in client.get(url).content.decode()


# --- Scheduled stories appear at their time, with no cron job ---


def test_a_scheduled_story_appears_on_the_cached_home_page_at_its_time(
    client, backend, scene, django_assert_num_queries
):
    publish_at = timezone.now() + timedelta(seconds=30)
    ArticleFactory(title="Embargoed budget", section=scene["section"], published_at=publish_at)
    home = warm(client, "/", django_assert_num_queries)
    assert "Embargoed budget" not in home.content.decode()
    # Nobody may keep the page past the publish time either.
    cache_control = dict(part.strip().partition("=")[::2] for part in home["Cache-Control"].split(","))
    assert int(cache_control["max-age"]) <= 30 and int(cache_control["s-maxage"]) <= 30
    assert int(cache_control["s-maxage"]) + int(cache_control["stale-while-revalidate"]) <= 30

    with mock.patch("django.utils.timezone.now", return_value=publish_at - timedelta(seconds=1)):
        with django_assert_num_queries(0):
            assert "Embargoed budget" not in client.get("/").content.decode()
    with mock.patch("django.utils.timezone.now", return_value=publish_at + timedelta(seconds=1)):
        assert "Embargoed budget" in client.get("/").content.decode()
        with django_assert_num_queries(0):
            assert "Embargoed budget" in client.get("/").content.decode()


# --- What is never served from, or stored in, the cache ---


def test_an_editors_preview_is_never_cached(client, backend, scene):
    editor = Client()
    editor.force_login(EditorFactory())
    url = scene["draft"].get_absolute_url()

    preview = editor.get(url)
    assert "draft-banner" in preview.content.decode()

    assert client.get(url).status_code == 404
    assert editor.get(url).status_code == 200


def test_a_reader_never_gets_an_editors_page_nor_the_reverse(
    client, backend, scene, django_assert_num_queries
):
    url = PAGES["story"](scene)
    editor = Client()
    editor.force_login(EditorFactory())
    editor.get(url)  # rendered for the editor: must not be stored
    warm(client, url, django_assert_num_queries)  # the reader's own copy is stored

    with django_assert_num_queries(0):
        client.get(url)
    response = editor.get(url)  # the editor is never served the readers' copy
    assert "public" not in response["Cache-Control"]


def test_a_draft_is_never_served_from_the_cache(client, backend, scene, django_assert_num_queries):
    """A story unpublished after readers cached it is gone from its address at once."""
    url = PAGES["story"](scene)
    warm(client, url, django_assert_num_queries)

    rename(scene["story"], "status", Article.Status.DRAFT)

    assert client.get(url).status_code == 404


def test_requests_with_a_session_bypass_the_cache(client, backend, scene, django_assert_num_queries):
    url = PAGES["home"](scene)
    warm(client, url, django_assert_num_queries)
    client.cookies["sessionid"] = "whatever-the-reader-has"

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) > 0


def test_the_cache_can_be_turned_off(client, settings, scene):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")

    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert len(queries) > 0


# --- A cache that is down never breaks a page ---


def test_pages_render_when_redis_is_down(client, settings, scene, caplog):
    settings.CACHES = redis_caches("redis://127.0.0.1:1/0", "down")  # nothing listens on port 1

    with caplog.at_level(logging.ERROR, logger="articles.cache"):
        home = client.get("/")
        story = client.get(PAGES["story"](scene))

    assert home.status_code == 200 and story.status_code == 200
    assert "Night ferry returns" in home.content.decode()
    assert "Page cache unreachable" in caplog.text


# Committed for real: a change starts its generation of cached pages when it commits.
@pytest.mark.django_db(transaction=True)
def test_a_change_is_saved_when_redis_is_down(settings, scene, caplog):
    settings.CACHES = redis_caches("redis://127.0.0.1:1/0", "down")

    with caplog.at_level(logging.ERROR, logger="articles.cache"):
        rename(scene["story"], "title", "Saved anyway")

    assert Article.objects.get(pk=scene["story"].pk).title == "Saved anyway"
    assert "could not be invalidated" in caplog.text


# --- Deployment check ---


def test_deploy_check_warns_about_a_per_process_page_cache(settings):
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert "articles.W001" in ids


def test_no_warning_with_redis(settings):
    settings.CACHES = redis_caches(REDIS_URL, "check")
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert "articles.W001" not in ids
