"""Fault tests: real services started per test, broken on purpose while the site serves HTTP.

Each fixture starts its own throwaway service on a free loopback port (PostgreSQL from
/usr/lib/postgresql/*/bin as the postgres user, Redis, a TCP listener that never answers) and the
site under gunicorn with DEBUG off, as in production (deploy/gunicorn.conf.py).
"""

import contextlib
import glob
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def pytest_configure(config):
    config.addinivalue_line("markers", "faults: services broken on purpose (run with make test-faults)")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, seconds=20, message="condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {message}")


def get(url, timeout=60, headers=None):
    """(status, headers, body text, seconds) of a GET; an HTTP error status is an answer too."""
    started = time.monotonic()
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, head, body = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, head, body = error.code, dict(error.headers), error.read()
    return status, head, body.decode("utf-8", "replace"), time.monotonic() - started


class Postgres:
    """A throwaway PostgreSQL cluster in a temporary directory, owned by the postgres user."""

    def __init__(self):
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not binaries:
            pytest.skip("PostgreSQL server binaries are not installed")
        self.bin = Path(binaries[-1]).parent
        self.dir = Path(tempfile.mkdtemp(prefix="newsroom-faults-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self.prefix = ["runuser", "-u", "postgres", "--"]
        else:
            self.prefix = []
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        self.start()
        subprocess.run(["psql", *self.args, "-q", "-c", "CREATE DATABASE newsroom"], check=True)

    @property
    def args(self):
        return ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/newsroom"

    def _run(self, name, *args):
        subprocess.run([*self.prefix, self.bin / name, *map(str, args)], check=True, capture_output=True)

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", self.data, "-o", options, "-l", self.dir / "log", "-w", "start")

    def stop(self):
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def processes(self):
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(
            ["pgrep", "-P", str(postmaster)], capture_output=True, text=True
        ).stdout.split()
        return [postmaster, *map(int, children)]

    def freeze(self):
        """Every process of the cluster stopped (SIGSTOP): connections open, nothing answers."""
        self.frozen = self.processes()
        for pid in self.frozen:
            os.kill(pid, signal.SIGSTOP)

    def thaw(self):
        for pid in self.frozen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    def destroy(self):
        if getattr(self, "frozen", None):
            self.thaw()
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def postgres():
    cluster = Postgres()
    yield cluster
    cluster.destroy()


class SilentListener:
    """Accepts TCP connections and never says a word: a host that hangs."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]

    def close(self):
        self.sock.close()


@pytest.fixture
def silent_listener():
    listener = SilentListener()
    yield listener
    listener.close()


class Site:
    """The site under gunicorn, DEBUG off, on a free loopback port."""

    def __init__(self, tmp_path, static_root, **environment):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))},
            "DJANGO_SETTINGS_MODULE": "tests.faults.settings_faults",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SERVE_MEDIA": "1",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "STATIC_ROOT": str(static_root),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": "1",
            "GUNICORN_TIMEOUT": "30",
            "CELERY_BROKER_URL": "",
            "PAGE_CACHE_SECONDS": "0",
            **environment,
        }
        self.log = tmp_path / "gunicorn.log"
        self.process = None

    def manage(self, *args):
        subprocess.run(
            [VENV_BIN / "python", "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            check=True,
            capture_output=True,
        )

    def start(self):
        self.process = subprocess.Popen(
            [VENV_BIN / "gunicorn", "-c", BASE_DIR / "deploy" / "gunicorn.conf.py", "newsroom.wsgi"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=open(self.log, "w"),
            stderr=subprocess.STDOUT,
        )

        def up():
            assert self.process.poll() is None, self.log.read_text()
            try:
                return get(self.url + "/healthz", timeout=2)[0] == 200
            except OSError:
                return False

        wait_for(up, 30, "gunicorn")

    def log_text(self):
        return self.log.read_text(errors="replace")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """The site's static files, collected once for every fault test."""
    root = tmp_path_factory.mktemp("static")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.faults.settings_faults", "STATIC_ROOT": str(root)}
    env.setdefault("DJANGO_SECRET_KEY", "fault-tests-only")
    subprocess.run(
        [VENV_BIN / "python", "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    return root


@pytest.fixture
def site_factory(tmp_path, static_root):
    sites = []

    def make(**environment):
        site = Site(tmp_path, static_root, **environment)
        sites.append(site)
        return site

    yield make
    for site in sites:
        site.stop()
