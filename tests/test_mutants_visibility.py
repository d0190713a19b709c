"""Story lists' order, to the letter: what `make mutate` found the listing tests let through.

Stories published at the same moment (a batch import, a scheduled morning) still list in one
fixed order on every page, the newest-created first; the editors' queue is oldest-saved first.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, EditorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def titles_in(html, titles):
    return sorted(titles, key=html.index)


@pytest.fixture
def same_moment():
    """Three public stories of one section, tag and author, all published at the same moment."""
    moment = timezone.now() - timedelta(hours=1)
    section, tag, author = SectionFactory(slug="city"), TagFactory(slug="port"), AuthorFactory(slug="ana")
    stories = []
    for title in ("First in", "Second in", "Third in"):
        stories.append(
            ArticleFactory(title=title, section=section, published_at=moment, authors=[author], tags=[tag])
        )
    return stories


@pytest.mark.parametrize("url", ["/city/", "/tag/port/", "/author/ana/"])
def test_stories_published_at_the_same_moment_list_newest_created_first(client, same_moment, url):
    html = client.get(url).content.decode()

    assert titles_in(html, ["First in", "Second in", "Third in"]) == ["Third in", "Second in", "First in"]


def test_the_editors_queue_lists_the_story_saved_longest_ago_first(client):
    earlier = ArticleFactory(title="Waiting since morning", status=Article.Status.REVIEW, published_at=None)
    later = ArticleFactory(title="Sent just now", status=Article.Status.REVIEW, published_at=None)
    Article.objects.filter(pk=earlier.pk).update(updated_at=timezone.now() - timedelta(hours=3))
    Article.objects.filter(pk=later.pk).update(updated_at=timezone.now() - timedelta(hours=5))
    client.force_login(EditorFactory())

    queue = client.get("/admin/").context["waiting_for_review"]

    assert [story.title for story in queue] == ["Sent just now", "Waiting since morning"]
