"""Automatic digests: at the local digest time, the new stories, sent once; nothing when nothing is new."""

import io
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from newsletter import services
from newsletter.models import Edition, Newsletter
from newsroom.celery import app
from tests.factories import (
    ArticleFactory,
    EditionFactory,
    NewsletterFactory,
    SectionFactory,
    SubscriberFactory,
)

pytestmark = pytest.mark.django_db


class Clock:
    """A mocked now for everything that asks django.utils.timezone (the digests, published(), factories)."""

    def __init__(self, now):
        self.now = now

    def at(self, moment):
        self.now = datetime.fromisoformat(moment)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


@pytest.fixture
def run(clock, django_capture_on_commit_callbacks):
    """Run the management command at a UTC time, like cron or the beat task every minute."""

    def run(moment):
        clock.at(moment)
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_due_digests", stdout=out)
        return out.getvalue()

    return run


def daily(**fields):
    """The site's default newsletter (a daily digest at 07:00 since its migration), with one reader."""
    newsletter = Newsletter.objects.get(is_default=True)
    for name, value in fields.items():
        setattr(newsletter, name, value)
    newsletter.save()
    SubscriberFactory(newsletter=newsletter, email="reader@example.com")
    return newsletter


def story(clock, moment, **fields):
    clock.at(moment)
    return ArticleFactory(published_at=clock.now, **fields)


def digest_titles(edition):
    return [item.article.title for item in edition.items.all()]


def test_a_daily_digest_goes_out_at_seven_local_time_once(settings, clock, run):
    settings.TIME_ZONE = "Europe/Paris"  # UTC+1 in November: 07:00 there is 06:00 UTC
    newsletter = daily()
    story(clock, "2026-11-26T20:00:00+00:00", title="Evening story")

    assert run("2026-11-27T05:59:00+00:00").endswith("0 digest(s) sent.\n")
    assert not Edition.objects.exists() and not mail.outbox

    run("2026-11-27T06:00:00+00:00")
    run("2026-11-27T06:01:00+00:00")
    # Even a story back-dated to before the slot makes no second digest for it.
    story(clock, "2026-11-27T05:30:00+00:00", title="Back-dated story")
    run("2026-11-27T06:45:00+00:00")

    edition = Edition.objects.get()
    assert edition.is_digest and edition.newsletter == newsletter
    assert edition.scheduled_at == datetime.fromisoformat("2026-11-27T06:00:00+00:00")
    assert edition.status in (Edition.Status.SENDING, Edition.Status.SENT)
    assert edition.subject == "The Newsroom Daily, Nov. 27, 2026"
    assert digest_titles(edition) == ["Evening story"]
    [message] = mail.outbox
    assert message.to == ["reader@example.com"] and "Evening story" in message.body


def test_the_local_slot_falls_on_the_previous_utc_day(settings, clock, run):
    settings.TIME_ZONE = "Pacific/Auckland"  # UTC+13 in November: 07:00 on the 28th is 18:00 UTC on the 27th
    daily()
    story(clock, "2026-11-27T09:00:00+00:00", title="Auckland story")

    run("2026-11-27T17:59:00+00:00")
    assert not Edition.objects.exists()
    run("2026-11-27T18:00:00+00:00")

    edition = Edition.objects.get()
    assert edition.scheduled_at == datetime.fromisoformat("2026-11-27T18:00:00+00:00")
    assert edition.subject == "The Newsroom Daily, Nov. 28, 2026"
    assert len(mail.outbox) == 1


def test_the_next_digest_carries_only_what_is_new(settings, clock, run):
    settings.TIME_ZONE = "Europe/Paris"
    daily()
    story(clock, "2026-11-26T20:00:00+00:00", title="Yesterday's story")
    # Published after the 07:00 slot, before a late run of it: it belongs to the next digest.
    story(clock, "2026-11-27T06:10:00+00:00", title="Just after seven")
    run("2026-11-27T06:20:00+00:00")
    story(clock, "2026-11-27T12:00:00+00:00", title="Lunchtime story")

    run("2026-11-28T06:00:00+00:00")

    first, second = Edition.objects.order_by("scheduled_at")
    assert digest_titles(first) == ["Yesterday's story"]
    assert digest_titles(second) == ["Lunchtime story", "Just after seven"]
    assert len(mail.outbox) == 2


def test_nothing_is_sent_when_nothing_is_new(settings, clock, run):
    settings.TIME_ZONE = "Europe/Paris"
    daily()
    story(clock, "2026-11-26T20:00:00+00:00")
    run("2026-11-27T06:00:00+00:00")
    mail.outbox.clear()

    run("2026-11-28T06:00:00+00:00")
    run("2026-11-28T06:01:00+00:00")

    assert Edition.objects.count() == 1
    assert not mail.outbox


def test_only_the_newsletters_section_and_only_public_stories(settings, clock, run):
    settings.TIME_ZONE = "Europe/Paris"
    city = SectionFactory(name="City")
    daily(section=city)
    clock.at("2026-11-26T20:00:00+00:00")
    ArticleFactory(section=city, title="City story", published_at=clock.now)
    ArticleFactory(title="Sports story", published_at=clock.now)
    ArticleFactory(section=city, title="City draft", draft=True)
    ArticleFactory(section=city, title="City tomorrow", published_at=clock.now + timedelta(days=1))

    run("2026-11-27T06:00:00+00:00")

    assert digest_titles(Edition.objects.get()) == ["City story"]


def test_a_weekly_digest_goes_out_on_its_day(settings, clock, run):
    settings.TIME_ZONE = "Europe/Paris"
    daily(digest=Newsletter.Digest.WEEKLY, digest_weekday=Newsletter.Weekday.WEDNESDAY)
    story(clock, "2026-11-20T10:00:00+00:00", title="Last week's story")

    run("2026-11-24T06:00:00+00:00")  # Tuesday 07:00 in Paris
    assert not Edition.objects.exists()
    run("2026-11-25T06:00:00+00:00")  # Wednesday
    run("2026-11-26T06:00:00+00:00")  # Thursday

    edition = Edition.objects.get()
    assert timezone.localtime(edition.scheduled_at).strftime("%A %H:%M") == "Wednesday 07:00"
    assert digest_titles(edition) == ["Last week's story"]


def test_a_digest_time_missed_by_over_an_hour_is_skipped_and_its_stories_wait(settings, clock, run):
    settings.TIME_ZONE = "Europe/Paris"
    daily()
    story(clock, "2026-11-26T20:00:00+00:00", title="Waiting story")

    run("2026-11-27T07:01:00+00:00")  # the scheduler was down from 07:00 to 08:01 Paris time
    assert not Edition.objects.exists()
    run("2026-11-28T06:00:00+00:00")

    assert digest_titles(Edition.objects.get()) == ["Waiting story"]


def test_newsletters_with_the_digest_off_or_inactive_get_none(settings, clock, run):
    daily(digest=Newsletter.Digest.OFF)
    NewsletterFactory(digest=Newsletter.Digest.DAILY, active=False)
    story(clock, "2026-11-26T20:00:00+00:00")

    run("2026-11-27T07:00:00+00:00")

    assert not Edition.objects.exists()


def test_the_default_newsletter_is_a_daily_digest_at_seven():
    default = Newsletter.objects.get(is_default=True)
    assert default.digest == Newsletter.Digest.DAILY
    assert default.digest_time.strftime("%H:%M") == "07:00"


def test_one_digest_per_slot_even_after_another_edition_went_out(settings, clock, run):
    settings.TIME_ZONE = "Europe/Paris"
    newsletter = daily()
    early = story(clock, "2026-11-27T05:30:00+00:00", title="Early story")
    clock.at("2026-11-27T04:00:00+00:00")
    composed = EditionFactory(newsletter=newsletter, articles=[story(clock, "2026-11-27T03:00:00+00:00")])
    run("2026-11-27T06:00:00+00:00")
    clock.at("2026-11-27T06:00:30+00:00")
    services.send_edition(composed)  # composed at 05:00 Paris time, sent just after the digest

    run("2026-11-27T06:01:00+00:00")

    digest = Edition.objects.get(is_digest=True)
    assert early in [item.article for item in digest.items.all()]


def test_the_beat_runs_the_digest_task_every_minute(settings, clock, django_capture_on_commit_callbacks):
    settings.TIME_ZONE = "Europe/Paris"
    [entry] = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "newsletter.tasks.send_due_digests"
    ]
    assert entry["schedule"] == 60.0
    daily()
    story(clock, "2026-11-26T20:00:00+00:00", title="Beat story")
    clock.at("2026-11-27T06:00:00+00:00")

    with django_capture_on_commit_callbacks(execute=True):
        app.tasks[entry["task"]].delay()

    assert digest_titles(Edition.objects.get()) == ["Beat story"]
    assert len(mail.outbox) == 1


def test_seven_local_stays_seven_across_the_clock_change(settings, clock, run):
    settings.TIME_ZONE = "Europe/Paris"  # summer time ends on 25 October 2026: UTC+2, then UTC+1
    daily()
    story(clock, "2026-10-23T20:00:00+00:00", title="Friday story")
    run("2026-10-24T05:00:00+00:00")  # Saturday 07:00 CEST
    story(clock, "2026-10-24T20:00:00+00:00", title="Saturday story")

    run("2026-10-25T05:00:00+00:00")  # Sunday 06:00 CET: not yet
    assert Edition.objects.count() == 1
    run("2026-10-25T06:00:00+00:00")  # Sunday 07:00 CET

    saturday, sunday = Edition.objects.order_by("scheduled_at")
    assert [timezone.localtime(e.scheduled_at).strftime("%a %H:%M") for e in (saturday, sunday)] == [
        "Sat 07:00",
        "Sun 07:00",
    ]
    assert digest_titles(sunday) == ["Saturday story"]
