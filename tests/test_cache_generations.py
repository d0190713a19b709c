"""One admin save starts one new generation of cached pages, however many rows it changes.

The story, each byline row and each tag link send their own signal; the page cache starts its new
generation once, when the save's transaction commits. The test's own transaction never commits:
django_capture_on_commit_callbacks(execute=True) runs what a commit would run.
"""

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client

from articles.cache import GENERATION_KEY
from tests.admin_forms import ADD, change_url, edit_form, publish_time, story_form
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


class GenerationLog(LocMemCache):
    """The page cache, noting each generation it is given."""

    started = []

    def set(self, key, value, *args, **kwargs):
        if key == GENERATION_KEY:
            self.started.append(value["token"])
        super().set(key, value, *args, **kwargs)


@pytest.fixture
def generations(settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": f"{__name__}.GenerationLog", "LOCATION": "generation-log"},
    }
    GenerationLog.started = []
    return GenerationLog.started


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run `make()` as if in a transaction of its own, committed."""

    def run(make):
        with django_capture_on_commit_callbacks(execute=True):
            return make()

    return run


def test_saving_a_story_with_tags_and_authors_starts_one_generation(
    client, superuser, generations, committed
):
    story = committed(
        lambda: ArticleFactory(
            title="Night ferry returns",
            tags=[TagFactory(name="Ferries"), TagFactory(name="Harbour")],
            authors=[AuthorFactory(name="Nadia Ferreira"), AuthorFactory(name="Owen Castellan")],
        )
    )
    tags = [*story.tags.values_list("pk", flat=True), committed(lambda: TagFactory(name="Tides")).pk]
    reader = Client()
    assert "Night ferry returns" in reader.get(story.get_absolute_url()).content.decode()
    client.force_login(superuser)
    generations.clear()

    response = committed(
        lambda: client.post(
            change_url(story),
            edit_form(
                story,
                title="Night ferry cancelled",
                tags=[str(pk) for pk in tags],
                **publish_time(story.published_at),
                # The byline reversed: both rows change.
                **{"article_authors-0-position": "1", "article_authors-1-position": "0"},
            ),
        )
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [tag.name for tag in story.tags.all()] == ["Ferries", "Harbour", "Tides"]
    assert [row.author.name for row in story.article_authors.all()] == ["Owen Castellan", "Nadia Ferreira"]
    assert len(generations) == 1
    assert "Night ferry cancelled" in reader.get(story.get_absolute_url()).content.decode()


def test_adding_a_story_with_tags_and_authors_starts_one_generation(
    client, superuser, generations, committed
):
    section, authors, tags = committed(
        lambda: (SectionFactory(), [AuthorFactory(), AuthorFactory()], [TagFactory(), TagFactory()])
    )
    client.force_login(superuser)
    generations.clear()

    response = committed(
        lambda: client.post(
            ADD, story_form(section, authors, status="published", tags=[str(tag.pk) for tag in tags])
        )
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert len(generations) == 1
