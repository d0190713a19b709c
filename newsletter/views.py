import logging
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateformat import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import services, tokens, wording
from .box import keep_answer, signup_box
from .forms import SubscribeForm
from .models import EditionStory, Newsletter

logger = logging.getLogger(__name__)


def index(request, slug=None):
    """The newsletter page: the default newsletter's box (or the one named in the URL), and the others."""
    newsletters = list(Newsletter.objects.active().with_latest_edition().order_by("-is_default", "name"))
    if slug is None:
        featured = newsletters[0] if newsletters else None
    else:
        featured = next((n for n in newsletters if n.slug == slug), None)
        if featured is None:
            raise Http404
    latest_items = []
    if featured and featured.latest_edition_id:
        latest_items = list(EditionStory.objects.public_stories_of(featured.latest_edition_id))
    return render(
        request,
        "newsletter/index.html",
        {
            "newsletter": featured,
            "newsletter_box": signup_box(request, featured),
            "cadence": _cadence(featured) if featured else "",
            "latest_articles": [item.article for item in latest_items],
            "other_newsletters": [n for n in newsletters if n != featured],
        },
    )


def _cadence(newsletter):
    """When the automatic digest goes out, in words; empty when it is off."""
    time = time_format(newsletter.digest_time, "G:i")
    if newsletter.digest == Newsletter.Digest.DAILY:
        return wording.CADENCE_DAILY % {"time": time}
    if newsletter.digest == Newsletter.Digest.WEEKLY:
        return wording.CADENCE_WEEKLY % {
            "weekday": newsletter.get_digest_weekday_display(),
            "time": time,
        }
    return ""


def _wants_json(request):
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _next_url(request):
    """Where to send the reader back to: a page of this site, else the newsletter page."""
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate.split("#", 1)[0]
    return reverse("newsletter:index")


def _cross_site(request):
    """True for a POST that a browser sent from a page of another site.

    Browsers send Origin with every POST, and Sec-Fetch-Site; older ones at least a Referer.
    A request with none of them comes from no browser acting for a reader: a script can send
    that from anywhere anyway, so there is nothing to protect (README, "The signup form").
    """
    allowed = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin not in allowed
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in {"same-origin", "none"}
    referer = urlsplit(request.headers.get("Referer", ""))
    return bool(referer.netloc) and f"{referer.scheme}://{referer.netloc}" not in allowed


def _rate_limited(request):
    """Count this signup attempt for the client's address; True once past the limit.

    The address is REMOTE_ADDR. Behind a reverse proxy every reader shares the proxy's address,
    so the operator must make the proxy (or a middleware) set REMOTE_ADDR to the real client's.
    The cache is a side service: when it fails, the signup goes on unlimited and the log says so.
    """
    key = f"newsletter:signups:{request.META.get('REMOTE_ADDR', '')}"
    try:
        cache.add(key, 0, timeout=settings.NEWSLETTER_RATE_WINDOW)
        try:
            attempts = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=settings.NEWSLETTER_RATE_WINDOW)
            attempts = 1
    except Exception:
        logger.exception("Newsletter rate limit not applied: the cache is unreachable.")
        return False
    return attempts > settings.NEWSLETTER_RATE_LIMIT


def _answer(request, newsletter, *, status, message, http_status, next_url, email="", **extra):
    """JSON for the page's script; otherwise back to the page the form was on (POST, redirect,
    GET), carrying the message, and the typed address after an error, for that page's box.

    They travel as a one-time message (newsletter/box.py): the page showing them is this
    reader's alone, and the next request gets the page every reader gets.
    """
    if _wants_json(request):
        return JsonResponse({"message": str(message), "status": status, **extra}, status=http_status)
    keep_answer(request, newsletter, status=status, message=message, email=email)
    return HttpResponseRedirect(f"{next_url}#newsletter", status=303)


# Refusals that the form cannot fix: status -> (HTTP status, page title, message).
PROBLEMS = {
    "not_found": (404, wording.NOT_FOUND_TITLE, wording.NOT_FOUND),
    "forbidden": (403, wording.FORBIDDEN_TITLE, wording.FORBIDDEN),
    "rate_limited": (429, wording.RATE_LIMITED_TITLE, wording.RATE_LIMITED),
}


def _problem(request, status, next_url):
    """A refusal that the form cannot fix (no such newsletter, cross-site, too many attempts)."""
    http_status, title, message = PROBLEMS[status]
    if _wants_json(request):
        return JsonResponse({"message": str(message), "status": status}, status=http_status)
    return render(
        request,
        "newsletter/problem.html",
        {"title": title, "message": message, "next_url": next_url},
        status=http_status,
    )


def _json_errors(view):
    """The page's script always gets JSON, also when something unexpected fails."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Exception:
            if not _wants_json(request):
                raise  # Django's 500 page, and the error report
            logger.exception("Newsletter signup failed")
            return JsonResponse({"message": str(wording.SIGNUP_FAILED), "status": "error"}, status=500)

    return wrapper


# No CSRF cookie: reader pages carry no per-visitor token, so that any cache may hold them. The
# Origin / Sec-Fetch-Site check and the signed, expiring stamp guard the form instead (README).
@csrf_exempt
@never_cache
@require_POST
@_json_errors
def subscribe(request, slug):
    next_url = _next_url(request)
    newsletter = Newsletter.objects.active().filter(slug=slug).first()
    if newsletter is None:
        return _problem(request, "not_found", next_url)
    if _cross_site(request):
        return _problem(request, "forbidden", next_url)
    if _rate_limited(request):
        response = _problem(request, "rate_limited", next_url)
        response["Retry-After"] = str(settings.NEWSLETTER_RATE_WINDOW)
        return response

    form = SubscribeForm(request.POST)
    typed = request.POST.get("email", "")
    success = {"status": "subscribed", "message": wording.SUBSCRIBED}
    if form.honeypot_filled():
        # Answer like a success so the bot learns nothing, and write nothing.
        return _answer(request, newsletter, **success, http_status=201, next_url=next_url)
    if not form.is_valid():
        return _answer(
            request,
            newsletter,
            status="invalid",
            message=form.errors["email"][0],
            http_status=400,
            next_url=next_url,
            email=typed,
        )
    if form.stamp_refused() and not settings.NEWSLETTER_DOUBLE_OPT_IN:
        # Sent too fast, too late or with a stamp not ours. With double opt-in the confirmation
        # email proves a person and the signup goes on; without it, never a silent drop.
        return _answer(
            request,
            newsletter,
            status="retry",
            message=wording.RETRY,
            http_status=400,
            next_url=next_url,
            email=typed,
            rendered=tokens.form_rendered_token(),
        )

    outcome = services.subscribe(
        email=form.cleaned_data["email"],
        newsletter=newsletter,
        source=next_url,
        consent_text=str(wording.CONSENT_TEXT),
        consent_version=settings.NEWSLETTER_CONSENT_VERSION,
    )
    if outcome == services.Outcome.ALREADY_SUBSCRIBED:
        return _answer(
            request,
            newsletter,
            status="already_subscribed",
            message=wording.ALREADY_SUBSCRIBED,
            http_status=409,
            next_url=next_url,
            email=typed,
        )
    return _answer(request, newsletter, **success, http_status=201, next_url=next_url)


def _link_page(request, subscriber, *, act, template, **context):
    """A page an email links to: its token's subscriber (else "This link does not work"), shown on
    GET (mail scanners open links), and `act` done on POST."""
    if subscriber is None:
        return render(request, "newsletter/invalid_link.html", status=400)
    if request.method == "POST":
        act(subscriber)
        subscriber.refresh_from_db()
    return render(request, template, {"subscriber": subscriber, **context})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    return _link_page(
        request,
        tokens.subscriber_from_confirm_token(token),
        act=services.confirm,
        template="newsletter/confirm.html",
        confirm_button=wording.CONFIRM_BUTTON,
    )


@never_cache
@csrf_exempt  # RFC 8058 one-click: the mail provider POSTs without a CSRF token; the token is the proof
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    return _link_page(
        request,
        tokens.subscriber_from_unsubscribe_token(token),
        act=services.unsubscribe,
        template="newsletter/unsubscribe.html",
        unsubscribe_label=wording.UNSUBSCRIBE,
    )
