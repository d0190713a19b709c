from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import BYLINE, ArticleFactory, story_bylined_out_of_order

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_and_scheduled_stories():
    public = ArticleFactory()
    ArticleFactory(draft=True)
    ArticleFactory(scheduled=True)

    assert list(Article.objects.published()) == [public]


def test_scheduled_story_becomes_public_when_its_time_comes():
    story = ArticleFactory(scheduled=True)
    assert not Article.objects.published().filter(pk=story.pk).exists()

    Article.objects.filter(pk=story.pk).update(published_at=timezone.now() - timedelta(seconds=1))

    assert Article.objects.published().filter(pk=story.pk).exists()


def test_publishing_without_a_time_publishes_now():
    story = ArticleFactory(draft=True)
    story.status = Article.Status.PUBLISHED
    story.save()

    assert story.published_at is not None
    assert Article.objects.published().filter(pk=story.pk).exists()


def test_body_is_sanitized_on_save():
    story = ArticleFactory(body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    story.refresh_from_db()
    assert story.body == "<p>Hi</p>"


def test_authors_keep_byline_order():
    story = story_bylined_out_of_order()

    assert [row.author.name for row in story.article_authors.all()] == BYLINE
    # The querysets the pages, feeds and JSON-LD read the byline from.
    for stories in (Article.objects.for_cards(), Article.objects.for_detail()):
        assert [row.author.name for row in stories.get(pk=story.pk).article_authors.all()] == BYLINE
