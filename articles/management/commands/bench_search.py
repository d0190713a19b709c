"""Time the search page on a seeded archive: `make bench-search` (`python manage.py bench_search`).

It runs on the database DATABASE_URL names, which must hold an archive made by `seed_articles`
and nothing else (it refuses real content, as seed_articles does): seed one first, e.g.
`manage.py seed_articles --count 100000` on a database of its own. Each query of QUERIES is asked
through the real view (Django's test client on /search/, the page cache off) once to warm up, then
--repeat times; it prints each one's p50 and p95 in milliseconds, the p50 of the time spent in its
SQL (database and driver), the stories found and the SQL queries the page ran, in one process,
with the machine's load before and after. It only reads.
"""

import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from articles.management.commands.seed_articles import PREFIX
from articles.management.commands.seed_articles import Command as SeedCommand
from articles.models import Article
from articles.search import clean_query, search_stories

# Kinds of queries readers ask, in the seeded archive's words (seed_articles), where every word is
# in many stories: its rarest are people's names (each in about 8 % of the stories).
QUERIES = {
    "a word in every story": "festival",
    "a name (8 % of stories)": "yusuf",
    "three names (0.2 %)": "yusuf zora brandt",
    "a two-word phrase": '"harbour bridge"',
    "quotes and -not": '"council plan" -football',
    "nothing matches": "xylophone",
}
PLAIN_STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"


class Command(BaseCommand):
    help = "Time /search/ on a seeded archive (the database DATABASE_URL names): p50 and p95 per query."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20, help="Timed requests per query (20).")

    def handle(self, *args, repeat, **options):
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        real = SeedCommand().real_content()
        if real:
            raise CommandError(
                f"This database holds content that seed_articles did not generate ({real}): "
                "benchmark a seeded archive of its own instead."
            )
        stories = Article.objects.filter(slug__startswith=PREFIX).count()
        if not stories:
            raise CommandError("No seeded archive here: run `manage.py seed_articles --count 100000` first.")
        load = " ".join(f"{figure:.2f}" for figure in os.getloadavg())
        self.stdout.write(
            f"{connection.display_name}, {stories:,} stories, {repeat} requests per query, "
            f"one process, page cache off; load average before: {load}\n"
        )
        header = f"{'query':<24}{'p50 ms':>9}{'p95 ms':>9}{'SQL p50':>9}{'found':>8}{'SQL':>5}  q="
        self.stdout.write(header + "\n" + "-" * len(header))
        # The test client asks for "testserver", over HTTPS so no redirect to it gets in the way;
        # static files by their plain names, so no collectstatic manifest is needed.
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        storages = {**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC}}
        with override_settings(PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=hosts, STORAGES=storages):
            client = Client()
            for name, query in QUERIES.items():
                self.stdout.write(self.row(client, name, query, repeat))
        load = " ".join(f"{figure:.2f}" for figure in os.getloadavg())
        self.stdout.write(f"\nload average after: {load}")

    def row(self, client, name, query, repeat):
        """One query's line: the page's time and, of it, the SQL's (database and driver), by median."""
        url = reverse("articles:search")
        response = client.get(url, {"q": query}, secure=True)  # warm-up
        if response.status_code != 200:
            raise CommandError(f"/search/?q={query} answered {response.status_code}.")
        found = search_stories(Article.objects.published(), clean_query(query)).count()
        pages, sql, statements = [], [], []

        def timed(execute, *args):
            started = time.perf_counter()
            try:
                return execute(*args)
            finally:
                statements.append(time.perf_counter() - started)

        for _ in range(repeat):
            statements.clear()
            started = time.perf_counter()
            with connection.execute_wrapper(timed):
                client.get(url, {"q": query}, secure=True)
            pages.append((time.perf_counter() - started) * 1000)
            sql.append(sum(statements) * 1000)
        return (
            f"{name:<24}{percentile(pages, 50):>9.1f}{percentile(pages, 95):>9.1f}"
            f"{percentile(sql, 50):>9.1f}{found:>8}{len(statements):>5}  {query}"
        )


def percentile(values, percent):
    """The smallest value at least `percent` % of `values` do not exceed (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * percent // 100) - 1)]
