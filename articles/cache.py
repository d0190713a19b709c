"""HTTP caching of the reader pages, and the page cache that serves them without the database.

Views wrapped in `public_page` (articles/urls.py, newsroom/urls.py) are the public reader pages.
Their answers to anonymous GET/HEAD requests (no session or messages cookie, no cookie set, no
`Vary: Cookie`) are the same bytes for everyone, so:

- they get `Cache-Control: public, max-age, s-maxage, stale-while-revalidate` and an `ETag`, and a
  conditional GET gets a 304;
- `CompressionMiddleware` compresses them (zstd, brotli, gzip). They hold no secret, so BREACH has
  nothing to guess; everything else leaves uncompressed;
- `PageCacheMiddleware` keeps them in the "pages" cache for PAGE_CACHE_SECONDS, one entry per URL,
  scheme, host, language and content coding. A hit runs no SQL. Tracking parameters (utm_*,
  click ids) are dropped before the view; a URL with any other unknown parameter is not stored.

Every cached page belongs to a generation, a random token in the cache. Saving, deleting or
re-linking anything a page shows starts a new generation (`pages_changed`, connected to the
models' signals below; once per transaction, when it commits), so every page is rendered afresh
on its next request. The generation also records the next scheduled publish time: once it has
come, the next request starts a new generation, so a scheduled story is on the cached pages from
its publish time on, with no cron.

`update()` and `bulk_create()` send no signals: ArticleQuerySet calls `pages_changed()` after
them, and any other code writing content that way must call it too.

The cache is a speed-up, never a dependency: when it fails (Redis down) pages are rendered as if
it were empty, and the failure is logged.
"""

import hashlib
import logging
import math
import secrets
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    has_vary_header,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import parse_http_date_safe
from django_http_compression.middleware import HttpCompressionMiddleware, best_coding

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
GENERATION_KEY = "pages:generation"
# Cookies that may change what a page shows its reader: such requests bypass the page cache.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# The query parameters public pages read (pagination, search, sitemap files). A request with any
# other is rendered but never stored, so random query strings cannot flood the cache.
PAGE_PARAMETERS = {"page", "q", "p"}
# Campaign and click ids that links shared on social media and in mail carry: no page reads them
# (analytics read them in the browser), so they are dropped before the view and the cache key.
TRACKING_PARAMETERS = {"fbclid", "gclid", "dclid", "msclkid", "twclid", "mc_cid", "mc_eid", "_ga"}
ONE_YEAR = 365 * 24 * 3600
# What a page shows: a change to any of these starts a new generation of cached pages.
CONTENT_MODELS = [
    "articles.Article",
    "articles.ArticleAuthor",
    "articles.Author",
    "articles.Image",
    "articles.Page",
    "articles.Rendition",
    "articles.Section",
    "articles.Tag",
    "newsletter.Newsletter",
]


def public_page(view):
    """Mark `view` as a public reader page: cacheable when answered to an anonymous reader."""

    @wraps(view)
    def public_view(request, *args, **kwargs):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # Nobody is signed in without a session: say so without reading the session, which
            # would add "Vary: Cookie" and keep the page out of every cache.
            request.user = AnonymousUser()
        return view(request, *args, **kwargs)

    public_view.public_page = True
    return public_view


def immutable(view):
    """For files whose name never changes (uploads and renditions): cache them for a year."""

    @wraps(view)
    def immutable_view(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=ONE_YEAR, immutable=True)
        return response

    return immutable_view


def page_cache():
    return caches[CACHE_ALIAS]


# Generations ------------------------------------------------------------------------------


def _new_generation():
    """A fresh token, and when the next scheduled story goes public (a Unix time, or None)."""
    scheduled = apps.get_model("articles", "Article").objects.scheduled()
    next_publish = scheduled.order_by("published_at").values_list("published_at", flat=True).first()
    return {
        "token": secrets.token_hex(8),
        "until": next_publish.timestamp() if next_publish else None,
    }


def _start_generation():
    generation = _new_generation()
    try:
        page_cache().set(GENERATION_KEY, generation, timeout=None)
    except Exception as exc:  # any backend error: the cache is only a speed-up
        logger.error("Page cache unreachable (%s): cached pages could not be invalidated", exc)
    return generation


def pages_changed(**kwargs):
    """Invalidate every cached page, once per transaction however many rows it changes.

    One admin save changes the story, its byline and its tags: each sends a signal, and the new
    generation starts once, when the transaction commits, so that a page another request rendered
    from the old rows meanwhile is not kept. Outside a transaction the change is already
    committed: the generation starts at once. A rolled-back change starts none.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _start_generation()
        return
    # Until it commits only this connection sees the change (a test, a shell): the next page it
    # looks up starts a new generation first (PageCacheMiddleware._lookup).
    connection.pages_changed_unseen = True
    # Once per transaction: unless one is waiting for the commit already. A rolled-back savepoint
    # drops the callbacks registered in it, so a change after it registers one again.
    waiting = getattr(connection, "pages_changed_waiting", False)
    if not (waiting and any(entry[1] is _committed for entry in connection.run_on_commit)):
        connection.pages_changed_waiting = True
        transaction.on_commit(_committed)


def _committed():
    connection = transaction.get_connection()
    connection.pages_changed_waiting = connection.pages_changed_unseen = False
    _start_generation()


def _changed_unseen():
    """Whether this connection changed content since its last page lookup; it now has looked."""
    connection = transaction.get_connection()
    unseen = getattr(connection, "pages_changed_unseen", False)
    connection.pages_changed_unseen = False
    return unseen


def _m2m_changed(sender, action, **kwargs):
    if sender._meta.app_label == "articles" and action.startswith("post_"):  # tags
        pages_changed()


for model in CONTENT_MODELS:
    post_save.connect(pages_changed, sender=model, dispatch_uid=f"pages_changed_save_{model}")
    post_delete.connect(pages_changed, sender=model, dispatch_uid=f"pages_changed_delete_{model}")
m2m_changed.connect(_m2m_changed, dispatch_uid="pages_changed_m2m")


def _migrated(app_config, **kwargs):
    """Every deploy runs migrate: start afresh, so no page rendered by the old code stays."""
    if app_config.label == "articles":
        try:
            _start_generation()
        except DatabaseError as exc:  # `migrate articles zero`: no stories table left
            logger.warning("Page cache not emptied after migrate: %s", exc)


post_migrate.connect(_migrated, dispatch_uid="pages_changed_migrate")


def _drop_tracking_parameters(request):
    """Take utm_* and click ids out of the request: the page is then the same as without them (the
    newsletter form's return address included), and is served from and stored under one key."""
    query = request.GET.copy()
    for name in list(query):
        if name.startswith("utm_") or name in TRACKING_PARAMETERS:
            del query[name]
    if len(query) != len(request.GET):
        request.GET = query
        request.META["QUERY_STRING"] = query.urlencode()


# Headers ----------------------------------------------------------------------------------


def is_public_response(request, response):
    """The same bytes for every reader: an anonymous GET/HEAD of a public page, answered 200."""
    return (
        getattr(request, "_public_page", False)
        and request.method in ("GET", "HEAD")
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not has_vary_header(response, "Cookie")
        and not response.has_header("Cache-Control")
    )


def _cache_control(response, generation):
    """Public caching for `response`, never (stale or not) past the next scheduled publication."""
    max_age, s_maxage = settings.HTTP_CACHE_MAX_AGE, settings.HTTP_CACHE_S_MAXAGE
    stale = settings.HTTP_CACHE_STALE_WHILE_REVALIDATE
    if generation and generation["until"]:
        left = max(0, math.ceil(generation["until"] - timezone.now().timestamp()))
        max_age, s_maxage = min(max_age, left), min(s_maxage, left)
        stale = min(stale, left - max(max_age, s_maxage))
    patch_cache_control(
        response, public=True, max_age=max_age, s_maxage=s_maxage, stale_while_revalidate=stale
    )


def _conditional(request, response):
    """A 304 when the reader's copy (If-None-Match / If-Modified-Since) is still current."""
    last_modified = response.get("Last-Modified")
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=last_modified and parse_http_date_safe(last_modified),
        response=response,
    )


class CompressionMiddleware(HttpCompressionMiddleware):
    """django-http-compression (zstd, brotli, gzip), applied to public pages only.

    A page carrying a secret (a CSRF token, a reader's own data) is never compressed: BREACH
    guesses such secrets from compressed sizes.
    """

    def maybe_compress(self, request, response):
        if is_public_response(request, response):
            super().maybe_compress(request, response)


class PageCacheMiddleware:
    """Serves public pages from the page cache, and gives every answer its caching headers.

    Place it before CompressionMiddleware and SessionMiddleware: it stores pages compressed, and
    sees the cookies and `Vary` of the finished answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self._key(request)
        generation = None
        if key:
            generation, entry = self._lookup(key)
            if entry:
                return self._from_entry(request, entry, generation)
        response = self.get_response(request)
        if is_public_response(request, response):
            _cache_control(response, generation)
            if not response.has_header("ETag"):
                set_response_etag(response)
            if key and generation:
                self._store(key, generation, response)
            return _conditional(request, response)
        if not response.has_header("Cache-Control") and self._is_personal(request, response):
            add_never_cache_headers(response)  # private, no-store
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request._public_page = getattr(view_func, "public_page", False)

    @staticmethod
    def _is_personal(request, response):
        """Staff, a signed-in reader, one with a messages cookie (a signup answer), a form sent, or a
        cookie set: for one reader only."""
        return (
            request.method not in ("GET", "HEAD")
            or any(name in request.COOKIES for name in PERSONAL_COOKIES)
            or bool(response.cookies)
            or has_vary_header(response, "Cookie")
        )

    @staticmethod
    def _key(request):
        """The cache key of this request's page, or None when it must not come from the cache."""
        if (
            settings.PAGE_CACHE_SECONDS <= 0
            or request.method not in ("GET", "HEAD")
            or any(name in request.COOKIES for name in PERSONAL_COOKIES)
        ):
            return None
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
            request.get_host()  # checks the host against ALLOWED_HOSTS
        except (Resolver404, DisallowedHost):  # Django answers these itself
            return None
        if not getattr(match.func, "public_page", False):
            return None
        _drop_tracking_parameters(request)
        if not set(request.GET) <= PAGE_PARAMETERS:
            return None
        coding = best_coding(request.headers.get("Accept-Encoding", ""))
        language = translation.get_language_from_request(request)
        digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        return f"page:{digest}:{coding}:{language}"

    @staticmethod
    def _lookup(key):
        """The current generation and this page's entry from it (None when missing or stale)."""
        if _changed_unseen():
            _start_generation()
        cache = page_cache()
        try:
            found = cache.get_many([GENERATION_KEY, key])
        except Exception as exc:  # any backend error: the cache is only a speed-up
            logger.error("Page cache unreachable (%s): rendering the page", exc)
            return None, None
        generation, entry = found.get(GENERATION_KEY), found.get(key)
        if generation is None:
            # First request, or the cache was emptied: nobody knows which pages are current.
            generation = _new_generation()
            try:
                if not cache.add(GENERATION_KEY, generation, timeout=None):
                    generation = cache.get(GENERATION_KEY) or generation
            except Exception as exc:  # any backend error: the cache is only a speed-up
                logger.error("Page cache unreachable (%s): rendering the page", exc)
                return None, None
            return generation, None
        if generation["until"] is not None and timezone.now().timestamp() >= generation["until"]:
            # A scheduled story has gone public: every page may show it.
            return _start_generation(), None
        if entry is None or entry["token"] != generation["token"]:
            return generation, None
        return generation, entry

    @staticmethod
    def _store(key, generation, response):
        entry = {
            "token": generation["token"],
            "status": response.status_code,
            "headers": list(response.items()),
            "content": response.content,
        }
        try:
            page_cache().set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
        except Exception as exc:  # any backend error: the cache is only a speed-up
            logger.error("Page cache unreachable (%s): the page was not stored", exc)

    @staticmethod
    def _from_entry(request, entry, generation):
        response = HttpResponse(entry["content"], status=entry["status"])
        for header, value in entry["headers"]:
            response.headers[header] = value
        del response.headers["Cache-Control"]
        _cache_control(response, generation)
        return _conditional(request, response)
