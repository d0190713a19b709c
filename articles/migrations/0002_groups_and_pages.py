"""Editorial groups and the standing pages every site needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

JOURNALIST_PERMISSIONS = [
    "add_article", "change_article", "view_article",
    "add_articleauthor", "change_articleauthor", "delete_articleauthor", "view_articleauthor",
    "add_image", "change_image", "view_image",
    "add_tag", "change_tag", "view_tag",
    "view_author", "view_section",
]

PAGES = [
    ("terms", "Terms and Conditions", "<p>Write the site's terms and conditions here.</p>"),
    ("privacy", "Privacy", "<p>Explain here what the site collects about readers and why.</p>"),
]


def create_groups_and_pages(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    articles_permissions = Permission.objects.filter(content_type__app_label="articles")

    journalists, _ = Group.objects.get_or_create(name="Journalists")
    journalists.permissions.set(articles_permissions.filter(codename__in=JOURNALIST_PERMISSIONS))
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(articles_permissions)

    Page = apps.get_model("articles", "Page")
    for slug, title, body in PAGES:
        Page.objects.get_or_create(slug=slug, defaults={"title": title, "body": body})


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups_and_pages, migrations.RunPython.noop)]
