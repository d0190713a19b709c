"""Every sentence the newsletter shows readers and subscribers, defined once.

The signup box's messages are fixed by the guide (../shared/guide/article-page.md): change them
nowhere else. Python uses these constants directly; templates get them from the view or the email
code that renders them (newsletter/box.py, newsletter/emails.py, newsletter/editions.py), so the
page, the JSON answer and the email say the same thing. Templates keep only their own layout text
(labels, buttons, headings of one page).
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

# --- The signup box: its messages, for the page and the script alike ---
BOX_HEADING = _("Get all the news in your email")
REQUIRED = _("You must complete your e-mail")
INVALID = _("You must complete a correct email")
ALREADY_SUBSCRIBED = _("You are already subscribed to our newsletter.")
SUBSCRIBED = _("You will soon receive news in your email.")
RETRY = _("Your signup was not saved. Please send the form again.")
SIGNUP_FAILED = _("Sorry, your signup could not be saved. Please try again later.")
# The home page's invitation to the newsletter page.
PROMO_TEXT = _("The best stories of %(site)s in your inbox. Free, and you can stop at any time.")
PROMO_LINK = _("Sign up for the newsletter")
# Shown under the form and stored with each signup (Subscriber.consent_text): one value, so what
# a reader saw is what is recorded. TERMS_LINK_TEXT, a part of it, links to the terms page.
CONSENT_TEXT = _("Subscribing implies accepting our Terms and Conditions")
TERMS_LINK_TEXT = _("Terms and Conditions")

# --- Signups the form cannot fix: a page of their own (or JSON) ---
NOT_FOUND_TITLE = _("No such newsletter")
NOT_FOUND = _("This newsletter takes no new signups.")
FORBIDDEN_TITLE = _("Signup refused")
FORBIDDEN = _("This form can only be sent from a page of this site.")
RATE_LIMITED_TITLE = _("Too many attempts")
RATE_LIMITED = _("Too many signup attempts from your connection. Please try again in a few minutes.")

# --- The newsletter page ---
CADENCE_DAILY = _("Every morning at %(time)s")
CADENCE_WEEKLY = _("Every %(weekday)s at %(time)s")

# --- Emails (each sentence here is in both the plain-text and the HTML part) ---
CONFIRM_SUBJECT = _("Confirm your subscription to %(name)s")
CONFIRM_ASK = _("Please confirm that you want to receive %(name)s at this address.")
CONFIRM_BUTTON = _("Confirm my subscription")
CONFIRM_LINK_LIFETIME = ngettext_lazy(
    "The link works for %(days)d day.", "The link works for %(days)d days.", "days"
)
CONFIRM_NOT_YOU = _("If you did not sign up, ignore this email: nothing will be sent to you.")
WELCOME_SUBJECT = _("Welcome to %(name)s")
WELCOME_SUBSCRIBED = _("You are subscribed to %(name)s.")
WELCOME_NEXT_ISSUE = _("The next issue will arrive in your inbox.")
EDITION_WHY = _("You receive %(name)s because you subscribed to it.")
DIGEST_SUBJECT = _("%(name)s, %(date)s")
UNSUBSCRIBE = _("Unsubscribe")

# --- What editors type that goes into an email ---
SINGLE_LINE = _("Use a single line: line breaks are not allowed here.")
NOT_NORMALIZED = _("Store addresses normalized: the domain lower-cased and IDNA-encoded.")
