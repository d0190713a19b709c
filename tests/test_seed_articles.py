"""`seed_articles`: a deterministic generated archive, never mixed into real content by accident."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ArticleAuthor, Author, Image, Section, Tag
from articles.sanitize import sanitize_html
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def seed(count, *args):
    call_command("seed_articles", "--count", str(count), *args, stdout=io.StringIO())


def snapshot():
    return [
        (
            story.slug,
            story.title,
            story.subtitle,
            story.body,
            story.section.slug,
            story.status,
            story.published_at,
            story.hero_image.alt_text,
            sorted(tag.slug for tag in story.tags.all()),
            [byline.author.slug for byline in story.article_authors.order_by("position")],
        )
        for story in Article.objects.select_related("section", "hero_image").order_by("slug")
    ]


def test_same_stories_on_every_run():
    seed(20)
    first = snapshot()
    Article.objects.all().delete()
    seed(20)

    assert snapshot() == first
    assert len({story[0] for story in first}) == 20
    # Running it again tops the archive up to --count.
    seed(20)
    assert Article.objects.count() == 20
    seed(25)
    assert Article.objects.count() == 25
    assert Image.objects.count() == 15  # the pictures are drawn once


def test_archive_shape():
    seed(1001)

    assert Section.objects.count() == 5
    assert Author.objects.count() == 50
    assert Tag.objects.count() == 200
    heroes = Image.objects.filter(hero_of__isnull=False).distinct()
    assert 2 <= heroes.count() <= 10  # a small pool, shared by the stories
    assert all(hero.renditions.filter(crop="16:9").exists() for hero in heroes)
    for story in Article.objects.published().prefetch_related("tags", "article_authors")[:50]:
        assert story.slug.startswith("seed-")
        assert len(story.tags.all()) == 3
        assert len(story.article_authors.all()) in (1, 2)
        words = len(re.sub(r"<[^>]+>", " ", story.body).split())
        assert 750 <= words <= 1100
        assert "<a href=" in story.body and ("<em>" in story.body or "<strong>" in story.body)
        # Already clean: what the sanitizer would have stored on a save.
        assert sanitize_html(story.body) == story.body
        assert story.created_at == story.published_at == story.updated_at
        assert not story.is_updated
    published = Article.objects.published().order_by("published_at")
    assert (published.last().published_at - published.first().published_at).days > 15
    assert Article.objects.drafts().count() == 2
    assert Article.objects.scheduled().count() == 1
    assert ArticleAuthor.objects.count() >= 1001


def test_refuses_a_database_with_real_content():
    real = ArticleFactory(slug="a-real-story")

    with pytest.raises(CommandError, match="did not generate"):
        seed(5)
    assert list(Article.objects.all()) == [real]
    assert not Tag.objects.exists()

    seed(5, "--force")
    assert Article.objects.count() == 6
