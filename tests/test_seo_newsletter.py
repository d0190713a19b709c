"""The newsletter page says what the reader will get: description, cadence, last edition's headlines."""

import datetime

import pytest
from django.urls import reverse

from newsletter.models import Newsletter
from tests.factories import ArticleFactory, EditionFactory, NewsletterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def featured(**fields):
    """The default newsletter (the migrations create one), with these fields."""
    newsletter = Newsletter.objects.filter(is_default=True).first() or featured()
    for name, value in fields.items():
        setattr(newsletter, name, value)
    newsletter.save()
    return newsletter


def page(client):
    response = client.get(reverse("newsletter:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_daily_digest_cadence_and_description(client):
    featured(description="The harbour's news.", digest="daily", digest_time=datetime.time(7, 0))
    html = page(client)
    assert "The harbour&#x27;s news." in html or "The harbour's news." in html
    assert "Every morning at 7:00" in html


def test_weekly_digest_cadence(client):
    featured(digest="weekly", digest_weekday=0, digest_time=datetime.time(18, 30))
    assert "Every Monday at 18:30" in page(client)


def test_no_cadence_when_the_digest_is_off(client):
    featured(digest="off")
    html = page(client)
    assert "Every " not in html
    assert "newsletter-cadence" not in html


def test_latest_sent_edition_headlines_in_order(client):
    newsletter = featured()
    first, second = (
        ArticleFactory(title="Ferry back in service"),
        ArticleFactory(title="Harbour wall repaired"),
    )
    hidden = ArticleFactory(title="Embargoed story", draft=True)
    older = EditionFactory(newsletter=newsletter, articles=[ArticleFactory(title="Old news")])
    older.status = "sent"
    older.save()
    latest = EditionFactory(newsletter=newsletter, articles=[second, first, hidden])
    latest.status = "sent"
    latest.save()
    EditionFactory(newsletter=newsletter, articles=[ArticleFactory(title="Draft edition story")])

    html = page(client)
    assert "In the latest edition" in html
    assert html.index("Harbour wall repaired") < html.index("Ferry back in service")
    assert second.get_absolute_url() in html
    for absent in ("Old news", "Embargoed story", "Draft edition story"):
        assert absent not in html


def test_a_draft_edition_is_never_shown(client):
    newsletter = featured()
    EditionFactory(newsletter=newsletter, articles=[ArticleFactory(title="Not sent yet")])
    html = page(client)
    assert "Not sent yet" not in html
    assert "In the latest edition" not in html


@pytest.mark.parametrize("stories", [1, 6])
def test_query_count_does_not_grow_with_the_edition(client, django_assert_num_queries, stories):
    """Nav, newsletters (with their last sent edition's id), and that edition's stories."""
    newsletter = featured()
    NewsletterFactory()
    edition = EditionFactory(newsletter=newsletter, articles=[ArticleFactory() for _ in range(stories)])
    edition.status = "sent"
    edition.save()
    with django_assert_num_queries(3):
        assert "In the latest edition" in page(client)
