"""The site search's index (articles/search.py): a GIN-indexed tsvector on PostgreSQL, an FTS5
table on SQLite; both filled from the stories already there."""

import django.contrib.postgres.search
from django.db import migrations


def create_index(apps, schema_editor):
    from articles import search

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS articles_search_vector_idx"
                " ON articles_article USING gin (search_vector)"
            )
        elif connection.vendor == "sqlite":
            cursor.execute(search.SQLITE_CREATE_SQL)
    search.reindex(using=connection)


def drop_index(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS articles_search_vector_idx")
        elif connection.vendor == "sqlite":
            cursor.execute("DROP TABLE IF EXISTS articles_search")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_author_newest"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
