"""Every site starts with one newsletter, and Editors can manage newsletters and subscribers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    "add_newsletter", "change_newsletter", "view_newsletter",
    "change_subscriber", "delete_subscriber", "view_subscriber",
]


def create_default_newsletter(apps, schema_editor):
    Newsletter = apps.get_model("newsletter", "Newsletter")
    if not Newsletter.objects.filter(is_default=True).exists():
        Newsletter.objects.get_or_create(
            slug="daily",
            defaults={
                "name": "The Newsroom Daily",
                "description": "Our best stories of the day, sent every morning before breakfast.",
                "is_default": True,
            },
        )

    # Permissions are normally made after all migrations; make them now so the group can hold them.
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
    dependencies = [
        ("newsletter", "0001_initial"),
        ("articles", "0002_groups_and_pages"),
    ]

    operations = [migrations.RunPython(create_default_newsletter, migrations.RunPython.noop)]
