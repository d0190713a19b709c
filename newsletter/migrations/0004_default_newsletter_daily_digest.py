"""The default newsletter promises "sent every morning before breakfast": make it a daily digest at 07:00,
and let Editors compose and send editions."""

import datetime

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    "add_edition", "change_edition", "delete_edition", "view_edition", "send_edition",
    "add_editionstory", "change_editionstory", "delete_editionstory", "view_editionstory",
    "view_delivery",
]


def daily_digest(apps, schema_editor):
    Newsletter = apps.get_model("newsletter", "Newsletter")
    Newsletter.objects.filter(is_default=True, digest="off").update(
        digest="daily", digest_time=datetime.time(7, 0)
    )

    app_config = apps.get_app_config("newsletter")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="newsletter", codename__in=EDITOR_PERMISSIONS)
    )


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0003_editions_and_deliveries")]

    operations = [migrations.RunPython(daily_digest, migrations.RunPython.noop)]
