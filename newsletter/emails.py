"""Emails to subscribers: plain text and HTML from templates, always with an unsubscribe link."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from . import tokens
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


def _send(message, subscriber_pk, kind):
    """Send, or log why not: a mail server that is down must not lose the signup."""
    try:
        message.send()
    except Exception:
        logger.exception("Could not send the %s email to subscriber %s", kind, subscriber_pk)
        return False
    return True


def send_confirmation(subscriber_pk):
    subscriber = Subscriber.objects.select_related("newsletter").filter(pk=subscriber_pk).first()
    if subscriber is None or subscriber.status != Subscriber.Status.PENDING:
        return False
    message = build_message(
        subscriber,
        subject=_("Confirm your subscription to %(name)s") % {"name": subscriber.newsletter.name},
        template="confirm",
        context={
            "confirm_url": confirm_url(subscriber),
            "max_age_days": max(1, settings.NEWSLETTER_CONFIRM_MAX_AGE // 86400),
        },
    )
    return _send(message, subscriber.pk, "confirmation")


def send_welcome(subscriber_pk):
    subscriber = Subscriber.objects.select_related("newsletter").filter(pk=subscriber_pk).first()
    if subscriber is None or subscriber.status != Subscriber.Status.ACTIVE:
        return False
    message = build_message(
        subscriber,
        subject=_("Welcome to %(name)s") % {"name": subscriber.newsletter.name},
        template="welcome",
    )
    return _send(message, subscriber.pk, "welcome")
