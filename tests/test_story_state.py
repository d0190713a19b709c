"""One rule decides whether a story is public: the queryset, the model and the admin agree on it.

ArticleQuerySet.published() (public_q), Article.is_public and the admin's status column each
answer for every status and publish time; only a published story whose time has come is public.
"""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

STATUSES = [Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.PUBLISHED]
TIMES = {
    "past": lambda now: now - timedelta(hours=1),
    "future": lambda now: now + timedelta(hours=1),
    "none": lambda now: None,
}
ROW = re.compile(
    r'<td class="field-title"><a [^>]*>(.*?)</a></td>.*?<td class="field-state">(.*?)</td>', re.S
)


@pytest.fixture
def stories():
    """A story for every status and publish time, as update() leaves them (save() would fill a
    published story's empty publish time)."""
    now = timezone.now()
    made = {}
    for status in STATUSES:
        for time, at in TIMES.items():
            story = ArticleFactory(title=f"{status} {time}")
            Article.objects.filter(pk=story.pk).update(status=status, published_at=at(now))
            made[status, time] = story
    return made


def admin_states(client):
    """The admin story list's status column, by headline."""
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    return {unescape(title): unescape(state) for title, state in ROW.findall(response.content.decode())}


def test_published_queryset_model_and_admin_list_agree_on_what_is_public(client, superuser, stories):
    client.force_login(superuser)
    listed = admin_states(client)
    in_queryset = set(Article.objects.published().values_list("pk", flat=True))

    for (status, time), story in stories.items():
        story = Article.objects.get(pk=story.pk)
        expected = status == Article.Status.PUBLISHED and time == "past"
        assert (story.pk in in_queryset) is expected, (status, time)
        assert story.is_public is expected, (status, time)
        assert (listed[story.title] == "Published") is expected, (status, time, listed[story.title])


def test_admin_list_names_each_state(client, superuser, stories):
    client.force_login(superuser)
    listed = admin_states(client)

    assert {time: listed[f"published {time}"] for time in TIMES} == {
        "past": "Published",
        "future": "Scheduled",
        "none": "Scheduled",
    }
    assert {listed[f"draft {time}"] for time in TIMES} == {"Draft"}
    assert {listed[f"review {time}"] for time in TIMES} == {"Ready for review"}
