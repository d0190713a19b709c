"""Load the reader pages the way readers do: `make bench` (or `python manage.py bench`).

For each archive size in --count it seeds a throwaway database with `seed_articles --count N`
(a copy of a temporary SQLite file, or a throwaway PostgreSQL database next to the one
DATABASE_URL names; your own database is never opened), serves the site with gunicorn as in
production (DEBUG off, 2 sync workers, on a free loopback port), and loads each page with wrk,
first with the page cache off (PAGE_CACHE_SECONDS=0), then on. The yardstick is the site's
stylesheet served by WhiteNoise from the same gunicorn in the same run: each page's req/s is given
as a ratio of it, so runs on a busy machine stay comparable. Exits with status 1 when a target
below is missed.

Seeded archives are kept under var/bench/ (PostgreSQL: a template database), keyed by size, day
and a hash of the seeding code and migrations, so a 100,000-story run seeds once; --fresh reseeds.
"""

import hashlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse

from articles.models import Article

BENCH_DIR = settings.BASE_DIR / "var" / "bench"
# The static page is loaded first and again last: the yardstick is the mean, the two show the drift.
PAGES = ["static", "story", "home", "section", "tag", "search", "static again"]
SEARCH_QUERY = "festival"
MODES = {"uncached": "0", "cached": "300"}  # PAGE_CACHE_SECONDS
# Minimum req/s as a fraction of the static page's, same run (2-core machine, 2 workers, -c16).
TARGETS = {
    "uncached": {"story": 0.05, "home": 0.045, "section": 0.045, "tag": 0.045},
    "cached": {"story": 0.3},
}
# Uncached p50 may grow at most this much (%) from the smallest to the largest archive.
P50_CHANGE_TARGET = 20
P50_CHANGE_PAGES = ["story", "home", "section", "tag"]
# What current browsers send, so pages and the stylesheet are compressed as readers get them.
HEADERS = {"Accept-Encoding": "gzip, deflate, br, zstd"}
WRK_LOAD = ["-t2", "-c16", "--timeout", "30s"]


class Command(BaseCommand):
    help = "Load the reader pages with wrk on a throwaway seeded archive; exit 1 on a missed target."

    def add_arguments(self, parser):
        parser.add_argument(
            "--count",
            default="2000",
            help="Stories in the archive; several sizes comma-separated, e.g. 1000,100000.",
        )
        parser.add_argument("--duration", type=int, default=10, help="Seconds of load per page (10).")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2).")
        parser.add_argument(
            "--fresh", action="store_true", help="Reseed even if var/bench/ holds the archive."
        )

    def handle(self, *args, count, duration, workers, fresh, **options):
        try:
            counts = [int(number) for number in count.replace("_", "").split(",")]
        except ValueError:
            raise CommandError("--count takes numbers of stories, comma-separated.") from None
        if min(counts) < 1 or duration < 1 or workers < 1:
            raise CommandError("--count, --duration and --workers must be at least 1.")
        if not shutil.which("wrk"):
            raise CommandError("wrk is not installed: apt-get install wrk (make bench does it).")
        # `kill` stops the benchmark like Ctrl-C does: the servers are stopped on the way out.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        self.wrk_args = [*WRK_LOAD, f"-d{duration}s"]
        results, missed = {}, []
        try:
            with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as workdir:
                self.env = self.site_environment(Path(workdir))
                # The reader pages need only the site's own files: collecting the admin's and the
                # editor's too would take a minute of compressing.
                self.manage({}, "collectstatic", "--noinput", "-i", "admin", "-i", "django_ckeditor_5")
                manifest = json.loads((Path(workdir) / "static" / "staticfiles.json").read_text())
                self.static_url = f"/{settings.STATIC_URL.strip('/')}/{manifest['paths']['css/site.css']}"
                for number in counts:
                    results[number] = self.bench_archive(number, workers, fresh, missed)
        except KeyboardInterrupt:
            raise CommandError("Interrupted; the servers are stopped.") from None
        if len(counts) > 1:
            self.report_change(results, counts[0], counts[-1], missed)
        if missed:
            raise CommandError("Missed: " + "; ".join(missed))
        self.stdout.write(self.style.SUCCESS("Every target met."))

    def site_environment(self, workdir):
        """Production settings for the children (migrate, seed, gunicorn), on throwaway files."""
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback
            "DJANGO_SERVE_MEDIA": "1",
            "STATIC_ROOT": str(workdir / "static"),
            "LOG_LEVEL": "WARNING",
        }

    def manage(self, env, *args):
        subprocess.run(
            [sys.executable, "manage.py", *args, "-v0", "--skip-checks"],
            cwd=settings.BASE_DIR,
            env={**self.env, **env},
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def bench_archive(self, count, workers, fresh, missed):
        """Both modes on one seeded archive: {mode: {page: figures}}."""
        results = {}
        with self.archive(count, fresh) as (env, database_name):
            urls = self.page_urls(database_name)
            for mode, cache_seconds in MODES.items():
                load = " ".join(f"{figure:.2f}" for figure in os.getloadavg())
                with self.gunicorn({**env, "PAGE_CACHE_SECONDS": cache_seconds}, workers) as port:
                    figures = {page: self.load(port, url) for page, url in urls.items()}
                results[mode] = figures
                title = (
                    f"{connection.display_name}, {count:,} stories, {mode} "
                    f"(PAGE_CACHE_SECONDS={cache_seconds}); "
                    f"gunicorn {workers} sync workers; wrk {' '.join(self.wrk_args)} --latency; "
                    f"load average before: {load}"
                )
                missed += [
                    f"{count:,} stories, {mode}: {problem}" for problem in self.report(title, mode, figures)
                ]
        return results

    @contextmanager
    def archive(self, count, fresh):
        """A throwaway copy of a seeded archive: yields (environment for the site, database name)."""
        vendor = connection.vendor
        if vendor == "sqlite":
            cached = BENCH_DIR / f"sqlite-{count}-{self.seed_version()}"
            if fresh or not cached.exists():
                self.seed(cached, count, f"sqlite:///{cached}.building/db.sqlite3")
            with tempfile.TemporaryDirectory(prefix="newsroom-bench-db-") as workdir:
                database = Path(workdir) / "db.sqlite3"
                shutil.copyfile(cached / "db.sqlite3", database)
                yield (
                    {"DATABASE_URL": f"sqlite:///{database}", "MEDIA_ROOT": str(cached / "media")},
                    str(database),
                )
        elif vendor == "postgresql":
            # Databases next to yours, named after it: a template kept between runs, and this run's copy.
            prefix = f"{connection.settings_dict['NAME'][:24]}_bench"
            cached = BENCH_DIR / f"{prefix}-{count}-{self.seed_version()}"  # the template's pictures
            template = cached.name.replace("-", "_")
            exists = "SELECT 1 FROM pg_database WHERE datname = %s"
            if fresh or not (cached.exists() and self.postgres(exists, template)):
                self.postgres(f'DROP DATABASE IF EXISTS "{template}_building" WITH (FORCE)')
                self.postgres(f'CREATE DATABASE "{template}_building"')
                self.seed(cached, count, self.postgres_url(f"{template}_building"))
                for (name,) in self.postgres("SELECT datname FROM pg_database"):
                    if name.startswith(f"{prefix}_{count}_") and name != f"{template}_building":
                        self.postgres(f'DROP DATABASE "{name}" WITH (FORCE)')
                self.postgres(f'ALTER DATABASE "{template}_building" RENAME TO "{template}"')
            database = f"{prefix}_run_{os.getpid()}"
            self.postgres(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
            try:
                yield (
                    {"DATABASE_URL": self.postgres_url(database), "MEDIA_ROOT": str(cached / "media")},
                    database,
                )
            finally:
                self.postgres(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        else:
            raise CommandError(f"The benchmark runs on SQLite or PostgreSQL, not {vendor}.")

    def seed_version(self):
        """Today (stories are dated back from it) and a hash of the seeding code and the migrations."""
        digest = hashlib.sha256()
        commands = settings.BASE_DIR / "articles" / "management" / "commands"
        migrations = sorted(settings.BASE_DIR.glob("*/migrations/*.py"))
        for path in [commands / "seed_articles.py", commands / "load_demo.py", *migrations]:
            digest.update(path.read_bytes())
        return f"{datetime.now(UTC):%Y%m%d}-{digest.hexdigest()[:8]}"

    def seed(self, cached, count, database_url):
        """Migrate and seed into `cached`.building, then put it in place of older archives of that size."""
        building = cached.with_name(cached.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        self.stdout.write(f"Seeding {count:,} stories (kept in {BENCH_DIR} for the next runs)…")
        started = time.monotonic()
        env = {"DATABASE_URL": database_url, "MEDIA_ROOT": str(building / "media")}
        self.manage(env, "migrate", "--noinput")
        self.manage(env, "seed_articles", "--count", str(count))
        size = cached.name.rsplit("-", 2)[0]  # e.g. sqlite-100000
        for old in BENCH_DIR.glob(f"{size}-*"):
            if not old.name.endswith(".building"):
                shutil.rmtree(old)
        building.rename(cached)
        self.stdout.write(f"Seeded in {time.monotonic() - started:.0f} s.")

    def postgres(self, sql, *params):
        """Run one statement on the server's maintenance database; rows of a SELECT."""
        import psycopg2

        db = connection.settings_dict
        server = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}
        with closing(psycopg2.connect(dbname="postgres", **server)) as admin:
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else None

    def postgres_url(self, name):
        return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()

    def page_urls(self, database_name):
        """The pages to load, picked in the throwaway database (the newest story and its links)."""
        original = connection.settings_dict["NAME"]
        connection.close()
        connection.settings_dict["NAME"] = database_name  # as the test runner does
        try:
            story = Article.objects.published().select_related("section").first()
            if story is None:
                raise CommandError("The seeded archive has no public story.")
            urls = {
                "static": self.static_url,
                "story": story.get_absolute_url(),
                "home": reverse("articles:home"),
                "section": story.section.get_absolute_url(),
                "tag": story.tags.order_by("name").first().get_absolute_url(),
                "search": f"{reverse('articles:search')}?q={SEARCH_QUERY}",
                "static again": self.static_url,
            }
        finally:
            connection.close()
            connection.settings_dict["NAME"] = original
        return urls

    @contextmanager
    def gunicorn(self, env, workers):
        """Serve the site on a free loopback port; the server is stopped however the block ends."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with ExitStack() as stack:
            log = stack.enter_context(tempfile.TemporaryFile())
            server = subprocess.Popen(
                [
                    Path(sys.executable).with_name("gunicorn"),
                    "newsroom.wsgi",
                    f"--bind=127.0.0.1:{port}",
                    f"--workers={workers}",
                ],
                cwd=settings.BASE_DIR,
                env={**self.env, **env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches only this command, which stops the server
            )
            stack.callback(self.stop, server)
            deadline = time.monotonic() + 60
            while True:
                if server.poll() is not None:
                    log.seek(0)
                    raise CommandError(
                        "gunicorn did not start:\n" + log.read().decode(errors="replace")[-3000:]
                    )
                try:
                    self.get(port, self.static_url)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise CommandError("gunicorn did not answer within a minute.") from None
                    time.sleep(0.2)
            yield port

    def stop(self, server):
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    def get(self, port, url):
        with closing(http.client.HTTPConnection("127.0.0.1", port, timeout=60)) as client:
            client.request("GET", url, headers=HEADERS)
            return client.getresponse().status

    def load(self, port, url):
        """wrk's figures for one page, after a check that it answers 200 and a second of warm-up."""
        try:
            status = self.get(port, url)
        except (OSError, http.client.HTTPException) as error:  # e.g. the worker was killed at its timeout
            return {"url": url, "error": f"no answer ({error.__class__.__name__})"}
        if status != 200:
            return {"url": url, "error": f"status {status}"}
        headers = [f"--header={name}: {value}" for name, value in HEADERS.items()]
        address = f"http://127.0.0.1:{port}{url}"
        subprocess.run(["wrk", "-t2", "-c4", "-d1s", *headers, address], check=True, capture_output=True)
        output = subprocess.run(
            ["wrk", *self.wrk_args, "--latency", *headers, address],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        latency = {
            percent: float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
            for percent, number, unit in re.findall(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        }
        errors = sum(map(int, re.findall(r"Non-2xx or 3xx responses: (\d+)", output)))
        errors += sum(map(int, re.findall(r"timeout (\d+)", output)))
        if re.search(r"^\s*0 requests in", output, re.M):
            return {"url": url, "error": "no request finished in time"}
        return {
            "url": url,
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50": latency["50"],
            "p99": latency["99"],
            "error": f"{errors} failed requests" if errors else "",
        }

    def report(self, title, mode, figures):
        """Print one run's table; return the targets it missed."""
        self.stdout.write(f"\n{title}\n")
        header = f"{'page':<13}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}{'target':>9}  result  url"
        self.stdout.write(header + "\n" + "-" * len(header))
        static = (figures["static"].get("rps", 0) + figures["static again"].get("rps", 0)) / 2
        missed = []
        for page, row in figures.items():
            target = TARGETS[mode].get(page)
            problem = row["error"]
            if problem:
                numbers = f"{'-':>10}{'-':>9}{'-':>9}{'-':>8}"
            else:
                ratio = row["rps"] / static if static else 0
                if target and ratio < target:
                    problem = f"ratio {ratio:.3f} < {target}"
                numbers = f"{row['rps']:>10.1f}{row['p50']:>9.1f}{row['p99']:>9.1f}{ratio:>8.3f}"
            style = self.style.ERROR if problem else self.style.SUCCESS
            target_text = f"≥ {target}" if target else "-"
            self.stdout.write(f"{page:<13}{numbers}{target_text:>9}  {style(problem or 'ok')}  {row['url']}")
            if problem:
                missed.append(f"{page} {problem}")
        return missed

    def report_change(self, results, smallest, largest, missed):
        """How each page's p50 moved from the smallest to the largest archive."""
        self.stdout.write(
            f"\np50 change from {smallest:,} to {largest:,} stories "
            f"(target: uncached {', '.join(P50_CHANGE_PAGES)} at most +{P50_CHANGE_TARGET} %)\n"
        )
        self.stdout.write(f"{'page':<13}" + "".join(f"{mode:>24}" for mode in MODES))
        for page in PAGES[1:-1]:
            cells = []
            for mode in MODES:
                before, after = results[smallest][mode][page], results[largest][mode][page]
                if before["error"] or after["error"]:
                    cells.append(f"{'-':>24}")
                    continue
                change = (after["p50"] - before["p50"]) / before["p50"] * 100
                cells.append(f"{before['p50']:>8.1f} → {after['p50']:>6.1f} ms {change:>+4.0f} %")
                if mode == "uncached" and page in P50_CHANGE_PAGES and change > P50_CHANGE_TARGET:
                    missed.append(f"{page} p50 {change:+.0f} % from {smallest:,} to {largest:,} stories")
            self.stdout.write(f"{page:<13}" + "".join(cells))
        self.stdout.write("")
