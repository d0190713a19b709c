from django.conf import settings
from django.core.cache import cache
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import services, tokens
from .forms import SubscribeForm
from .models import Newsletter

FLASH_SESSION_KEY = "newsletter_flash"
CONSENT_TEXT = gettext_lazy("Subscribing implies accepting our Terms and Conditions")


def index(request, slug=None):
    """The newsletter page: the default newsletter's box (or the one named in the URL), and the others."""
    newsletters = list(Newsletter.objects.active().order_by("-is_default", "name"))
    if slug is None:
        featured = newsletters[0] if newsletters else None
    else:
        featured = next((n for n in newsletters if n.slug == slug), None)
        if featured is None:
            raise Http404
    return render(
        request,
        "newsletter/index.html",
        {"newsletter": featured, "other_newsletters": [n for n in newsletters if n != featured]},
    )


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


def _rate_limited(request):
    """Count this signup attempt for the client's address; True once past the limit.

    The address is REMOTE_ADDR. Behind a reverse proxy every reader shares the proxy's address,
    so the operator must make the proxy (or a middleware) set REMOTE_ADDR to the real client's.
    """
    key = f"newsletter:signups:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=settings.NEWSLETTER_RATE_WINDOW)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.NEWSLETTER_RATE_WINDOW)
        attempts = 1
    return attempts > settings.NEWSLETTER_RATE_LIMIT


def _answer(request, *, status, message, http_status, next_url, email=""):
    """JSON for the script; otherwise POST/redirect/GET back to the form, the message in the session."""
    if _wants_json(request):
        return JsonResponse({"message": message, "status": status}, status=http_status)
    request.session[FLASH_SESSION_KEY] = {
        "message": message,
        "status": status,
        "email": email[:300],
        "page": next_url,
    }
    return redirect(f"{next_url}#newsletter")


@require_POST
def subscribe(request, slug):
    newsletter = get_object_or_404(Newsletter.objects.active(), slug=slug)
    next_url = _next_url(request)
    success = {"status": "subscribed", "message": _("You will soon receive news in your email.")}

    if _rate_limited(request):
        message = _("Too many signup attempts from your connection. Please try again in a few minutes.")
        if _wants_json(request):
            response = JsonResponse({"message": message, "status": "rate_limited"}, status=429)
        else:
            response = render(
                request,
                "newsletter/rate_limited.html",
                {"message": message, "next_url": next_url},
                status=429,
            )
        response["Retry-After"] = str(settings.NEWSLETTER_RATE_WINDOW)
        return response

    form = SubscribeForm(request.POST)
    if form.honeypot_filled():
        # Answer like a success so the bot learns nothing, and write nothing.
        return _answer(request, **success, http_status=201, next_url=next_url)
    if not form.is_valid():
        return _answer(
            request,
            status="invalid",
            message=form.errors["email"][0],
            http_status=400,
            next_url=next_url,
            email=request.POST.get("email", ""),
        )
    if form.sent_too_fast():
        # Same as the honeypot. Checked after the address so a quick typo still gets its message.
        return _answer(request, **success, http_status=201, next_url=next_url)

    outcome = services.subscribe(
        email=form.cleaned_data["email"],
        newsletter=newsletter,
        source=next_url,
        consent_text=str(CONSENT_TEXT),
        consent_version=settings.NEWSLETTER_CONSENT_VERSION,
    )
    if outcome == services.Outcome.ALREADY_SUBSCRIBED:
        return _answer(
            request,
            status="already_subscribed",
            message=_("You are already subscribed to our newsletter."),
            http_status=409,
            next_url=next_url,
            email=request.POST.get("email", ""),
        )
    return _answer(request, **success, http_status=201, next_url=next_url)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET only shows a button (mail scanners open links); its POST confirms."""
    subscriber = tokens.subscriber_from_confirm_token(token)
    if subscriber is None:
        return render(request, "newsletter/invalid_link.html", status=400)
    if request.method == "POST":
        services.confirm(subscriber)
        subscriber.refresh_from_db()
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber})


@never_cache
@csrf_exempt  # RFC 8058 one-click: the mail provider POSTs without a CSRF token; the token is the proof
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    subscriber = tokens.subscriber_from_unsubscribe_token(token)
    if subscriber is None:
        return render(request, "newsletter/invalid_link.html", status=400)
    if request.method == "POST":
        services.unsubscribe(subscriber)
        subscriber.refresh_from_db()
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})
