"""PostgreSQL stopped, frozen and gone silent while readers ask for pages.

What readers get: the site's own 503 page ("briefly unavailable", Retry-After), quickly, never a
hang or an empty reply; /healthz stays 200 (the process is fine), /readyz says 503 (send readers
elsewhere). When the database is back, pages are served again without restarting anything.
"""

import pytest

from tests.faults.conftest import get, wait_for

UNAVAILABLE = "The site is briefly unavailable"
# Far below the 31 s hang (until gunicorn killed the worker) seen before the timeouts existed.
NEVER_A_HANG = 12


def _database_site(site_factory, url):
    site = site_factory(
        DATABASE_URL=url,
        DATABASE_CONNECT_TIMEOUT="1",
        DATABASE_STATEMENT_TIMEOUT="2",
        HEALTH_CHECK_TIMEOUT="1",
    )
    return site


def _assert_unavailable(site):
    status, headers, body, seconds = get(site.url + "/")
    assert status == 503, body[:500]
    assert UNAVAILABLE in body
    assert headers.get("Retry-After") == "30"
    assert seconds < NEVER_A_HANG
    print(f"reader got {status} in {seconds:.2f} s")
    assert get(site.url + "/healthz")[0] == 200
    status, _, body, seconds = get(site.url + "/readyz")
    assert status == 503 and '"database:default": "' in body and seconds < NEVER_A_HANG
    return seconds


def _recovers(site):
    wait_for(lambda: get(site.url + "/")[0] == 200, 30, "the home page to come back")
    assert get(site.url + "/readyz")[0] == 200


@pytest.fixture
def served(postgres, site_factory):
    site = _database_site(site_factory, postgres.url)
    site.manage("migrate", "--noinput")
    site.start()
    assert get(site.url + "/")[0] == 200  # a persistent connection is now open
    return site


def test_postgres_stopped_then_started(postgres, served):
    postgres.stop()
    _assert_unavailable(served)
    assert "Traceback" not in served.log_text()

    postgres.start()
    _recovers(served)


def test_postgres_frozen_then_thawed(postgres, served):
    postgres.freeze()
    try:
        _assert_unavailable(served)
        # The next reader is not kept waiting either (a new connection times out in 1 s).
        status, _, _, seconds = get(served.url + "/section-that-needs-the-database/")
        assert status == 503 and seconds < NEVER_A_HANG
    finally:
        postgres.thaw()
    _recovers(served)
    assert "WORKER TIMEOUT" not in served.log_text()


def test_database_host_that_never_answers(silent_listener, site_factory):
    site = _database_site(site_factory, f"postgres://postgres@127.0.0.1:{silent_listener.port}/newsroom")
    site.start()
    _assert_unavailable(site)
    assert "WORKER TIMEOUT" not in site.log_text()
