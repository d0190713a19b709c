"""Demo logins for a local site: `python manage.py demo_superuser` (DEBUG only).

Creates, or resets, three accounts with freshly generated passwords and prints them:
`admin` (superuser), `editor` (Editors group) and `journalist` (Journalists group). The editor
and the journalist are linked to demo authors when `load_demo` has made them.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from articles.models import Author

# username, group, demo author slug, what the account is for
ACCOUNTS = [
    ("admin", None, None, "superuser: everything"),
    ("editor", "Editors", "nadia-ferreira", "Editors group: publishes, schedules, corrects"),
    ("journalist", "Journalists", "owen-castellan", "Journalists group: writes drafts"),
]


class Command(BaseCommand):
    help = "Create or reset the demo admin, editor and journalist logins and print them (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_superuser only runs with DJANGO_DEBUG=1: it prints passwords to the terminal "
                "and is meant for a local demo site. On a real site use `manage.py createsuperuser`."
            )
        with transaction.atomic():
            rows = [self.account(*account) for account in ACCOUNTS]

        admin_url = settings.SITE_URL + reverse("admin:index")
        width = max(len(row[0]) for row in rows)
        lines = [
            "",
            "=" * 72,
            f"  The site:   {settings.SITE_URL}/",
            f"  Admin:      {admin_url}",
            "",
            *(
                f"  username: {name:<{width}}   password: {password}   {note}"
                for name, password, note in rows
            ),
            "",
            "  New passwords are made each time this command runs (every `make run`).",
            "=" * 72,
            "",
        ]
        self.stdout.write("\n".join(lines))

    def account(self, username, group_name, author_slug, note):
        User = get_user_model()
        password = secrets.token_urlsafe(12)
        user = User.objects.filter(username=username).first() or User(username=username)
        user.email = f"{username}@example.com"
        user.is_active = True
        user.is_staff = True
        user.is_superuser = group_name is None
        user.set_password(password)
        user.save()
        if group_name:
            group = Group.objects.filter(name=group_name).first()
            if group:
                user.groups.add(group)
            author = Author.objects.filter(slug=author_slug).first()
            if author and author.user_id in (None, user.pk) and not Author.objects.filter(user=user).exists():
                author.user = user
                author.save(update_fields=["user"])
            if author and author.user_id == user.pk:
                note += f" (writes as {author.name})"
        return username, password, note
