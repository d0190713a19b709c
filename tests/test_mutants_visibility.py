"""Story lists' order, to the letter: what `make mutate` found the listing tests let through.

Stories published at the same moment (a batch import, a scheduled morning) still list in one
fixed order on every page, the newest-created first; the editors' queue is oldest-saved first.
And what the story queryset's writes and redirects cost in queries: more queries for the same
result is what their mutants changed.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Correction, TaggedStory
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


def story_page_lists(client, story):
    response = client.get(story.get_absolute_url())
    return response.context["keep_reading"], response.context["more_in_section"]


def test_scheduled_stories_sharing_a_tag_never_push_public_ones_out_of_keep_reading(client):
    tag = TagFactory()
    now = timezone.now()
    story = ArticleFactory(tags=[tag], published_at=now - timedelta(hours=1))
    shares_tag = ArticleFactory(tags=[tag], published_at=now - timedelta(hours=30))
    for hours in range(1, 7):  # newer than any public one, by publish time
        ArticleFactory(tags=[tag], published_at=now + timedelta(hours=hours))

    keep_reading, _more = story_page_lists(client, story)

    assert shares_tag in keep_reading


def test_keep_reading_puts_a_story_sharing_a_tag_before_newer_ones_of_the_section(client):
    tag, section = TagFactory(), SectionFactory()
    now = timezone.now()
    story = ArticleFactory(tags=[tag], section=section, published_at=now - timedelta(hours=5))
    shares_tag = ArticleFactory(tags=[tag], published_at=now - timedelta(hours=40))
    newer_in_section = ArticleFactory(
        section=section, tags=[TagFactory()], published_at=now - timedelta(hours=1)
    )

    keep_reading, _more = story_page_lists(client, story)

    assert keep_reading == [shares_tag, newer_in_section]


def test_only_the_old_address_itself_redirects(client):
    story = ArticleFactory(slug="old-slug", section=SectionFactory(slug="news"))
    SectionFactory(slug="sport")
    story.slug = "new-slug"
    story.save()

    assert client.get("/news/old-slug/")["Location"] == "/news/new-slug/"
    assert client.get("/sport/old-slug/").status_code == 404  # the old slug, another section
    assert client.get("/news/other-slug/").status_code == 404  # the old section, another slug


def test_the_editors_status_filter_lists_each_state_alone(client):
    now = timezone.now()
    ArticleFactory(title="A draft", draft=True)
    # Unpublished after it was scheduled: a draft, whatever its publish time says.
    ArticleFactory(title="Held back", status=Article.Status.DRAFT, published_at=now + timedelta(days=2))
    ArticleFactory(title="For review", status=Article.Status.REVIEW, published_at=None)
    ArticleFactory(title="Tomorrow", published_at=now + timedelta(days=1))
    ArticleFactory(title="Out now", published_at=now - timedelta(hours=1))
    client.force_login(EditorFactory())

    def listed(state):
        response = client.get("/admin/articles/article/", {"state": state})
        return [story.title for story in response.context["cl"].result_list]

    assert sorted(listed("draft")) == ["A draft", "Held back"]
    assert listed("review") == ["For review"]
    assert listed("scheduled") == ["Tomorrow"]
    assert listed("published") == ["Out now"]


# What update() and bulk_create() cost: the copies of the publish time (TaggedStory, ArticleAuthor)
# are refreshed for the rows whose status or publish time changed, and no others.


@pytest.fixture
def archive():
    """A public story with a tag, and other public stories with tags and bylines around it."""
    tag = TagFactory()
    for _ in range(3):
        ArticleFactory(tags=[tag])
    return ArticleFactory(tags=[tag])


def test_a_correction_refreshes_no_copies_of_the_publish_time(archive, django_assert_num_queries):
    # A note changes the story's notes and times (refresh_notes, through update()), not when it is public.
    # The note, the story, its notes, the story's update.
    with django_assert_num_queries(4):
        Correction.objects.create(article=archive, text="An editor's correction.")


def test_moving_the_publish_time_refreshes_that_storys_copies_only(archive, django_assert_num_queries):
    later = timezone.now() - timedelta(minutes=5)
    # The ids, the update, the story's status and time, its tags' copies (3), its bylines' copies.
    with django_assert_num_queries(7):
        Article.objects.filter(pk=archive.pk).update(published_at=later)

    assert TaggedStory.objects.get(article=archive).published_at == later


def test_an_old_address_redirects_in_the_queries_of_one_story(client, django_assert_num_queries):
    story = ArticleFactory(slug="old-slug", section=SectionFactory(slug="news"))
    story.slug = "new-slug"
    story.save()

    # The page cache's next scheduled story, the story by its slug, the story by its old address
    # with its section, whose slug the new address needs.
    with django_assert_num_queries(3):
        assert client.get("/news/old-slug/")["Location"] == "/news/new-slug/"


def test_bulk_create_passes_its_options_on():
    story = ArticleFactory(slug="taken")

    Article.objects.bulk_create(
        [Article(title="Again", slug="taken", section=story.section)], ignore_conflicts=True
    )

    assert Article.objects.get(slug="taken").title == story.title
