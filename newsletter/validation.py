"""A strict check of subscriber addresses, stricter than Django's EmailValidator.

An address must be a plain `local@domain` that any mail server accepts and that can go into a
mail header untouched: no quoted local parts, comments, IP literals or dot-less domains, and no
control characters anywhere. The domain may be written in Unicode (`user@bücher.de`); it is
stored IDNA-encoded and lower-cased (`user@xn--bcher-kva.de`). The local part keeps its case.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MESSAGE_REQUIRED = _("You must complete your e-mail")
MESSAGE_INVALID = _("You must complete a correct email")

MAX_ADDRESS_LENGTH = 254  # RFC 5321's limit on a forward path, less the angle brackets
MAX_LOCAL_LENGTH = 64
MAX_DOMAIN_LENGTH = 253

# RFC 5322 dot-atom: runs of atext separated by single dots, no dot first or last.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
LOCAL_PART_RE = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*")
# An LDH label (letters, digits, hyphens; no hyphen first or last), after IDNA encoding.
LABEL_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
# A top-level domain is alphabetic, or an IDNA label.
TLD_RE = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")


def _invalid():
    return ValidationError(MESSAGE_INVALID, code="invalid")


def _has_forbidden_character(value):
    """Control, format, separator (spaces of every kind) and unassigned characters."""
    return any(unicodedata.category(char)[0] in "CZ" for char in value)


def _encode_domain(domain):
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
        # A label that claims to be IDNA ("xn--") must decode; round-tripping catches garbage.
        ascii_domain.encode("ascii").decode("idna")
    except UnicodeError as error:
        raise _invalid() from error
    return ascii_domain


def normalize_email(value):
    """Return the address to store, or raise ValidationError with the message to show.

    Only ordinary spaces around the address are trimmed: a newline or tab anywhere, even at the
    end, means the value did not come from a person typing into the form and is refused.
    """
    if value is None:
        value = ""
    value = str(value).strip(" ")
    if not value:
        raise ValidationError(MESSAGE_REQUIRED, code="required")
    if len(value) > MAX_ADDRESS_LENGTH or _has_forbidden_character(value):
        raise _invalid()
    if value.count("@") != 1:
        raise _invalid()
    local, domain = value.split("@")
    if len(local) > MAX_LOCAL_LENGTH or not LOCAL_PART_RE.fullmatch(local):
        raise _invalid()
    if not domain or domain.startswith(".") or domain.endswith(".") or ".." in domain:
        raise _invalid()

    ascii_domain = _encode_domain(domain)
    labels = ascii_domain.split(".")
    if len(ascii_domain) > MAX_DOMAIN_LENGTH or len(labels) < 2:
        raise _invalid()
    if not all(LABEL_RE.fullmatch(label) for label in labels) or not TLD_RE.fullmatch(labels[-1]):
        raise _invalid()

    address = f"{local}@{ascii_domain}"
    if len(address) > MAX_ADDRESS_LENGTH:
        raise _invalid()
    return address


def validate_subscriber_email(value):
    """Model-field validator: the stored form must already be normalized."""
    if normalize_email(value) != value:
        raise ValidationError(
            _("Store addresses normalized: the domain lower-cased and IDNA-encoded."), code="not_normalized"
        )
