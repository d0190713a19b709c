"""Subscribers and newsletters in the admin: search, filters, counts, CSV export, erasure."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from newsletter.models import Newsletter, Subscriber
from tests.factories import EditorFactory, JournalistFactory, NewsletterFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:newsletter_subscriber_changelist")


@pytest.fixture
def staff_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def subscribers():
    daily = NewsletterFactory(name="Daily")
    weekly = NewsletterFactory(name="Weekly")
    return {
        "ana": SubscriberFactory(email="ana@example.com", newsletter=daily, source_url="/celebrity/a-story/"),
        "ben": SubscriberFactory(
            email="ben@example.org", newsletter=daily, status="pending", confirmed_at=None
        ),
        "cy": SubscriberFactory(email="cy@example.com", newsletter=weekly, status="unsubscribed"),
    }


def emails_listed(response):
    return {s.email for s in response.context["cl"].result_list}


def test_search_by_email(staff_client, subscribers):
    response = staff_client.get(CHANGELIST, {"q": "example.com"})
    assert emails_listed(response) == {"ana@example.com", "cy@example.com"}


def test_filters_by_status_newsletter_and_signup_page(staff_client, subscribers):
    def listed(**params):
        return emails_listed(staff_client.get(CHANGELIST, params))

    assert listed(status__exact="pending") == {"ben@example.org"}
    assert listed(newsletter__id__exact=subscribers["cy"].newsletter_id) == {"cy@example.com"}
    assert listed(source_url="/celebrity/a-story/") == {"ana@example.com"}


def test_filter_by_signup_date(staff_client, subscribers):
    Subscriber.objects.filter(pk=subscribers["ana"].pk).update(created_at=timezone.now() - timedelta(days=60))
    today = timezone.now()

    response = staff_client.get(
        CHANGELIST, {"created_at__gte": (today - timedelta(days=7)).isoformat(sep=" ")}
    )

    assert emails_listed(response) == {"ben@example.org", "cy@example.com"}


def test_counts_next_to_the_filters_and_on_newsletters(staff_client, subscribers):
    html = staff_client.get(CHANGELIST).content.decode()
    assert "3 subscribers" in html
    assert "Pending confirmation (1)" in html and "Active (1)" in html

    html = staff_client.get(reverse("admin:newsletter_newsletter_changelist")).content.decode()
    assert '<td class="field-active_subscribers">1</td>' in html
    assert '<td class="field-pending_subscribers">1</td>' in html


def test_export_selection_as_csv(staff_client, subscribers):
    tricky = SubscriberFactory(email="=cmd@example.com", newsletter=subscribers["ana"].newsletter)
    selected = [subscribers["ana"].pk, subscribers["ben"].pk, tricky.pk]

    response = staff_client.post(CHANGELIST, {"action": "export_csv", "_selected_action": selected})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="subscribers-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "email",
        "newsletter",
        "status",
        "signed up",
        "confirmed",
        "unsubscribed",
        "signup page",
        "consent version",
    ]
    by_email = {row[0]: row for row in rows[1:]}
    assert set(by_email) == {"ana@example.com", "ben@example.org", "'=cmd@example.com"}
    ana = by_email["ana@example.com"]
    assert ana[1:3] == ["Daily", "active"]
    assert ana[3] == subscribers["ana"].created_at.isoformat()
    assert ana[6] == "/celebrity/a-story/"
    assert by_email["ben@example.org"][2] == "pending" and by_email["ben@example.org"][4] == ""


def test_staff_cannot_add_subscribers_by_hand(staff_client):
    """Readers sign up themselves, so their consent is on record."""
    assert staff_client.get(reverse("admin:newsletter_subscriber_add")).status_code == 403


def test_delete_a_subscriber(staff_client, subscribers):
    ana = subscribers["ana"]
    response = staff_client.post(
        reverse("admin:newsletter_subscriber_delete", args=[ana.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Subscriber.objects.filter(email="ana@example.com").exists()


def test_editors_export_and_delete_journalists_do_not_see_subscribers(client, subscribers):
    client.force_login(EditorFactory())
    response = client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [subscribers["ana"].pk]})
    assert "ana@example.com" in response.content.decode()
    response = client.post(
        reverse("admin:newsletter_subscriber_delete", args=[subscribers["ana"].pk]), {"post": "yes"}
    )
    assert response.status_code == 302 and not Subscriber.objects.filter(email="ana@example.com").exists()

    client.force_login(JournalistFactory())
    assert client.get(CHANGELIST).status_code == 403


def test_only_one_default_newsletter(staff_client):
    default = Newsletter.objects.filter(is_default=True).first() or NewsletterFactory(is_default=True)

    response = staff_client.post(
        reverse("admin:newsletter_newsletter_add"),
        {
            "name": "Second",
            "slug": "second",
            "description": "Another one.",
            "is_default": "on",
            "active": "on",
        },
    )

    assert response.status_code == 200
    assert "Another newsletter is already the default." in response.content.decode()
    assert list(Newsletter.objects.filter(is_default=True)) == [default]
