"""Drafts and scheduled stories: absent from every listing, visible only to editors' previews."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

HIDDEN_KINDS = [{"draft": True}, {"scheduled": True}]


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_article"))
    return user


@pytest.fixture
def scene():
    """One public story and one hidden one of each kind, sharing section, tag and author."""
    section = SectionFactory(slug="news")
    tag = TagFactory(slug="shared")
    author = AuthorFactory(slug="shared-writer")
    public = ArticleFactory(title="Public headline", section=section, tags=[tag], authors=[author])
    hidden = [
        ArticleFactory(title=f"Hidden headline {n}", section=section, tags=[tag], authors=[author], **kind)
        for n, kind in enumerate(HIDDEN_KINDS)
    ]
    return public, hidden, section, tag, author


def listing_urls(section, tag, author):
    return [
        reverse("articles:home"),
        section.get_absolute_url(),
        tag.get_absolute_url(),
        author.get_absolute_url(),
        reverse("articles:search") + "?q=headline",
        reverse("articles:feed"),
        "/sitemap-stories.xml",
        "/sitemap-news.xml",
    ]


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_hidden_stories_are_absent_from_every_listing(client, scene, editor, who):
    public, hidden, section, tag, author = scene
    if who == "editor":
        client.force_login(editor)
    for url in listing_urls(section, tag, author):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert public.get_absolute_url() in body, url
        for story in hidden:
            assert story.title not in body, url
            assert story.get_absolute_url() not in body, url


def test_hidden_stories_are_absent_from_keep_reading_and_more_on(client, scene, editor):
    public, hidden, *_ = scene
    client.force_login(editor)
    for page in [public, *hidden]:
        response = client.get(page.get_absolute_url())
        assert response.status_code == 200
        shown = response.context["keep_reading"] + response.context["more_in_section"]
        assert not set(shown) & set(hidden)


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_story_is_404_for_anonymous_readers(client, kind):
    story = ArticleFactory(**kind)
    response = client.get(story.get_absolute_url())
    assert response.status_code == 404


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_story_is_404_for_logged_in_readers_without_permission(client, kind):
    client.force_login(UserFactory(username="reader"))
    story = ArticleFactory(**kind)
    assert client.get(story.get_absolute_url()).status_code == 404


def test_hidden_story_is_404_for_staff_without_change_permission(client):
    client.force_login(UserFactory(username="intern", is_staff=True))
    story = ArticleFactory(draft=True)
    assert client.get(story.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_editor_previews_hidden_story_with_banner_noindex_and_no_cache(client, editor, kind):
    client.force_login(editor)
    story = ArticleFactory(title="Preview me", **kind)

    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="draft-banner" role="status">' in html
    assert '<h1 class="story-title">Preview me</h1>' in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("kind", "banner"),
    [
        ({"draft": True}, "Draft: readers cannot see this story yet."),
        (
            {"status": Article.Status.REVIEW, "published_at": None},
            "Ready for review: readers cannot see this story yet.",
        ),
        (
            {"published_at": datetime(2099, 5, 1, 9, 30, tzinfo=UTC)},
            "Scheduled: readers will see this story from ",
        ),
    ],
)
def test_preview_banner_says_the_story_state(client, editor, kind, banner):
    client.force_login(editor)
    story = ArticleFactory(**kind)
    html = client.get(story.get_absolute_url()).content.decode()
    banner_text = " ".join(html.split('class="draft-banner" role="status">')[1].split("</div>")[0].split())
    assert banner_text.startswith(banner)
    if "from" in banner:
        assert "2099" in banner_text


def test_superuser_previews_drafts(client, superuser):
    client.force_login(superuser)
    story = ArticleFactory(draft=True)
    assert client.get(story.get_absolute_url()).status_code == 200


def test_public_story_has_no_banner_and_may_be_indexed(client, editor):
    client.force_login(editor)
    story = ArticleFactory()
    response = client.get(story.get_absolute_url())
    assert "draft-banner" not in response.content.decode()
    assert 'content="noindex"' not in response.content.decode()
    assert "X-Robots-Tag" not in response.headers


def test_scheduled_story_appears_in_listings_once_its_time_comes(client):
    story = ArticleFactory(scheduled=True, title="Embargoed")
    assert "Embargoed" not in client.get("/").content.decode()

    Article.objects.filter(pk=story.pk).update(published_at=timezone.now() - timedelta(seconds=1))

    assert "Embargoed" in client.get("/").content.decode()
    assert client.get(story.get_absolute_url()).status_code == 200
