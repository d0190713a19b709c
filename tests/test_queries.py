"""Every reader page runs a fixed number of SQL queries, whatever the size of what it shows.

Each page is measured with 1 tag and 1 author per story and again with 10 of each, and on a
generated archive of 10 and of 1,000 stories (seed_articles); all must fit the same ceiling. A
query per tag, author, card or section would add ten or more.
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from articles.models import Article, Page
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    NewsletterFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _without_page_cache(settings):
    """The pages' own queries. The page cache adds none on a hit, and one (the next scheduled
    publish time) when it starts a new generation after a change: tests/test_page_cache.py."""
    settings.PAGE_CACHE_SECONDS = 0


# The ceilings, for an anonymous reader. A list of cards costs 3 queries (stories, their authors,
# their pictures' renditions); paginated lists add a count; the nav adds 1. The home page adds the
# section ids its per-section query is built from; the story page its own 3 (story, byline,
# picture), its tags and the newsletter box's newsletter (one card list serves "Keep reading" and
# "More on"); the author page its photo's renditions.
MAX_QUERIES = {
    "home": 5,
    "story": 9,
    "section": 6,
    "tag": 6,
    "author": 7,
    "search": 5,
    "feed": 3,
    "sitemap": 6,
    # A sitemap file: its id range and the stories in it. A standing or newsletter page: the nav
    # and the page or its newsletters.
    "sitemap file": 2,
    "news sitemap": 2,
    "standing page": 2,
    "newsletters": 2,
    "newsletter": 2,
}


CARD_PAGES = ("home", "story", "section", "tag", "author", "search")


def build_site(size):
    """Two sections of `size` + 3 public stories each, every story with `size` tags and authors."""
    tags = [TagFactory() for _ in range(size)]
    standing_page_and_newsletter(SectionFactory())
    photo = ImageFactory()
    authors = [AuthorFactory(photo=photo) for _ in range(size)]
    stories = []
    for section in (SectionFactory(), SectionFactory()):
        hero = ImageFactory()
        for _ in range(size + 3):
            stories.append(
                ArticleFactory(
                    section=section,
                    tags=tags,
                    authors=authors,
                    hero_image=hero,
                    title="Searchable headline",
                )
            )
    return urls(stories[0], tags[0], authors[0], "searchable")


def standing_page_and_newsletter(section):
    """The pages besides stories: a standing page and a section's newsletter."""
    Page.objects.create(title="About us", slug="about-us", body="<p>Who we are.</p>")
    NewsletterFactory(section=section, slug="harbour-weekly")


def urls(story, tag, author, word):
    return {
        "home": reverse("articles:home"),
        "story": story.get_absolute_url(),
        "section": story.section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
        "search": reverse("articles:search") + f"?q={word}",
        "feed": reverse("articles:feed"),
        "sitemap": "/sitemap.xml",
        "sitemap file": "/sitemap-stories.xml",
        "news sitemap": "/sitemap-news.xml",
        "standing page": reverse("articles:page", kwargs={"slug": "about-us"}),
        "newsletters": reverse("newsletter:index"),
        "newsletter": reverse("newsletter:detail", kwargs={"slug": "harbour-weekly"}),
    }


def get(client, url, ceiling, assert_max_num_queries):
    with assert_max_num_queries(ceiling):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("size", [1, 10])
@pytest.mark.parametrize("page", list(MAX_QUERIES))
def test_reader_page_query_count_is_fixed(client, django_assert_max_num_queries, page, size):
    response = get(client, build_site(size)[page], MAX_QUERIES[page], django_assert_max_num_queries)
    if page in CARD_PAGES:
        assert b"story-card" in response.content


@pytest.fixture(scope="module", params=[10, 1000])
def archive(request, django_db_setup, django_db_blocker):
    """An archive made by seed_articles once for the module's tests, rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_articles", "--count", str(request.param), stdout=io.StringIO())
        story = Article.objects.published().first()
        standing_page_and_newsletter(story.section)
        yield request.param, urls(story, story.tags.first(), story.authors.first(), story.title.split()[0])
        transaction.set_rollback(True)


@pytest.mark.parametrize("page", list(MAX_QUERIES))
def test_reader_page_query_count_does_not_grow_with_the_archive(
    client, django_assert_max_num_queries, archive, page
):
    size, pages = archive
    assert Article.objects.count() == size
    response = get(client, pages[page], MAX_QUERIES[page], django_assert_max_num_queries)
    if page in CARD_PAGES:
        assert b"story-card" in response.content
    if "sitemap" in page:
        assert b"<loc>" in response.content
    if page == "home":
        # Every section's block is there: 7 top stories and 5 sections of 4.
        assert response.content.count(b'class="story-card') >= (7 + 5 * 4 if size > 100 else 7)
