"""Automatic digests: at a newsletter's digest time, an edition of what is new, sent by itself.

Times are local to the site (settings.TIME_ZONE), so "daily at 07:00" stays 07:00 for readers
across daylight-saving changes. send_due_digests() runs every minute (the Celery beat task
newsletter.tasks.send_due_digests, or the send_due_digests management command from cron). Each
digest time is one slot: its edition records the slot in scheduled_at, and the newsletter's row
is locked while the slot is checked and the edition created, so two runs never send two digests
for one slot. A digest carries the stories published up to its slot since the previous edition;
when there are none, nothing is created or sent.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from . import services, wording
from .editions import candidate_stories
from .models import Edition, EditionStory, Newsletter

# A slot missed by longer than this (the scheduler was down) is skipped rather than sent late;
# its stories go in the next digest, which starts from the previous edition.
LATE_LIMIT = datetime.timedelta(hours=1)


def latest_slot(newsletter, now):
    """The newsletter's latest digest time at or before `now` (aware), or None when its digest is off."""
    if newsletter.digest == Newsletter.Digest.OFF:
        return None
    zone = timezone.get_default_timezone()
    today = timezone.localtime(now, zone).date()
    if newsletter.digest == Newsletter.Digest.WEEKLY:
        day, step = today - datetime.timedelta(days=(today.weekday() - newsletter.digest_weekday) % 7), 7
    else:
        day, step = today, 1
    slot = datetime.datetime.combine(day, newsletter.digest_time, tzinfo=zone)
    if slot > now:
        day -= datetime.timedelta(days=step)
        slot = datetime.datetime.combine(day, newsletter.digest_time, tzinfo=zone)
    return slot


def send_due_digests(now=None):
    """Build and send every digest whose time has come; returns the editions sent."""
    now = now or timezone.now()
    sent = []
    for newsletter in Newsletter.objects.active().exclude(digest=Newsletter.Digest.OFF):
        slot = latest_slot(newsletter, now)
        if now - slot < LATE_LIMIT and (edition := send_digest(newsletter, slot)) is not None:
            sent.append(edition)
    return sent


def send_digest(newsletter, slot):
    """The digest of this slot, built and sent; None if the slot had one already or nothing is new."""
    with transaction.atomic():
        Newsletter.objects.select_for_update().filter(pk=newsletter.pk).first()
        if newsletter.editions.filter(is_digest=True, scheduled_at=slot).exists():
            return None
        stories = list(candidate_stories(newsletter, until=slot))
        if not stories:
            return None
        local_day = timezone.localtime(slot).date()
        edition = Edition.objects.create(
            newsletter=newsletter,
            subject=wording.DIGEST_SUBJECT % {"name": newsletter.name, "date": date_format(local_day)},
            is_digest=True,
            scheduled_at=slot,
        )
        EditionStory.objects.bulk_create(
            EditionStory(edition=edition, article=article, position=position)
            for position, article in enumerate(stories, start=1)
        )
        services.send_edition(edition)
    return edition
