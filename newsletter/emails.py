"""Emails to subscribers: plain text and HTML from templates, always with an unsubscribe link."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import tokens, wording
from .models import Subscriber

logger = logging.getLogger(__name__)


def absolute_url(path):
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(subscriber):
    return absolute_url(
        reverse("newsletter:unsubscribe", kwargs={"token": tokens.unsubscribe_token(subscriber)})
    )


def confirm_url(subscriber):
    return absolute_url(reverse("newsletter:confirm", kwargs={"token": tokens.confirm_token(subscriber)}))


def build_message(subscriber, *, subject, template, context=None):
    """An email to one subscriber with the List-Unsubscribe headers of RFC 2369 and RFC 8058."""
    unsubscribe = unsubscribe_url(subscriber)
    context = {
        "subscriber": subscriber,
        "newsletter": subscriber.newsletter,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe,
        "unsubscribe_label": wording.UNSUBSCRIBE,
        "subject": subject,
        **(context or {}),
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"newsletter/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string(f"newsletter/email/{template}.html", context), "text/html")
    return message


class TemporaryMailError(Exception):
    """The mail server could not take the message now (4xx reply, timeout, refused connection)."""


def is_temporary(exc):
    """Whether sending again later may succeed: 4xx replies and network trouble, not 5xx replies."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, smtplib.SMTPException | OSError)  # disconnects, timeouts, refused connections


def _send(message, subscriber_pk, kind):
    """Send one message. Raises TemporaryMailError for the task to retry; a refusal is logged."""
    try:
        message.send()
    except Exception as exc:
        if is_temporary(exc):
            raise TemporaryMailError(
                f"Could not send the {kind} email to subscriber {subscriber_pk}: {exc!r}"
            ) from exc
        logger.exception("The mail server refused the %s email to subscriber %s", kind, subscriber_pk)
        return False
    return True


def _subscriber(pk, status):
    """The subscriber, with its newsletter, if it still has `status` when the queued mail goes."""
    return Subscriber.objects.select_related("newsletter").filter(pk=pk, status=status).first()


def send_confirmation(subscriber_pk):
    """Send the confirmation link, unless it went out less than NEWSLETTER_RESEND_INTERVAL ago.

    The wait counts from a send that worked: confirmation_sent_at is set only then. Two signups
    queued while the mail server was down thus give one email once it is back.
    """
    subscriber = _subscriber(subscriber_pk, Subscriber.Status.PENDING)
    if subscriber is None or not confirmation_due(subscriber):
        return False
    name = {"name": subscriber.newsletter.name}
    message = build_message(
        subscriber,
        subject=wording.CONFIRM_SUBJECT % name,
        template="confirm",
        context={
            "confirm_url": confirm_url(subscriber),
            "ask": wording.CONFIRM_ASK % name,
            "button": wording.CONFIRM_BUTTON,
            "lifetime": wording.CONFIRM_LINK_LIFETIME
            % {"days": max(1, settings.NEWSLETTER_CONFIRM_MAX_AGE // 86400)},
            "not_you": wording.CONFIRM_NOT_YOU,
        },
    )
    sent = _send(message, subscriber.pk, "confirmation")
    if sent:
        Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=timezone.now())
    return sent


def confirmation_due(subscriber, now=None):
    """No confirmation email went out yet, or the last one is older than the resend interval."""
    sent_at = subscriber.confirmation_sent_at
    wait = timedelta(seconds=settings.NEWSLETTER_RESEND_INTERVAL)
    return sent_at is None or (now or timezone.now()) - sent_at >= wait


def send_welcome(subscriber_pk):
    subscriber = _subscriber(subscriber_pk, Subscriber.Status.ACTIVE)
    if subscriber is None:
        return False
    name = {"name": subscriber.newsletter.name}
    message = build_message(
        subscriber,
        subject=wording.WELCOME_SUBJECT % name,
        template="welcome",
        context={"subscribed": wording.WELCOME_SUBSCRIBED % name, "next_issue": wording.WELCOME_NEXT_ISSUE},
    )
    return _send(message, subscriber.pk, "welcome")
