"""Signups, confirmations and unsubscriptions: the writes and the mail that goes with them.

Each function runs in a transaction and queues its mail as a Celery task with
transaction.on_commit, so no mail leaves for a row that was rolled back, a mail server that is down
loses no row, and no web request waits for one (newsletter/tasks.py retries a failed send).
"""

import enum
from functools import partial

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import delivery, emails, tasks
from .models import Delivery, Edition, Subscriber
from .validation import normalize_email


class Outcome(enum.Enum):
    SUBSCRIBED = "subscribed"  # a new row, or an unsubscribed address back in
    PENDING = "pending"  # already waiting for confirmation; the mail is re-sent at most every 10 min
    ALREADY_SUBSCRIBED = "already_subscribed"


def subscribe(*, email, newsletter, source="", consent_text="", consent_version=""):
    """Sign an address up; raises ValidationError for an address that normalize_email refuses.

    The database decides duplicates: when two signups of one address race, the unique constraint
    lets one insert through and the other answers as if it came second (PENDING or ALREADY_SUBSCRIBED).
    """
    address = normalize_email(email)
    now = timezone.now()
    double_opt_in = settings.NEWSLETTER_DOUBLE_OPT_IN
    new_status = Subscriber.Status.PENDING if double_opt_in else Subscriber.Status.ACTIVE
    signup = {
        "source_url": (source or "")[:500],
        "consent_text": str(consent_text),
        "consent_version": consent_version,
    }

    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().for_address(address, newsletter).first()

        if subscriber is None:
            try:
                with transaction.atomic():  # a savepoint: PostgreSQL's transaction survives the error
                    subscriber = Subscriber.objects.create(
                        email=address,
                        newsletter=newsletter,
                        status=new_status,
                        confirmed_at=None if double_opt_in else now,
                        **signup,
                    )
            except IntegrityError:
                # Another signup of this address committed first: answer from its row below, so
                # an address only waiting for confirmation is never "already subscribed".
                subscriber = Subscriber.objects.select_for_update().for_address(address, newsletter).get()
            else:
                _send_on_commit(subscriber)
                return Outcome.SUBSCRIBED

        if subscriber.status == Subscriber.Status.ACTIVE:
            return Outcome.ALREADY_SUBSCRIBED

        if subscriber.status == Subscriber.Status.PENDING:
            # The wait counts from the last email that went: the task sets confirmation_sent_at.
            if emails.confirmation_due(subscriber, now):
                _send_on_commit(subscriber)
            return Outcome.PENDING

        # Unsubscribed or bouncing: welcome back, with this signup's page and consent, and a clean
        # slate of failed editions (with double opt-in, the confirmation shows the mailbox works).
        for field, value in signup.items():
            setattr(subscriber, field, value)
        subscriber.failed_editions = 0
        subscriber.status = new_status
        subscriber.unsubscribed_at = None
        subscriber.confirmed_at = None if double_opt_in else now
        subscriber.confirmation_sent_at = None
        subscriber.save()
        _send_on_commit(subscriber)
        return Outcome.SUBSCRIBED


def _send_on_commit(subscriber):
    task = tasks.send_confirmation if subscriber.status == Subscriber.Status.PENDING else tasks.send_welcome
    transaction.on_commit(partial(task.delay, subscriber.pk))


def confirm(subscriber):
    """Make a pending address active. Returns False if it was not pending (already done, or left)."""
    with transaction.atomic():
        updated = Subscriber.objects.filter(pk=subscriber.pk, status=Subscriber.Status.PENDING).update(
            status=Subscriber.Status.ACTIVE, confirmed_at=timezone.now()
        )
        if updated:
            transaction.on_commit(partial(tasks.send_welcome.delay, subscriber.pk))
    return bool(updated)


def unsubscribe(subscriber):
    """Stop all mail to this address for this newsletter. Doing it twice is harmless."""
    Subscriber.objects.filter(pk=subscriber.pk).exclude(status=Subscriber.Status.UNSUBSCRIBED).update(
        status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )


class EditionError(Exception):
    """An edition cannot do that in its state; the message says why, for the editor."""


SENDABLE = (Edition.Status.DRAFT, Edition.Status.SCHEDULED)


def _lock_sendable(edition):
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    if locked.status not in SENDABLE:
        raise EditionError(
            _("This edition is %(status)s: it cannot be sent or changed again.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


def send_edition(edition, *, by=None):
    """Send the edition to every active subscriber of its newsletter; returns how many were queued.

    One Delivery row per subscriber, unique per edition, then batch tasks once the transaction
    commits (newsletter/delivery.py). A second send of an edition is refused with EditionError.
    """
    with transaction.atomic():
        locked = _lock_sendable(edition)
        _create_deliveries(locked)
        ids = list(locked.deliveries.order_by("pk").values_list("pk", flat=True))
        now = timezone.now()
        locked.status = Edition.Status.SENDING
        locked.started_at = now
        locked.sent_by = by
        locked.recipients = len(ids)
        if not ids:
            locked.status = Edition.Status.SENT
            locked.finished_at = now
        locked.save(update_fields=["status", "started_at", "sent_by", "recipients", "finished_at"])
        transaction.on_commit(partial(delivery.fan_out, locked.pk, delivery.batches(ids)))
    for field in ("status", "started_at", "sent_by", "recipients", "finished_at"):
        setattr(edition, field, getattr(locked, field))
    return len(ids)


def _create_deliveries(edition):
    """One queued delivery per active subscriber, in one INSERT … SELECT: the ORM would send every
    row from Python, which takes seconds for a large list before the first message can go."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Delivery._meta.db_table} "
            "(edition_id, subscriber_id, status, attempts, error, message_id) "
            f"SELECT %s, id, %s, 0, '', '' FROM {Subscriber._meta.db_table} "
            "WHERE newsletter_id = %s AND status = %s ORDER BY id",
            [edition.pk, Delivery.Status.QUEUED, edition.newsletter_id, Subscriber.Status.ACTIVE],
        )


def schedule_edition(edition, *, when, by=None):
    """Send the edition by itself at `when` (the beat task send_scheduled_editions looks every minute)."""
    with transaction.atomic():
        locked = _lock_sendable(edition)
        locked.status = Edition.Status.SCHEDULED
        locked.scheduled_at = when
        locked.sent_by = by
        locked.save(update_fields=["status", "scheduled_at", "sent_by"])
    edition.status, edition.scheduled_at, edition.sent_by = locked.status, when, by


def cancel_edition(edition, *, by=None):
    """Call off a draft or scheduled edition; one already going out cannot be called back."""
    with transaction.atomic():
        locked = _lock_sendable(edition)
        locked.status = Edition.Status.CANCELLED
        locked.save(update_fields=["status"])
    edition.status = locked.status


def send_test(edition, *, to):
    """One message of the edition to an editor's own address, through the mail queue."""
    transaction.on_commit(partial(tasks.send_test_edition.delay, edition.pk, to))


def send_due_editions(now=None):
    """Send the scheduled editions whose time has come; returns how many went out."""
    now = now or timezone.now()
    due = Edition.objects.filter(status=Edition.Status.SCHEDULED, scheduled_at__lte=now).order_by(
        "scheduled_at"
    )
    sent = 0
    for edition in due:
        try:
            send_edition(edition, by=edition.sent_by)
        except EditionError:
            continue  # cancelled or sent since the query: nothing to do
        sent += 1
    return sent
