"""The mail server refusing connections (a closed port) or hanging (accepts, never answers) while
readers sign up, with the site under gunicorn and the newsletter's mail sent by a Celery worker
through its own Redis broker.

What the reader gets: the signup's success message at once (201 JSON), the subscriber row saved.
Nothing is lost: once a working SMTP server takes the port, the retried confirmation arrives.
(Without a broker, tasks run in-process after the commit and the request would wait up to
EMAIL_TIMEOUT on a hanging server: production runs a worker, so this is tested with one.)
"""

import json
import shutil
import socket
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser

import pytest

from tests.faults.conftest import BASE_DIR, VENV_BIN, free_port, get, wait_for
from tests.worker.smtp import SMTPServer

QUICK = 5  # seconds: a signup waiting on the mail server would take EMAIL_TIMEOUT (6 s) or more
SUCCESS = "You will soon receive news in your email."


class _Form(HTMLParser):
    def __init__(self):
        super().__init__()
        self.action, self.fields, self._inside = None, {}, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "data-newsletter-form" in attrs:
            self._inside, self.action = True, attrs["action"]
        elif tag == "input" and self._inside and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False


def sign_up(site, email):
    """Read the box on /newsletter/ and send it as the page's script does; (status, JSON, seconds)."""
    status, _, page, _ = get(site.url + "/newsletter/")
    assert status == 200
    form = _Form()
    form.feed(page)
    data = urllib.parse.urlencode({**form.fields, "email": email}).encode()
    headers = {"Accept": "application/json", "Origin": site.url, "Sec-Fetch-Site": "same-origin"}
    request = urllib.request.Request(site.url + form.action, data=data, headers=headers)
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, json.loads(response.read()), time.monotonic() - started


@pytest.fixture
def redis_broker(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    ping = ["redis-cli", "-p", str(port), "ping"]
    wait_for(lambda: subprocess.run(ping, capture_output=True).stdout == b"PONG\n", message="redis")
    yield f"redis://127.0.0.1:{port}/0"
    server.kill()
    server.wait()


@pytest.fixture
def mail_site(site_factory, redis_broker, tmp_path):
    """The site and one Celery worker, both sending mail to `mail_site.mail_port`."""
    mail_port = free_port()
    database = tmp_path / "db.sqlite3"
    site = site_factory(
        DATABASE_URL=f"sqlite:///{database}",
        CELERY_BROKER_URL=redis_broker,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(mail_port),
        EMAIL_TIMEOUT="6",
        NEWSLETTER_MAIL_RETRY_BACKOFF="1",
        NEWSLETTER_MIN_SUBMIT_SECONDS="0",
        NEWSLETTER_DOUBLE_OPT_IN="1",
    )
    site.manage("migrate", "--noinput")  # makes the default newsletter shown on /newsletter/
    site.start()
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [VENV_BIN / "python", "-m", "celery", "-A", "newsroom", "worker", "--pool=solo", "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=BASE_DIR, env=site.env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    site.mail_port = mail_port
    site.database = database
    site.worker_log = lambda: (tmp_path / "worker.log").read_text(errors="replace")
    wait_for(lambda: "ready." in site.worker_log() or worker.poll() is not None, 60, "the worker")
    assert worker.poll() is None, site.worker_log()
    yield site
    worker.terminate()
    try:
        worker.wait(20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def subscribers(site):
    with sqlite3.connect(site.database) as db:
        return [row[0] for row in db.execute("SELECT email FROM newsletter_subscriber")]


def _signup_survives(site, email):
    status, body, seconds = sign_up(site, email)
    assert status == 201, body
    assert body["message"] == SUCCESS
    assert seconds < QUICK, seconds
    assert subscribers(site) == [email]
    # The worker tries, fails on the mail server and schedules a retry.
    wait_for(lambda: "Retry in" in site.worker_log(), 30, "a retry of the confirmation")


def _confirmation_arrives(site, email):
    with SMTPServer(port=site.mail_port) as smtp:
        wait_for(lambda: smtp.handler.recipients, 60, f"the retried confirmation\n{site.worker_log()}")
        assert smtp.handler.recipients == [email]
        assert b"/newsletter/confirm/" in smtp.handler.received[0][2]


def test_mail_server_refusing_connections(mail_site):
    # Nothing listens on the mail port: every connection is refused.
    _signup_survives(mail_site, "refused@example.com")
    _confirmation_arrives(mail_site, "refused@example.com")


def test_mail_server_hanging(mail_site):
    # A listener on the mail port that accepts connections (the kernel's backlog) and never answers.
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", mail_site.mail_port))
    listener.listen(64)
    try:
        _signup_survives(mail_site, "hanging@example.com")
    finally:
        listener.close()
    _confirmation_arrives(mail_site, "hanging@example.com")
