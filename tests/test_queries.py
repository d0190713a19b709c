"""Every reader page runs a fixed number of SQL queries, however many tags, authors or cards.

Each page is measured with 1 tag and 1 author per story and again with 10 of each (and more
stories); both must fit the same ceiling. A query per tag, author or card would add ten or more.
"""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

# The ceilings, for an anonymous reader. A list of cards costs 3 queries (stories, their authors,
# their pictures' renditions); paginated lists add a count; the nav adds 1; the story page adds its
# tags and the newsletter box's newsletter; the author page its photo's renditions.
MAX_QUERIES = {
    "home": 7,
    "story": 12,
    "section": 6,
    "tag": 6,
    "author": 7,
    "search": 5,
}


def build_site(size):
    """Two sections of `size` + 3 public stories each, every story with `size` tags and authors."""
    tags = [TagFactory() for _ in range(size)]
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
    story = stories[0]
    return {
        "home": reverse("articles:home"),
        "story": story.get_absolute_url(),
        "section": story.section.get_absolute_url(),
        "tag": tags[0].get_absolute_url(),
        "author": authors[0].get_absolute_url(),
        "search": reverse("articles:search") + "?q=searchable",
    }


@pytest.mark.parametrize("size", [1, 10])
@pytest.mark.parametrize("page", list(MAX_QUERIES))
def test_reader_page_query_count_is_fixed(client, django_assert_max_num_queries, page, size):
    url = build_site(size)[page]
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        response = client.get(url)
    assert response.status_code == 200
    assert b"story-card" in response.content
