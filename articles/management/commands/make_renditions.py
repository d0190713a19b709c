"""Make missing renditions, or all of them again: `python manage.py make_renditions [--all]`.

Uploads get their renditions when they are saved; this is for images stored before renditions
existed, and (with --all) for after a change of IMAGE_RENDITION_WIDTHS or IMAGE_CROPS, or of the
crops articles/renditions.py names (e.g. the 4:3 cut that JSON-LD lists, added after the others).
"""

from django.core.management.base import BaseCommand

from articles.cache import pages_changed
from articles.models import Image


class Command(BaseCommand):
    help = "Make the renditions of images that have none (with --all: of every image)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Remake the renditions of every image.")

    def handle(self, *args, **options):
        images = Image.objects.order_by("pk")
        if not options["all"]:
            images = images.filter(renditions__isnull=True)
        count = 0
        for image in images.iterator(chunk_size=50):
            image.make_renditions()
            count += 1
        pages_changed()  # renditions are bulk-created: no signal tells the page cache
        self.stdout.write(self.style.SUCCESS(f"Renditions made for {count} image(s)."))
