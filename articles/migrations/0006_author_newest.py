"""Bylines keep a copy of their story's publish time, so an author's page reads an index in order."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_publish_times(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleAuthor = apps.get_model("articles", "ArticleAuthor")
    ArticleAuthor.objects.update(
        published_at=Subquery(
            Article.objects.filter(pk=OuterRef("article_id"), status="published").values("published_at")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_taggedstory_and_scale_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="articleauthor",
            name="published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(copy_publish_times, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="taggedstory",
            name="article",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="tagged_stories",
                to="articles.article",
            ),
        ),
        migrations.AddIndex(
            model_name="articleauthor",
            index=models.Index(
                fields=["author", "published_at", "article"], name="articles_author_newest_idx"
            ),
        ),
    ]
