"""Tag and author pages read their stories in order from their own indexes (copies of the publish
time in TaggedStory and ArticleAuthor): they must follow every change of the story."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, TagFactory

pytestmark = pytest.mark.django_db


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.paginator.count == len(page.object_list)  # counted from the copies
    return list(page.object_list)


def change(story, how, **fields):
    """Change `story` by save(), or by QuerySet.update(), which sends no signals (a script, a fix)."""
    if how == "update":
        Article.objects.filter(pk=story.pk).update(**fields)
    else:
        for name, value in fields.items():
            setattr(story, name, value)
        story.save()


@pytest.mark.parametrize("how", ["save", "update"])
@pytest.mark.parametrize("kind", ["tag", "author"])
def test_listing_follows_publish_time_and_status(client, kind, how):
    tag, author = TagFactory(), AuthorFactory()
    now = timezone.now()
    old, new = (
        ArticleFactory(tags=[tag], authors=[author], published_at=now - timedelta(hours=hours))
        for hours in (5, 1)
    )
    url = (tag if kind == "tag" else author).get_absolute_url()
    assert listed(client, url) == [new, old]

    change(old, how, published_at=now - timedelta(minutes=1))
    assert listed(client, url) == [old, new]

    change(old, how, status=Article.Status.DRAFT)
    assert listed(client, url) == [new]

    change(old, how, status=Article.Status.PUBLISHED, published_at=now - timedelta(minutes=2))
    assert listed(client, url) == [old, new]


def test_tag_page_follows_tags_added_later(client):
    tag = TagFactory()
    first = ArticleFactory(tags=[tag], published_at=timezone.now() - timedelta(hours=2))
    later = ArticleFactory(published_at=timezone.now() - timedelta(hours=1))

    later.tags.add(tag)
    assert listed(client, tag.get_absolute_url()) == [later, first]
    tag.articles.remove(first)
    assert listed(client, tag.get_absolute_url()) == [later]
