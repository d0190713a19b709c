"""Checks of what readers and editors type that ends up in an email.

Subscriber addresses are checked by email-validator (IDNA 2008, special-use and reserved domains
such as .test, .invalid, .local and .localhost refused; deliverability is not looked up, so a
signup never waits on DNS). An address must be a plain `local@domain`: no quoted local parts,
comments, IP literals or dot-less domains, and no characters outside ASCII before the @ (see the
README: Django's mail sending cannot address SMTPUTF8 mailboxes). The domain may be typed in
Unicode (`user@faß.de`); it is stored in its ASCII form (`user@xn--fa-hia.de`), lower-cased,
which is exactly what the mail server is given. The local part keeps its case.
"""

import re

from django.core.exceptions import ValidationError
from email_validator import EmailNotValidError, validate_email

from .wording import INVALID, NOT_NORMALIZED, REQUIRED, SINGLE_LINE

# No top-level domain is one letter or numeric: `user@example.c` is a typo, not an address.
TLD_RE = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")
LINE_BREAKS_RE = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def normalize_email(value):
    """Return the address to store, or raise ValidationError with the message to show.

    Only ordinary spaces around the address are trimmed: a newline or tab anywhere, even at the
    end, means the value did not come from a person typing into the form and is refused.
    """
    value = str(value or "").strip(" ")
    if not value:
        raise ValidationError(REQUIRED, code="required")
    try:
        checked = validate_email(value, check_deliverability=False, allow_smtputf8=False, strict=True)
    except EmailNotValidError as error:
        raise ValidationError(INVALID, code="invalid") from error
    address = checked.ascii_email
    if not TLD_RE.fullmatch(address.rsplit(".", 1)[-1]):
        raise ValidationError(INVALID, code="invalid")
    return address


def validate_subscriber_email(value):
    """Model-field validator: the stored form must already be normalized."""
    if normalize_email(value) != value:
        raise ValidationError(NOT_NORMALIZED, code="not_normalized")


def validate_single_line(value):
    """For text that goes into a mail header (a newsletter's name, an edition's subject): one line.

    A line break in a header would end it (or be refused by Django's mail code, failing every
    message), so it is refused where the editor types it.
    """
    if LINE_BREAKS_RE.search(str(value)):
        raise ValidationError(SINGLE_LINE, code="line_break")
