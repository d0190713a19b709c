"""Requests from behind a proxy, malformed requests, and a database that does not answer.

- ``ClientAddressMiddleware``: behind nginx or a load balancer, REMOTE_ADDR is the proxy's. When
  (and only when) it is one of ``TRUSTED_PROXIES``, the reader's address is taken from
  X-Forwarded-For: the rightmost address there that is not itself a trusted proxy (the one our
  own proxy saw; anything left of it the client may have made up). The newsletter's rate limit
  then counts readers, not the proxy.
- ``MalformedRequestMiddleware``: a form body in another charset than UTF-8, a body Django cannot
  parse, or a NUL byte in the path or any parameter (PostgreSQL refuses NUL in text) is answered
  with the site's 400 page and one log line, before any view or middleware reads the request.
- ``DatabaseUnavailableMiddleware``: a view whose database does not answer (down, frozen past the
  connect or statement timeout) gets the site's 503 page with Retry-After, and one log line
  instead of a traceback.
"""

import ipaddress
import logging
import sqlite3

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _networks(values):
    return [ipaddress.ip_network(value, strict=False) for value in values]


def _is_trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.proxies = _networks(settings.TRUSTED_PROXIES)

    def __call__(self, request):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
        if forwarded and self.proxies and _is_trusted(request.META.get("REMOTE_ADDR", ""), self.proxies):
            for address in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
                if not _is_trusted(address, self.proxies):
                    try:
                        request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(address))
                    except ValueError:
                        pass  # not an address: keep the proxy's rather than trust garbage
                    break
        return self.get_response(request)


def error_page(request, status, template, reason, **headers):
    """The site's own error page, private and uncached, logged once by us rather than by Django."""
    response = HttpResponse(render_to_string(template, {"SITE_NAME": settings.SITE_NAME}), status=status)
    add_never_cache_headers(response)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    logger.warning("%s %s: %s", status, request.path.replace("\x00", "\\x00")[:200], reason)
    response._has_been_logged = True  # Django's django.request logger would add a second line
    return response


def _has_nul(query_dict):
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in query_dict.lists()
    )


class MalformedRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reason = self._problem(request)
        if reason:
            response = error_page(request, 400, "400.html", reason)
            if "application/json" in request.headers.get("Accept", ""):
                # A page's script (the newsletter box) always gets JSON, errors included.
                message = _("This request could not be understood. Check what was typed and send it again.")
                response = JsonResponse({"message": str(message), "status": "invalid"}, status=400)
                add_never_cache_headers(response)
                response._has_been_logged = True
            return response
        return self.get_response(request)

    @staticmethod
    def _problem(request):
        if "\x00" in request.path_info:
            return "NUL byte in the path"
        if _has_nul(request.GET):
            return "NUL byte in the query string"
        if request.method != "POST" or request.content_type not in FORM_TYPES:
            return None
        charset = request.content_params.get("charset")
        if charset and charset.strip().lower().replace("_", "-") not in ("utf-8", "utf8"):
            return f"form body declared as {charset[:40]!r}, not UTF-8"
        try:
            post = request.POST
        except (BadRequest, SuspiciousOperation, MultiPartParserError, UnicodeDecodeError) as error:
            return f"form body not parsed ({type(error).__name__})"
        if _has_nul(post):
            return "NUL byte in a form field"
        return None


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    @staticmethod
    def _unavailable(exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return False
        # SQLite calls a missing table an OperationalError too: that is a bug, not an outage.
        if isinstance(exception.__cause__, sqlite3.Error):
            return "locked" in str(exception)
        return True

    def process_exception(self, request, exception):
        if self._unavailable(exception):
            first_line = (str(exception).strip().splitlines() or [type(exception).__name__])[0]
            reason = f"database unavailable ({first_line[:160]})"
            return error_page(request, 503, "503.html", reason, Retry_After="30")
        return None
