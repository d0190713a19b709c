"""Real Celery workers against Redis, sending through a real SMTP server: `make test-worker`.

These tests start `celery worker` processes, so they are slow; they run only when selected with
`-m worker` (`make test` and a plain `pytest` skip them). The workers use the test database, so
on SQLite it is a file rather than the in-memory default; CI runs them on PostgreSQL.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from newsroom.celery import app as celery_app
from tests.worker.smtp import SMTPServer

BROKER_URL = os.environ.get("TEST_WORKER_BROKER_URL", "redis://127.0.0.1:6379/13")
ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(config, items):
    if "worker" in (config.getoption("markexpr") or "") and "not worker" not in config.getoption("markexpr"):
        return
    skip = pytest.mark.skip(reason="real Celery workers: run with `make test-worker` (pytest -m worker)")
    for item in items:
        if "worker" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory):
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "worker.sqlite3")


def wait_for(condition, *, timeout, what):
    """Poll until condition() is true; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def smtp():
    with SMTPServer() as server:
        yield server


@pytest.fixture
def broker():
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager, conf.broker_url = False, BROKER_URL
    celery_app._pool = celery_app.amqp._producer_pool = None
    with celery_app.connection_for_write() as connection:
        connection.default_channel.client.flushdb()  # this test database number is ours
    yield BROKER_URL
    conf.task_always_eager, conf.broker_url = saved
    celery_app._pool = celery_app.amqp._producer_pool = None


class Workers:
    """Starts `celery worker` processes sharing the test database, the broker and the SMTP server."""

    def __init__(self, smtp_port, log_dir):
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            url = f"sqlite:///{db['NAME']}"
        else:
            password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
            host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
            url = f"postgres://{db['USER']}{password}@{host}/{db['NAME']}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker.settings",
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "CELERY_BROKER_URL": BROKER_URL,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_TIMEOUT": "5",
            "NEWSLETTER_CLAIM_TIMEOUT": "5",
            "NEWSLETTER_MAIL_RETRY_BACKOFF": "1",
        }
        self.log_dir = log_dir
        self.processes = []

    def start(self, concurrency=2):
        log = open(self.log_dir / f"worker-{len(self.processes)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "--pool=prefork",
             f"--concurrency={concurrency}", "--loglevel=INFO", "--without-gossip", "--without-mingle",
             "--without-heartbeat", f"--hostname=test{len(self.processes)}@%h"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.processes.append(process)
        wait_for(lambda: celery_app.control.ping(timeout=0.5) or process.poll() is not None, timeout=60,
                 what="the worker to answer")  # fmt: skip
        assert process.poll() is None, self.logs()
        return process

    def kill(self, process):
        """SIGKILL the worker and its pool processes at once: nothing of it gets to clean up."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def logs(self):
        return "\n".join(path.read_text()[-3000:] for path in sorted(self.log_dir.glob("*.log")))

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def workers(smtp, broker, tmp_path):
    started = Workers(smtp.port, tmp_path)
    yield started
    started.stop_all()
