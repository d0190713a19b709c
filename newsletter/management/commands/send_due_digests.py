from django.core.management.base import BaseCommand

from newsletter.digests import send_due_digests


class Command(BaseCommand):
    help = (
        "Build and send the automatic digests whose time has come. Run it every minute from cron "
        "when no Celery beat runs the send_due_digests task; running it more often sends nothing twice."
    )

    def handle(self, *args, **options):
        editions = send_due_digests()
        for edition in editions:
            self.stdout.write(f"{edition.newsletter}: {edition} ({edition.recipients} recipients)")
        self.stdout.write(f"{len(editions)} digest(s) sent.")
