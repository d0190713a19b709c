"""Background work: every email the site sends, and the delivery of editions.

Mail tasks retry on a temporary SMTP failure (4xx reply, timeout, refused connection), waiting
about NEWSLETTER_MAIL_RETRY_BACKOFF seconds, then twice as long each time (with jitter), at most
an hour. Tasks are queued with transaction.on_commit, so none runs for a row that was rolled back.
"""

from celery import shared_task
from django.conf import settings

from . import delivery, digests, emails, services
from .emails import TemporaryMailError

MAIL_RETRY = {
    "autoretry_for": (TemporaryMailError,),
    "retry_backoff": settings.NEWSLETTER_MAIL_RETRY_BACKOFF,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": settings.NEWSLETTER_MAIL_RETRIES,
}


@shared_task(**MAIL_RETRY)
def send_confirmation(subscriber_id):
    return emails.send_confirmation(subscriber_id)


@shared_task(**MAIL_RETRY)
def send_welcome(subscriber_id):
    return emails.send_welcome(subscriber_id)


@shared_task(**MAIL_RETRY)
def send_test_edition(edition_id, address):
    return delivery.send_test(edition_id, address)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def send_edition_batch(self, edition_id, first_id, last_id):
    """Send the edition's deliveries with ids first_id..last_id over one SMTP connection.

    Run again (a retry, or a redelivery after its worker died), it sends only what is still queued.
    """
    try:
        wait = delivery.send_batch(edition_id, first_id, last_id)
    except TemporaryMailError as exc:
        if self.request.retries >= settings.NEWSLETTER_MAIL_RETRIES:
            delivery.give_up(edition_id, first_id, last_id, str(exc))
            return
        countdown = delivery.backoff(self.request.retries)
        raise self.retry(exc=exc, countdown=countdown, max_retries=settings.NEWSLETTER_MAIL_RETRIES) from exc
    if wait and not self.request.is_eager:
        # Deliveries still claimed by another run of this batch: look again once that claim is stale.
        raise self.retry(countdown=wait, max_retries=None)


@shared_task
def send_scheduled_editions():
    """Every minute (beat): send the editions whose time has come, and tidy editions going out."""
    services.send_due_editions()
    delivery.sweep()


@shared_task
def send_due_digests():
    """Every minute (beat): build and send the automatic digests whose time has come."""
    digests.send_due_digests()
