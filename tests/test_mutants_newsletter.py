"""Newsletter signup rules, to the letter: what `make mutate` found the newsletter tests let through.

Through the signup service (newsletter.services, what the views and any other code call), the
subscriber model's own validation and the editions' admin form.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from newsletter import services
from newsletter.models import Subscriber, SubscriberQuerySet
from newsletter.services import Outcome, confirm, subscribe, unsubscribe
from newsletter.wording import NOT_NORMALIZED
from tests.factories import EditorFactory, NewsletterFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def daily():
    return NewsletterFactory(name="Daily")


def stored(email):
    return Subscriber.objects.get(email=email)


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_a_missing_address_is_refused_as_required(daily, typed):
    with pytest.raises(ValidationError) as refused:
        subscribe(email=typed, newsletter=daily)

    assert refused.value.code == "required"
    assert refused.value.messages == ["You must complete your e-mail"]
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("typed", ["reader@", "reader@example.c", "reader@example.123"])
def test_a_malformed_address_is_refused_as_invalid(daily, typed):
    with pytest.raises(ValidationError) as refused:
        subscribe(email=typed, newsletter=daily)

    assert refused.value.code == "invalid"
    assert refused.value.messages == ["You must complete a correct email"]


def test_the_local_part_keeps_its_letters_and_case(daily):
    subscribe(email="  Xena.X@Example.COM ", newsletter=daily)

    assert stored("Xena.X@example.com")


@pytest.mark.parametrize("page", [{}, {"source": None}])
def test_a_signup_from_code_records_no_page_and_no_consent(daily, page):
    subscribe(email="reader@example.com", newsletter=daily, **page)

    reader = stored("reader@example.com")
    assert (reader.source_url, reader.consent_text, reader.consent_version) == ("", "", "")


def test_the_signup_page_is_recorded_up_to_500_characters(daily):
    page = "https://news.example.com/" + "a" * 600

    subscribe(email="reader@example.com", newsletter=daily, source=page)

    assert stored("reader@example.com").source_url == page[:500]


def test_with_double_opt_in_a_signup_waits_unconfirmed(daily, settings):
    settings.NEWSLETTER_DOUBLE_OPT_IN = True

    assert subscribe(email="reader@example.com", newsletter=daily) == Outcome.SUBSCRIBED

    reader = stored("reader@example.com")
    assert (reader.status, reader.confirmed_at) == (Subscriber.Status.PENDING, None)


def test_without_double_opt_in_a_signup_is_confirmed_at_once(daily, settings):
    settings.NEWSLETTER_DOUBLE_OPT_IN = False
    before = timezone.now()

    subscribe(email="reader@example.com", newsletter=daily)

    reader = stored("reader@example.com")
    assert reader.status == Subscriber.Status.ACTIVE
    assert before <= reader.confirmed_at <= timezone.now()


@pytest.mark.parametrize("double_opt_in", [True, False])
def test_a_bouncing_address_signing_up_again_starts_with_a_clean_slate(daily, settings, double_opt_in):
    settings.NEWSLETTER_DOUBLE_OPT_IN = double_opt_in
    SubscriberFactory(
        email="reader@example.com",
        newsletter=daily,
        status=Subscriber.Status.BOUNCING,
        failed_editions=3,
        confirmed_at=timezone.now() - timedelta(days=90),
    )
    before = timezone.now()

    assert subscribe(email="reader@example.com", newsletter=daily) == Outcome.SUBSCRIBED

    reader = stored("reader@example.com")
    assert reader.failed_editions == 0
    if double_opt_in:
        assert (reader.status, reader.confirmed_at) == (Subscriber.Status.PENDING, None)
    else:
        assert reader.status == Subscriber.Status.ACTIVE
        assert before <= reader.confirmed_at <= timezone.now()


@pytest.mark.parametrize(
    "status, outcome",
    [(Subscriber.Status.PENDING, Outcome.PENDING), (Subscriber.Status.ACTIVE, Outcome.ALREADY_SUBSCRIBED)],
)
def test_a_signup_that_loses_the_race_answers_from_the_row_that_won(daily, status, outcome):
    """Another signup of the address commits between this one's look-up and its insert."""
    SubscriberFactory(email="reader@example.com", newsletter=daily, status=status)

    with mock.patch.object(SubscriberQuerySet, "first", return_value=None):
        assert subscribe(email="Reader@Example.com", newsletter=daily) == outcome

    assert Subscriber.objects.count() == 1


def test_confirming_one_address_confirms_only_that_one(daily):
    reader, other = (
        SubscriberFactory(newsletter=daily, status=Subscriber.Status.PENDING, confirmed_at=None)
        for _ in range(2)
    )

    assert confirm(reader) is True

    reader.refresh_from_db()
    other.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE
    assert other.status == Subscriber.Status.PENDING


def test_a_confirmation_link_used_after_unsubscribing_changes_nothing(daily):
    reader = SubscriberFactory(newsletter=daily, status=Subscriber.Status.UNSUBSCRIBED)

    assert confirm(reader) is False

    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED


def test_unsubscribing_twice_keeps_the_first_time(daily):
    reader = SubscriberFactory(newsletter=daily)
    unsubscribe(reader)
    first = stored(reader.email).unsubscribed_at

    with mock.patch.object(services.timezone, "now", return_value=first + timedelta(days=1)):
        unsubscribe(reader)

    assert stored(reader.email).unsubscribed_at == first


def test_a_stored_address_must_be_in_its_normalized_form(daily):
    SubscriberFactory.build(email="reader@xn--fa-hia.de", newsletter=daily).full_clean()

    with pytest.raises(ValidationError) as refused:
        SubscriberFactory.build(email="reader@Faß.de", newsletter=daily).full_clean()

    [error] = refused.value.error_dict["email"]
    assert error.code == "not_normalized"
    assert error.messages == [str(NOT_NORMALIZED)]


def test_a_line_break_in_a_subject_is_refused_with_its_reason(client):
    newsletter = NewsletterFactory()
    client.force_login(EditorFactory())

    response = client.post(
        "/admin/newsletter/edition/add/",
        {"newsletter": newsletter.pk, "subject": "Monday\nBcc: everyone@example.com", "intro": ""},
    )

    assert response.context["adminform"].form.has_error("subject", code="line_break")
