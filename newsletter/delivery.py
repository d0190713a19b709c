"""Sending an edition to its subscribers: in batches, each over one SMTP connection, never twice.

Every (edition, subscriber) has a Delivery row, created queued by services.send_edition. A batch
claims each delivery in the database (queued -> sending) just before handing it to SMTP and marks
it sent right after. Run again after a crash, a batch sends only what is still queued. A delivery
still "sending" long after its claim was caught between the hand-off and the record: it may or may
not have gone, so it is marked unknown, counted, and never sent again automatically.

The claim checks the subscriber's status at that moment: an address that unsubscribes (or starts
bouncing) while an edition goes out gets nothing more. A permanent refusal of an address (a 5xx
reply to RCPT) fails its delivery; three editions in a row failed make the subscriber bouncing.
"""

import logging
import random
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .editions import message_for, render_edition
from .emails import TemporaryMailError, is_temporary
from .models import Delivery, Edition, Subscriber

logger = logging.getLogger(__name__)

# Editions in a row that the mail server refused for an address before it is bouncing.
BOUNCE_LIMIT = 3
# How long an edition may go without any delivery claimed before the sweep queues its rest again
# (a batch task lost with its broker); a second run of a batch is harmless, claims are atomic.
STALL_SECONDS = 15 * 60


QUEUED, SENDING, SENT, SKIPPED = (
    Delivery.Status.QUEUED.value,
    Delivery.Status.SENDING.value,
    Delivery.Status.SENT.value,
    Delivery.Status.SKIPPED.value,
)
ACTIVE = Subscriber.Status.ACTIVE.value
# Per message, the claim and the record are each one plain UPDATE of one row by its key: no model
# or queryset machinery in the loop that sends a batch.
_DELIVERY = Delivery._meta.db_table
CLAIM_SQL = (
    f"UPDATE {_DELIVERY} SET status = %s, claimed_at = %s, attempts = attempts + 1"
    f" WHERE id = %s AND status = %s"
    f" AND EXISTS (SELECT 1 FROM {Subscriber._meta.db_table} WHERE id = %s AND status = %s)"
)
SKIP_SQL = f"UPDATE {_DELIVERY} SET status = %s WHERE id = %s AND status = %s"
RECORD_SQL = (
    f"UPDATE {_DELIVERY} SET status = %s, sent_at = %s, message_id = %s WHERE id = %s AND status = %s"
)


def backoff(retries):
    """Exponential backoff with full jitter: about 1, 2, 4… times the base, at most an hour."""
    ceiling = min(3600, settings.NEWSLETTER_MAIL_RETRY_BACKOFF * 2**retries)
    return random.uniform(ceiling / 2, ceiling)


def send_batch(edition_id, first_id, last_id):
    """Send the queued deliveries of this edition with ids first_id..last_id.

    Raises TemporaryMailError when the mail server cannot take mail now (the rest stays queued).
    Returns 0, or the seconds to wait before running again when another run holds some claims.
    """
    edition = Edition.objects.select_related("newsletter").get(pk=edition_id)
    batch = Delivery.objects.filter(edition_id=edition_id, pk__gte=first_id, pk__lte=last_id)
    mark_stale_unknown(batch)
    queued = list(batch.filter(status=Delivery.Status.QUEUED).select_related("subscriber").order_by("pk"))
    if queued and edition.status == Edition.Status.SENDING:
        _send_all(edition, queued)
    if edition.status == Edition.Status.SENDING:
        finish_if_done(edition_id)
    oldest = batch.filter(status=Delivery.Status.SENDING).order_by("claimed_at").first()
    if oldest is None:
        return 0
    age = (timezone.now() - oldest.claimed_at).total_seconds()
    return max(1, settings.NEWSLETTER_CLAIM_TIMEOUT - age)


def _send_all(edition, deliveries):
    rendered = render_edition(edition)
    connection = get_connection()
    try:
        connection.open()
    except Exception as exc:
        if is_temporary(exc):
            raise TemporaryMailError(f"cannot connect to the mail server: {exc!r}") from exc
        raise
    sent = []
    deferred = 0
    cursor = db_connection.cursor()
    relaxed = _relax_commits(cursor)
    try:
        for delivery in deliveries:
            message = message_for(rendered, delivery.subscriber, delivery)  # before the claim: a short window
            if not _claim(cursor, delivery):
                continue
            try:
                connection.send_messages([message])
            except Exception as exc:
                deferred += _record_failure(delivery, exc)
                continue
            cursor.execute(
                RECORD_SQL, [SENT, _now(), message.extra_headers["Message-ID"], delivery.pk, SENDING]
            )
            sent.append(delivery.subscriber_id)
    finally:
        try:
            connection.close()
        finally:
            if relaxed:
                cursor.execute("RESET synchronous_commit")
            cursor.close()
            # A delivered edition ends a run of failures.
            Subscriber.objects.filter(pk__in=sent, failed_editions__gt=0).update(failed_editions=0)
    if deferred:
        raise TemporaryMailError(f"{deferred} addresses answered: try again later")


def _claim(cursor, delivery):
    """Take the delivery for sending, if it is still queued and its subscriber still active."""
    # One statement, committed on its own (autocommit). The conditions stay on the delivery row
    # itself: PostgreSQL checks them again after waiting for a concurrent claim of the row. The
    # subscriber is looked up by its id as a constant, an index lookup whatever the statistics.
    cursor.execute(CLAIM_SQL, [SENDING, _now(), delivery.pk, QUEUED, delivery.subscriber_id, ACTIVE])
    if cursor.rowcount == 1:
        return True
    # Someone else took it, or the address left or bounces: then it is skipped.
    cursor.execute(SKIP_SQL, [SKIPPED, delivery.pk, QUEUED])
    return False


def _now():
    """Now, as the database backend stores a DateTimeField (naive UTC on SQLite)."""
    return db_connection.ops.adapt_datetimefield_value(timezone.now())


def _relax_commits(cursor):
    """On PostgreSQL, let this session's commits return before the WAL reaches the disk.

    Safe here: a worker killed mid-batch cannot lose a commit the database has acknowledged, since
    the database itself stays up and writes them out within a fraction of a second. Only a crash of
    the database server could lose the last claims or records; the message is already handed over
    and would be sent again, like a restore from backup would. Returns whether it was set (to reset).
    """
    if db_connection.vendor != "postgresql":
        return False
    cursor.execute("SET synchronous_commit TO off")
    return True


def _record_failure(delivery, exc):
    """Record why a message did not go; raises TemporaryMailError when the batch must stop and retry.

    "Not now" for one address (4xx to RCPT, e.g. greylisting) queues it again and the batch goes on;
    any other 4xx reply ("service closing") queues it again and stops the batch. A timeout or a
    disconnection mid-message may have delivered it: unknown. A refusal (5xx) fails it, and counts
    against the address when the server refused the recipient.
    """
    error = repr(exc)[:300]
    this = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING)
    answered = isinstance(exc, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused)
    if answered and is_temporary(exc):
        this.update(status=Delivery.Status.QUEUED, error=error)
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            return True
        raise TemporaryMailError(error) from exc
    if is_temporary(exc):
        this.update(status=Delivery.Status.UNKNOWN, error=error)
        raise TemporaryMailError(error) from exc
    this.update(status=Delivery.Status.FAILED, error=error)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        count_bounce(delivery.subscriber_id)
    return False


def count_bounce(subscriber_id):
    with transaction.atomic():
        Subscriber.objects.filter(pk=subscriber_id).update(failed_editions=F("failed_editions") + 1)
        Subscriber.objects.filter(
            pk=subscriber_id, status=Subscriber.Status.ACTIVE, failed_editions__gte=BOUNCE_LIMIT
        ).update(status=Subscriber.Status.BOUNCING)


def mark_stale_unknown(deliveries):
    """Deliveries claimed longer ago than any send takes: caught between SMTP and the record."""
    stale = timezone.now() - timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT)
    return deliveries.filter(status=Delivery.Status.SENDING, claimed_at__lt=stale).update(
        status=Delivery.Status.UNKNOWN, error="The worker stopped between sending and recording."
    )


def finish_if_done(edition_id):
    """The edition is sent once no delivery is queued or being sent."""
    pending = Delivery.objects.filter(
        edition_id=edition_id, status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
    )
    if pending.exists():
        return False
    return bool(
        Edition.objects.filter(pk=edition_id, status=Edition.Status.SENDING).update(
            status=Edition.Status.SENT, finished_at=timezone.now()
        )
    )


def give_up(edition_id, first_id, last_id, error):
    """After the last retry, the batch's queued deliveries fail (not counted as the address's fault)."""
    Delivery.objects.filter(
        edition_id=edition_id, pk__gte=first_id, pk__lte=last_id, status=Delivery.Status.QUEUED
    ).update(status=Delivery.Status.FAILED, error=error[:300])
    finish_if_done(edition_id)


def batches(delivery_ids, size=None):
    """(first_id, last_id) ranges of at most `size` deliveries, from ids in ascending order."""
    size = size or settings.NEWSLETTER_BATCH_SIZE
    return [
        (delivery_ids[i], delivery_ids[min(i + size, len(delivery_ids)) - 1])
        for i in range(0, len(delivery_ids), size)
    ]


def fan_out(edition_id, ranges):
    from .tasks import send_edition_batch

    for first_id, last_id in ranges:
        send_edition_batch.delay(edition_id, first_id, last_id)


def sweep():
    """For editions going out: stale claims become unknown; stalled ones are queued again; done ones end."""
    stalled_before = timezone.now() - timedelta(seconds=STALL_SECONDS)
    for edition in Edition.objects.filter(status=Edition.Status.SENDING):
        deliveries = edition.deliveries.all()
        mark_stale_unknown(deliveries)
        if finish_if_done(edition.pk):
            continue
        recent = deliveries.filter(claimed_at__gte=stalled_before).exists()
        if not recent and edition.started_at < stalled_before:
            queued = list(
                deliveries.filter(status=Delivery.Status.QUEUED).order_by("pk").values_list("pk", flat=True)
            )
            logger.warning(
                "Edition %s made no progress for a while: queuing its %s deliveries again",
                edition.pk,
                len(queued),
            )
            fan_out(edition.pk, batches(queued))


def send_test(edition_id, address):
    """One message of the edition to an editor's own address (its unsubscribe link leads nowhere)."""
    edition = Edition.objects.select_related("newsletter").get(pk=edition_id)
    stand_in = Subscriber(pk=0, email=address, newsletter=edition.newsletter)
    message = message_for(render_edition(edition), stand_in)
    try:
        message.send()
    except Exception as exc:
        if is_temporary(exc):
            raise TemporaryMailError(repr(exc)) from exc
        logger.exception("The mail server refused the test of edition %s to %s", edition_id, address)
        return False
    return True
