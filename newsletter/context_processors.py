from django.utils.functional import SimpleLazyObject

from . import flash


def signup_answer(request):
    """The answer to this reader's signup sent without JavaScript (newsletter/flash.py).

    Lazy: only a page showing the signup box reads it, and so consumes it; other pages (the
    admin's among them) leave the reader's messages alone.
    """
    return {"newsletter_answer": SimpleLazyObject(lambda: flash.take(request) or {})}
