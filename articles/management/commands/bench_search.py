"""Time the search page on a seeded archive: `make bench-search` (`python manage.py bench_search`).

It runs on the database DATABASE_URL names, which must hold an archive made by `seed_articles`
and nothing else (it refuses real content, as seed_articles does): seed one first, e.g.
`manage.py seed_articles --count 100000` on a database of its own. Each query of QUERIES is asked
through the real view (Django's test client on /search/, the page cache off) once to warm up, then
--repeat times; it prints each one's p50 and p95 in milliseconds, the stories found and the SQL
queries the page ran, in one process, with the machine's load before and after. It only reads.
"""

import os
import statistics
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
        header = f"{'query':<24}{'p50 ms':>9}{'p95 ms':>9}{'found':>8}{'SQL':>5}  q="
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
        url = reverse("articles:search")
        queries = []
        with connection.execute_wrapper(lambda execute, *args: queries.append(args) or execute(*args)):
            response = client.get(url, {"q": query}, secure=True)
        if response.status_code != 200:
            raise CommandError(f"/search/?q={query} answered {response.status_code}.")
        found = search_stories(Article.objects.published(), clean_query(query)).count()
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url, {"q": query}, secure=True)
            timings.append((time.perf_counter() - started) * 1000)
        p50 = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20, method="inclusive")[-1] if repeat > 1 else timings[0]
        return f"{name:<24}{p50:>9.1f}{p95:>9.1f}{found:>8}{len(queries):>5}  {query}"
