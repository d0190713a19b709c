"""Time the delivery of one edition: `make bench-send` (or `python manage.py bench_send`).

Never touches your database: like `bench`, it builds a throwaway one (a temporary SQLite file, or a
`test_<name>` PostgreSQL database when DATABASE_URL points to PostgreSQL), with --subscribers
active subscribers and a dozen generated stories. An SMTP sink (aiosmtpd, from requirements-dev)
listens on a free loopback port. For each worker count it starts a real `celery worker` (prefork
pool, that many processes) against Redis, waits until it answers, sends one edition and reports
the time until the first message was accepted by the SMTP server and recorded as sent, and the
messages per second until the last one. Speed is measured here, never in the test suite.
"""

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Max, Min
from django.test.utils import setup_databases, teardown_databases
from django.utils import timezone

from articles.models import Article
from newsletter import services
from newsletter.models import Delivery, Edition, Newsletter, Subscriber
from newsroom.celery import app as celery_app

TARGET_RATE = 1000  # messages per second with 2 workers
TARGET_FIRST = 2.0  # seconds from "send" to the first message received


class Command(BaseCommand):
    help = "Time sending one edition to many subscribers with 1 and 2 Celery worker processes."

    def add_arguments(self, parser):
        parser.add_argument("--subscribers", type=int, default=50_000, help="Active subscribers (50,000).")
        parser.add_argument(
            "--workers", default="1,2", help="Worker process counts to try, comma-separated (1,2)."
        )
        parser.add_argument(
            "--broker",
            default=os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14"),
            help="Redis URL of the broker (default: database 14 of the local Redis, emptied first).",
        )
        parser.add_argument(
            "--timeout", type=float, default=3600, help="Give up after this many seconds (3600)."
        )

    def handle(self, *args, subscribers, workers, broker, timeout, **options):
        if importlib.util.find_spec("aiosmtpd") is None:
            raise CommandError("aiosmtpd is missing: `make install-dev` installs it.")
        counts = [int(n) for n in workers.split(",") if n.strip()]
        workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-send-"))
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(workdir / "bench.sqlite3")
        port = _free_port()
        sink = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{port}",
                "-c",
                "aiosmtpd.handlers.Sink",
            ]
        )
        settings.MEDIA_ROOT = str(workdir / "media")
        old_config = setup_databases(verbosity=0, interactive=False)
        results = []
        try:
            database_url = _database_url(connection.settings_dict)
            self.stdout.write(f"Throwaway {connection.vendor} database: {subscribers:,} subscribers…")
            newsletter = self.populate(subscribers)
            connection.close()  # the workers' turn; this process reconnects when it needs to
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "newsroom.settings",
                "DJANGO_DEBUG": "0",
                "DJANGO_SECRET_KEY": settings.SECRET_KEY,
                "DATABASE_URL": database_url,
                "MEDIA_ROOT": settings.MEDIA_ROOT,
                "CELERY_BROKER_URL": broker,
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(port),
                "LOG_LEVEL": "WARNING",
            }
            celery_app.conf.broker_url = broker
            celery_app.conf.task_always_eager = False
            celery_app.connection_for_write().default_channel.client.flushdb()
            for count in counts:
                results.append((count, *self.run(newsletter, count, env, subscribers, timeout)))
        finally:
            connection.close()
            teardown_databases(old_config, verbosity=0)
            sink.kill()  # our own aiosmtpd, which ignores SIGTERM
            sink.wait()
            shutil.rmtree(workdir, ignore_errors=True)

        self.stdout.write("")
        self.stdout.write(f"{'workers':>8}  {'messages':>9}  {'first message':>14}  {'messages/s':>10}")
        for count, sent, first, rate in results:
            self.stdout.write(f"{count:>8}  {sent:>9,}  {first:>13.2f}s  {rate:>10,.0f}")
        two = [row for row in results if row[0] == 2]
        if two and (two[0][3] < TARGET_RATE or two[0][2] >= TARGET_FIRST):
            raise CommandError(
                f"Missed the target: {TARGET_RATE:,} messages/s, first message < {TARGET_FIRST} s."
            )

    def populate(self, count):
        call_command("seed_articles", count=12, stdout=StringIO())
        newsletter = Newsletter.objects.create(name="Bench", slug="bench", description="Benchmark")
        batch = 5000
        for start in range(0, count, batch):
            Subscriber.objects.bulk_create(
                Subscriber(
                    email=f"reader{n}@example.com", newsletter=newsletter, status=Subscriber.Status.ACTIVE
                )
                for n in range(start, min(start + batch, count))
            )
        return newsletter

    def run(self, newsletter, count, env, expected, timeout):
        edition = Edition.objects.create(newsletter=newsletter, subject=f"Bench with {count} worker(s)")
        for position, article in enumerate(Article.objects.published()[:10]):
            edition.items.create(article=article, position=position)
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "--pool=prefork",
             f"--concurrency={count}", "--loglevel=WARNING", "--without-gossip", "--without-mingle",
             "--without-heartbeat", f"--hostname=bench{count}@%h"],
            env=env,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while not celery_app.control.ping(timeout=0.5):
                if worker.poll() is not None or time.monotonic() > deadline:
                    raise CommandError("The Celery worker did not start.")
            load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
            self.stdout.write(f"{count} worker(s) ready; machine load (1, 5, 15 min): {load}")
            started = timezone.now()
            services.send_edition(edition)
            sent = Delivery.objects.filter(edition=edition, status=Delivery.Status.SENT)
            deadline = time.monotonic() + timeout
            while (done := sent.count()) < expected:
                if time.monotonic() > deadline:
                    raise CommandError(f"Only {done:,} of {expected:,} messages were sent in time.")
                time.sleep(0.1)
            times = sent.aggregate(first=Min("sent_at"), last=Max("sent_at"))
            first = (times["first"] - started).total_seconds()
            last = (times["last"] - started).total_seconds()
            self.stdout.write(
                f"{count} worker(s): {done:,} sent, first after {first:.2f} s, all after {last:.1f} s"
            )
            return done, first, expected / last
        finally:
            worker.terminate()
            worker.wait(timeout=60)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(db):
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
