from django import forms
from django.conf import settings

from . import tokens
from .validation import MESSAGE_REQUIRED, normalize_email

HONEYPOT_FIELD = "website"


class SubscribeForm(forms.Form):
    """The signup box: one address, plus two hidden traps for bots (honeypot and time stamp)."""

    # A bare Field: normalize_email alone decides (trims spaces, refuses newlines and NULs).
    email = forms.Field(required=False)
    website = forms.CharField(required=False)  # the honeypot: hidden from people, left empty
    rendered = forms.CharField(required=False)  # tokens.form_rendered_token()

    def clean_email(self):
        value = str(self.cleaned_data.get("email") or "")
        if not value.strip():
            raise forms.ValidationError(MESSAGE_REQUIRED, code="required")
        return normalize_email(value)

    def honeypot_filled(self):
        return bool(self.data.get(HONEYPOT_FIELD))

    def sent_too_fast(self):
        """Sent back sooner than a person could type an address, or never rendered by us."""
        age = tokens.seconds_since_rendered(self.data.get("rendered"))
        return age is None or age < settings.NEWSLETTER_MIN_SUBMIT_SECONDS
