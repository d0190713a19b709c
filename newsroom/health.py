"""Health checks for load balancers and orchestrators.

``/healthz`` (liveness): the process answers; nothing else is touched, so a database outage
never gets healthy app servers restarted. ``/readyz`` (readiness): the database (each one
configured, a replica too) and the cache answer within ``HEALTH_CHECK_TIMEOUT`` seconds; 503
otherwise, so the balancer sends readers elsewhere. Neither sets a cookie or is cached, and
gunicorn's and nginx's access logs (deploy/) leave them out; a failed check logs one line.
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _answer(payload, status=200):
    response = JsonResponse(payload, status=status)
    add_never_cache_headers(response)
    return response


@require_safe
def healthz(request):
    return _answer({"status": "ok"})


def _check_database(alias):
    # A connection of its own, so a stuck check never leaves the request's connection half-used.
    connection = connections.create_connection(alias)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()


def _check_cache():
    cache = caches["default"]
    cache.set("readyz", "1", 10)
    if cache.get("readyz") != "1":
        raise RuntimeError("the cache did not keep a value")


@require_safe
def readyz(request):
    checks = {f"database:{alias}": (_check_database, alias) for alias in settings.DATABASES}
    checks["cache"] = (_check_cache,)
    results = {}
    # The checks run in threads so a frozen service costs HEALTH_CHECK_TIMEOUT, never a hang.
    pool = ThreadPoolExecutor(max_workers=len(checks))
    futures = {name: pool.submit(*check) for name, check in checks.items()}
    for name, future in futures.items():
        try:
            future.result(timeout=settings.HEALTH_CHECK_TIMEOUT)
            results[name] = "ok"
        except FutureTimeout:
            results[name] = "timeout"
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"
            results[name] = f"error: {type(error).__name__}"
    pool.shutdown(wait=False, cancel_futures=True)
    ready = all(result == "ok" for result in results.values())
    if not ready:
        logger.warning("readyz: not ready: %s", ", ".join(f"{k}={v}" for k, v in results.items()))
    return _answer({"status": "ok" if ready else "unavailable", "checks": results}, 200 if ready else 503)
