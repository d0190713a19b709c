from django import forms
from django.conf import settings

from . import tokens
from .validation import normalize_email
from .wording import REQUIRED

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
            raise forms.ValidationError(REQUIRED, code="required")
        return normalize_email(value)

    def honeypot_filled(self):
        return bool(self.data.get(HONEYPOT_FIELD))

    def stamp_refused(self):
        """The stamp proves no person: sent back sooner than anyone types an address, after the
        stamp's lifetime (a page left open for days, or a stamp a bot keeps reusing), or not ours."""
        age = tokens.seconds_since_rendered(self.data.get("rendered"))
        if age is None:
            return True
        return not settings.NEWSLETTER_MIN_SUBMIT_SECONDS <= age <= settings.NEWSLETTER_FORM_MAX_AGE
