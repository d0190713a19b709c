"""The signup box on reader pages, and the answer to a signup sent without JavaScript.

The view of a page with the box puts `signup_box(request, newsletter)` in its context as
`newsletter_box`; templates/includes/newsletter_form.html only renders it.

The subscribe view answers a signup sent without JavaScript by redirecting to the page the form
was on, with the answer as a one-time message (django.contrib.messages in its cookie storage,
MESSAGE_STORAGE: no session). A request carrying that cookie is one reader's (articles/cache.py
PERSONAL_COOKIES): it skips the page cache and its answer is `private, no-store`. The page showing
the box reads the message, which deletes the cookie, so the reader's next request gets the page
every reader gets.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.urls import reverse
from django.utils.html import format_html

from . import tokens, wording

TAG = "newsletter-signup"


def keep_answer(request, newsletter, *, status, message, email=""):
    """Keep a signup's answer for the next page: its message, and after an error the address typed."""
    answer = json.dumps({"newsletter": newsletter.slug, "status": status, "email": email[:254]})
    level = messages.SUCCESS if status == "subscribed" else messages.ERROR
    messages.add_message(request, level, message, extra_tags=f"{TAG} {answer}")


def _take_answer(request):
    """The signup answer kept for this request ({newsletter, status, email, message}), or {}.

    Reading the messages deletes their cookie, so they are read only when the request has one: a
    "delete this cookie" on every page would keep reader pages out of every cache.
    """
    answer = {}
    if CookieStorage.cookie_name not in request.COOKIES:
        return answer
    for message in messages.get_messages(request):
        tag, _, data = (message.extra_tags or "").partition(" ")
        if tag == TAG:
            answer = {**json.loads(data), "message": message.message}
    return answer


def consent_html(terms_url):
    """The consent text stored with each signup, as shown under the form: "Terms and Conditions"
    links to the terms page. A translation without those words shows the text unlinked."""
    text = str(wording.CONSENT_TEXT)
    before, link, after = text.partition(str(wording.TERMS_LINK_TEXT))
    if not link:
        return text
    return format_html('{}<a href="{}">{}</a>{}', before, terms_url, link, after)


def signup_box(request, newsletter):
    """What the box of `newsletter` shows on this request's page; None when there is no newsletter.

    The answer is this reader's after a signup sent without JavaScript, and only in the box of the
    newsletter it answers.
    """
    if newsletter is None:
        return None
    answer = _take_answer(request)
    if answer.get("newsletter") != newsletter.slug:
        answer = {}
    return {
        "newsletter": newsletter,
        "heading": wording.BOX_HEADING,
        "rendered_token": tokens.form_rendered_token(),
        "next": request.get_full_path(),
        "message": answer.get("message", ""),
        "status": answer.get("status", ""),
        "email": answer.get("email", ""),
        "consent": consent_html(reverse("articles:page", kwargs={"slug": "terms"})),
    }


def promo():
    """The home page's invitation to the newsletter page (the signup form is on that page)."""
    return {
        "heading": wording.BOX_HEADING,
        "text": wording.PROMO_TEXT % {"site": settings.SITE_NAME},
        "link_text": wording.PROMO_LINK,
    }
