"""The answer to a signup sent without JavaScript, carried to the page the reader is sent back to.

The subscribe view redirects to the page the form was on, with a one-time message through
django.contrib.messages in its cookie storage (MESSAGE_STORAGE: no session). A request carrying
that cookie is one reader's (articles/cache.py PERSONAL_COOKIES): it skips the page cache and its
answer is `private, no-store`. Showing the message deletes the cookie, so the reader's next
request gets the page every reader gets.
"""

import json

from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage

TAG = "newsletter-signup"


def add(request, newsletter, *, status, message, email=""):
    """Keep this answer for the next page: its message, and on error the address as typed."""
    answer = json.dumps({"newsletter": newsletter.slug, "status": status, "email": email[:254]})
    level = messages.SUCCESS if status == "subscribed" else messages.ERROR
    messages.add_message(request, level, message, extra_tags=f"{TAG} {answer}")


def take(request):
    """The signup answer kept for this request ({newsletter, status, message, email}), or None.

    Reading the messages deletes their cookie, so they are read only when the request has one: a
    "delete this cookie" on every page would keep reader pages out of every cache.
    """
    if CookieStorage.cookie_name not in request.COOKIES:
        return None
    answer = None
    for message in messages.get_messages(request):
        tag, _, data = (message.extra_tags or "").partition(" ")
        if tag == TAG:
            answer = {**json.loads(data), "message": message.message}
    return answer
