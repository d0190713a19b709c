"""Redis (the cache: page cache, rate limits) stopped and frozen while readers ask for pages.

What readers get: the pages, rendered without the cache (200), quickly; /readyz says 503 so a
balancer can prefer healthy machines; when Redis is back, /readyz is 200 again with no restart.
"""

import os
import shutil
import signal
import subprocess

import pytest

from tests.faults.conftest import free_port, get, wait_for

QUICK = 10  # seconds: Redis' socket timeouts are 0.5 s; a hang would be gunicorn's 30 s


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    port = free_port()

    def start():
        return subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(tmp_path)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip

    server = {"process": start(), "port": port, "start": start}
    wait_for(
        lambda: (
            subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout == b"PONG\n"
        )
    )
    yield server
    server["process"].kill()
    server["process"].wait()


@pytest.fixture
def served(redis_server, site_factory, tmp_path):
    site = site_factory(
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        REDIS_URL=f"redis://127.0.0.1:{redis_server['port']}/0",
        PAGE_CACHE_SECONDS="300",
    )
    site.manage("migrate", "--noinput")
    site.start()
    assert get(site.url + "/")[0] == 200
    assert get(site.url + "/readyz")[0] == 200
    return site


def _pages_still_served(site):
    for path in ("/", "/newsletter/"):
        status, _, body, seconds = get(site.url + path)
        assert status == 200 and seconds < QUICK, (path, status, seconds)
        print(f"{path}: {status} in {seconds:.2f} s")
    status, _, body, _ = get(site.url + "/readyz")
    assert status == 503 and '"cache": "error' in body


def test_redis_stopped_then_started(redis_server, served):
    redis_server["process"].terminate()
    redis_server["process"].wait()
    _pages_still_served(served)

    redis_server["process"] = redis_server["start"]()
    wait_for(lambda: get(served.url + "/readyz")[0] == 200, 20, "readyz after Redis is back")


def test_redis_frozen_then_resumed(redis_server, served):
    pid = redis_server["process"].pid
    os.kill(pid, signal.SIGSTOP)
    try:
        _pages_still_served(served)
    finally:
        os.kill(pid, signal.SIGCONT)
    wait_for(lambda: get(served.url + "/readyz")[0] == 200, 20, "readyz after Redis resumed")
    assert "WORKER TIMEOUT" not in served.log_text()
