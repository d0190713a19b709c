"""The story page's "Keep reading" and "More on <Section>" lists."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def story_at(hours_ago, **kwargs):
    return ArticleFactory(published_at=timezone.now() - timedelta(hours=hours_ago), **kwargs)


def lists_for(client, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return response.context["keep_reading"], response.context["more_in_section"]


def test_keep_reading_is_stories_sharing_tags_newest_first(client):
    tag, other_tag = TagFactory(), TagFactory()
    story = story_at(50, tags=[tag, other_tag])
    older = story_at(20, tags=[tag])
    newest = story_at(1, tags=[other_tag])
    both = story_at(10, tags=[tag, other_tag])
    story_at(0.5)  # shares nothing, another section

    keep_reading, _ = lists_for(client, story)

    assert keep_reading == [newest, both, older]


def test_keep_reading_never_shows_the_story_itself_nor_duplicates(client):
    tags = [TagFactory() for _ in range(3)]
    story = story_at(1, tags=tags)
    other = story_at(2, tags=tags)

    keep_reading, more = lists_for(client, story)

    assert keep_reading == [other]
    assert story not in more


def test_keep_reading_shows_at_most_four(client):
    tag = TagFactory()
    story = story_at(0, tags=[tag])
    related = [story_at(n + 1, tags=[tag]) for n in range(6)]

    keep_reading, _ = lists_for(client, story)

    assert keep_reading == related[:4]


def test_keep_reading_only_public_stories(client):
    tag = TagFactory()
    story = story_at(5, tags=[tag])
    ArticleFactory(tags=[tag], draft=True)
    ArticleFactory(tags=[tag], scheduled=True)
    public = story_at(6, tags=[tag])

    keep_reading, _ = lists_for(client, story)

    assert keep_reading == [public]


def test_keep_reading_topped_up_with_the_sections_latest(client):
    section = SectionFactory()
    tag = TagFactory()
    story = story_at(10, section=section, tags=[tag])
    tagged = story_at(30, tags=[tag])  # other section, older than the section's stories
    section_stories = [story_at(n + 1, section=section) for n in range(5)]
    story_at(0.5)  # newest of all, but shares neither tag nor section

    keep_reading, more = lists_for(client, story)

    assert keep_reading == [tagged, *section_stories[:3]]
    # "More on" carries on with the section's stories not already shown.
    assert more == section_stories[3:]


def test_story_without_tags_reads_on_in_its_section(client):
    section = SectionFactory()
    story = story_at(0, section=section)
    others = [story_at(n + 1, section=section) for n in range(9)]

    keep_reading, more = lists_for(client, story)

    assert keep_reading == others[:4]
    assert more == others[4:8]


def test_more_in_section_skips_other_sections_and_hidden_stories(client):
    section = SectionFactory(name="Travel")
    story = story_at(0, section=section)
    mine = [story_at(n + 1, section=section) for n in range(6)]
    story_at(0.1)  # another section
    ArticleFactory(section=section, draft=True)

    keep_reading, more = lists_for(client, story)

    assert keep_reading == mine[:4]
    assert more == mine[4:]
    assert "More on Travel" in client.get(story.get_absolute_url()).content.decode()


def test_keep_reading_follows_tags_added_and_removed_on_either_side(client):
    tag = TagFactory()
    story = story_at(10, tags=[tag])
    other = story_at(1)  # another section, no tag yet

    other.tags.add(tag)
    assert lists_for(client, story)[0] == [other]

    tag.articles.remove(other)
    assert lists_for(client, story)[0] == []

    tag.articles.add(other)
    assert lists_for(client, story)[0] == [other]

    other.tags.clear()
    assert lists_for(client, story)[0] == []

    other.tags.set([tag])
    tag.articles.clear()
    story.tags.add(tag)
    assert lists_for(client, story)[0] == []  # the other story lost the tag with clear()


def test_keep_reading_follows_publish_time_and_status_changes(client):
    tag = TagFactory()
    story = story_at(10, tags=[tag])
    first, second = story_at(1, tags=[tag]), story_at(2, tags=[tag])
    more = [story_at(n + 3, tags=[tag]) for n in range(4)]  # enough that the tag's newest matter
    assert lists_for(client, story)[0] == [first, second, *more[:2]]

    older = more[-1]
    older.published_at = timezone.now() - timedelta(minutes=5)
    older.save()
    assert lists_for(client, story)[0] == [older, first, second, more[0]]

    older.status = older.Status.DRAFT
    older.save()
    assert lists_for(client, story)[0] == [first, second, *more[:2]]

    older.status = older.Status.PUBLISHED
    older.published_at = timezone.now() + timedelta(hours=1)  # scheduled: not yet
    older.save()
    assert lists_for(client, story)[0] == [first, second, *more[:2]]


def test_keep_reading_finds_a_tags_newest_stories_among_many(client):
    """Only each tag's newest few are read: they must be the right ones, not just any."""
    busy, quiet = TagFactory(), TagFactory()
    story = story_at(0.5, tags=[busy, quiet])
    busy_stories = [story_at(n + 1, tags=[busy]) for n in range(8)]
    quiet_story = story_at(2.5, tags=[quiet])

    keep_reading, _ = lists_for(client, story)

    assert keep_reading == [busy_stories[0], busy_stories[1], quiet_story, busy_stories[2]]
