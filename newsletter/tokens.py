"""Signed tokens: the links in emails and the time-to-submit stamp in the form.

Link tokens carry the subscriber's id and a digest of the address, signed with SECRET_KEY and a
salt per purpose: they cannot be guessed, a confirmation token is no unsubscribe token, and a
token made for one address matches no other row. They do not reveal the address, nor let
anyone test a guess of it.
"""

import time

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

from .models import Subscriber

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
FORM_SALT = "newsletter.form-rendered"


def _address_digest(email):
    """Keyed with SECRET_KEY: nobody can check a guessed address against a token."""
    return salted_hmac("newsletter.address", email.lower(), algorithm="sha256").hexdigest()[:20]


def _payload(subscriber):
    return [subscriber.pk, _address_digest(subscriber.email)]


def _subscriber_from(payload):
    try:
        pk, digest = payload
    except (TypeError, ValueError):
        return None
    subscriber = Subscriber.objects.select_related("newsletter").filter(pk=pk).first()
    if subscriber is None or _address_digest(subscriber.email) != digest:
        return None
    return subscriber


def confirm_token(subscriber):
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(_payload(subscriber))


def subscriber_from_confirm_token(token):
    """The subscriber, or None when the token is tampered with, expired or of another address."""
    try:
        payload = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(
            token, max_age=settings.NEWSLETTER_CONFIRM_MAX_AGE
        )
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    return _subscriber_from(payload)


def unsubscribe_token(subscriber):
    """Never expires: an unsubscribe link in an old email must keep working."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(_payload(subscriber))


def subscriber_from_unsubscribe_token(token):
    try:
        payload = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    return _subscriber_from(payload)


def form_rendered_token():
    """Stamped into the form when it is rendered; see SubscribeForm.stamp_refused.

    It holds only the time, signed: every reader of a (cached) page gets the same bytes.
    """
    return signing.dumps(int(time.time() * 1000) / 1000, salt=FORM_SALT)  # never in the future


def seconds_since_rendered(token):
    """Seconds since the form holding this token was rendered; None if the token is not ours."""
    try:
        rendered = float(signing.loads(token or "", salt=FORM_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return time.time() - rendered
