"""Time the reader pages: `make bench` (or `python manage.py bench`).

The command never touches your database. It creates a throwaway one the way the test runner does
(for SQLite a temporary file, for PostgreSQL a `test_<name>` database), migrates it, loads the demo
content into it with pictures in a temporary directory, then requests each reader page with
Django's test client: a few warm-up requests, then `--requests` timed ones. It prints the mean and
95th-percentile time and the number of SQL queries per page, and exits with status 1 when a page
misses its target below. Speed is checked here, never in the timed test suite.
"""

import math
import shutil
import statistics
import tempfile
import time
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases
from django.urls import reverse

from articles.models import Article

# Targets for a 2-core machine. p95 is the time 95 in 100 requests stay under.
P95_TARGET_MS = 100
# The same ceilings as tests/test_queries.py pins for each page.
MAX_QUERIES = {"home": 7, "story": 12, "section": 6, "tag": 6, "author": 7, "search": 5}
SEARCH_QUERY = "festival"


class Command(BaseCommand):
    help = "Time the reader pages on a throwaway copy of the demo site; exit 1 if a target is missed."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=200, help="Timed requests per page (200).")
        parser.add_argument("--warmup", type=int, default=20, help="Untimed requests first (20).")

    def handle(self, *args, requests, warmup, **options):
        if requests < 1:
            raise CommandError("--requests must be at least 1.")
        if settings.DEBUG:
            self.stderr.write(self.style.WARNING("DEBUG is on: expect slower pages than in production."))
        workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
        try:
            if connection.vendor == "sqlite":
                connection.settings_dict["TEST"]["NAME"] = str(workdir / "bench.sqlite3")
            throwaway = override_settings(
                MEDIA_ROOT=str(workdir / "media"),
                STATIC_ROOT=str(workdir),  # exists, so WhiteNoise does not warn; pages never fetch it
                ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
                CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
            )
            with throwaway:
                self.stdout.write(f"Building a throwaway {connection.vendor} database with the demo content…")
                old_config = setup_databases(verbosity=0, interactive=False)
                try:
                    call_command("load_demo", stdout=StringIO())
                    rows = [self.measure(name, url, requests, warmup) for name, url in self.pages()]
                finally:
                    teardown_databases(old_config, verbosity=0)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

        self.report(rows, requests)
        missed = [row["page"] for row in rows if row["problems"]]
        if missed:
            raise CommandError(f"Missed a target: {', '.join(missed)}.")
        self.stdout.write(self.style.SUCCESS("Every page met its targets."))

    def pages(self):
        story = Article.objects.published().first()
        if story is None:
            raise CommandError("The demo content has no public story to request.")
        return [
            ("home", reverse("articles:home")),
            ("story", story.get_absolute_url()),
            ("section", story.section.get_absolute_url()),
            ("tag", story.tags.first().get_absolute_url()),
            ("author", story.authors.first().get_absolute_url()),
            ("search", f"{reverse('articles:search')}?q={SEARCH_QUERY}"),
        ]

    def measure(self, name, url, requests, warmup):
        client = Client()
        for _ in range(warmup):
            client.get(url, secure=True)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, secure=True)
        query_count = len(queries)  # now: the next request_started signal empties the query log
        timings = []
        for _ in range(requests):
            start = time.perf_counter()
            client.get(url, secure=True)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[max(0, math.ceil(0.95 * len(timings)) - 1)]
        problems = []
        if response.status_code != 200:
            problems.append(f"status {response.status_code}")
        if p95 > P95_TARGET_MS:
            problems.append(f"p95 over {P95_TARGET_MS} ms")
        if query_count > MAX_QUERIES[name]:
            problems.append(f"over {MAX_QUERIES[name]} queries")
        return {
            "page": name,
            "url": url,
            "mean": statistics.fmean(timings),
            "p95": p95,
            "queries": query_count,
            "max_queries": MAX_QUERIES[name],
            "problems": problems,
        }

    def report(self, rows, requests):
        self.stdout.write(
            f"\n{requests} requests per page; times in milliseconds; target p95 < {P95_TARGET_MS} ms.\n"
        )
        header = f"{'page':<9}{'mean':>8}{'p95':>8}{'queries':>9}{'max':>5}  result  url"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in rows:
            result = "; ".join(row["problems"]) or "ok"
            style = self.style.ERROR if row["problems"] else self.style.SUCCESS
            numbers = f"{row['mean']:>8.1f}{row['p95']:>8.1f}{row['queries']:>9}{row['max_queries']:>5}"
            self.stdout.write(f"{row['page']:<9}{numbers}  {style(f'{result:<6}')}  {row['url']}")
        self.stdout.write("")
