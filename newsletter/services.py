"""Signups, confirmations and unsubscriptions: the writes and the mail that goes with them.

Each function runs in a transaction and sends its mail with transaction.on_commit, so no mail
leaves for a row that was rolled back, and a mail server that is down loses no row.
"""

import enum
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import emails
from .models import Subscriber
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
                        confirmation_sent_at=now if double_opt_in else None,
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
            resend_after = timedelta(seconds=settings.NEWSLETTER_RESEND_INTERVAL)
            sent_at = subscriber.confirmation_sent_at
            if sent_at is None or now - sent_at >= resend_after:
                subscriber.confirmation_sent_at = now
                subscriber.save(update_fields=["confirmation_sent_at"])
                _send_on_commit(subscriber)
            return Outcome.PENDING

        # Unsubscribed: welcome back, with this signup's page and consent.
        for field, value in signup.items():
            setattr(subscriber, field, value)
        subscriber.status = new_status
        subscriber.unsubscribed_at = None
        subscriber.confirmed_at = None if double_opt_in else now
        subscriber.confirmation_sent_at = now if double_opt_in else None
        subscriber.save()
        _send_on_commit(subscriber)
        return Outcome.SUBSCRIBED


def _send_on_commit(subscriber):
    send = emails.send_confirmation if subscriber.status == Subscriber.Status.PENDING else emails.send_welcome
    transaction.on_commit(partial(send, subscriber.pk))


def confirm(subscriber):
    """Make a pending address active. Returns False if it was not pending (already done, or left)."""
    with transaction.atomic():
        updated = Subscriber.objects.filter(pk=subscriber.pk, status=Subscriber.Status.PENDING).update(
            status=Subscriber.Status.ACTIVE, confirmed_at=timezone.now()
        )
        if updated:
            transaction.on_commit(partial(emails.send_welcome, subscriber.pk))
    return bool(updated)


def unsubscribe(subscriber):
    """Stop all mail to this address for this newsletter. Doing it twice is harmless."""
    Subscriber.objects.filter(pk=subscriber.pk).exclude(status=Subscriber.Status.UNSUBSCRIBED).update(
        status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )
