from django.core.management.base import BaseCommand

from articles import search
from articles.cache import pages_changed


class Command(BaseCommand):
    help = "Rebuild the site search's index of every story, e.g. after stories were imported in bulk."

    def handle(self, *args, **options):
        search.reindex()
        pages_changed()  # cached search pages were made from the old index
        self.stdout.write(self.style.SUCCESS("Search index rebuilt."))
