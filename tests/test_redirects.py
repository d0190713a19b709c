"""Story URLs stay stable: old and wrong addresses answer 301 to the story's current URL."""

import pytest

from articles.models import ArticleRedirect
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def assert_moved(client, old_url, new_url):
    response = client.get(old_url)
    assert response.status_code == 301, old_url
    assert response["Location"] == new_url


def test_slug_change_redirects_old_url(client):
    story = ArticleFactory(slug="first-slug", section=SectionFactory(slug="news"))
    story.slug = "better-slug"
    story.save()

    assert_moved(client, "/news/first-slug/", "/news/better-slug/")
    assert client.get("/news/better-slug/").status_code == 200


def test_section_change_redirects_old_url(client):
    story = ArticleFactory(slug="a-story", section=SectionFactory(slug="news"))
    story.section = SectionFactory(slug="sport")
    story.save()

    assert_moved(client, "/news/a-story/", "/sport/a-story/")


def test_every_old_url_goes_straight_to_the_current_one(client):
    story = ArticleFactory(slug="one", section=SectionFactory(slug="news"))
    story.slug = "two"
    story.save()
    story.section = SectionFactory(slug="world")
    story.slug = "three"
    story.save()

    assert_moved(client, "/news/one/", "/world/three/")
    assert_moved(client, "/news/two/", "/world/three/")


def test_saving_without_changing_the_url_records_nothing():
    story = ArticleFactory()
    story.title = "A new headline"
    story.save()
    assert not ArticleRedirect.objects.exists()


def test_renaming_back_and_forth_keeps_the_story_reachable(client):
    story = ArticleFactory(slug="alpha", section=SectionFactory(slug="news"))
    story.slug = "beta"
    story.save()
    story.slug = "alpha"
    story.save()

    assert client.get("/news/alpha/").status_code == 200
    assert_moved(client, "/news/beta/", "/news/alpha/")


def test_story_under_the_wrong_section_redirects(client):
    story = ArticleFactory(slug="lost", section=SectionFactory(slug="news"))
    SectionFactory(slug="sport")
    assert_moved(client, "/sport/lost/", story.get_absolute_url())
    assert_moved(client, "/anything/lost/", story.get_absolute_url())


def test_old_url_of_a_story_taken_back_to_draft_is_404(client):
    story = ArticleFactory(slug="old", section=SectionFactory(slug="news"))
    story.slug = "new"
    story.status = story.Status.DRAFT
    story.save()

    assert client.get("/news/old/").status_code == 404
    assert client.get("/news/new/").status_code == 404


def test_wrong_section_of_a_draft_is_404_for_readers(client):
    ArticleFactory(slug="secret", draft=True)
    assert client.get("/news/secret/").status_code == 404


def test_unknown_story_is_404(client):
    SectionFactory(slug="news")
    response = client.get("/news/never-written/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
