"""Indexes for reader pages that read a bounded number of rows at any archive size.

TaggedStory copies the tag links of published stories with their publish time (filled here), so
that a tag's newest stories are read from an index by tag then time.
"""

import django.db.models.deletion
from django.db import migrations, models


def fill_tagged_stories(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    TaggedStory = apps.get_model("articles", "TaggedStory")
    links = Article.tags.through.objects.filter(
        article__status="published", article__published_at__isnull=False
    )
    rows = links.values_list("tag_id", "article_id", "article__published_at").iterator(chunk_size=5000)
    batch = []
    for tag_id, article_id, published_at in rows:
        batch.append(TaggedStory(tag_id=tag_id, article_id=article_id, published_at=published_at))
        if len(batch) == 5000:
            TaggedStory.objects.bulk_create(batch)
            batch = []
    TaggedStory.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_headline_help_text"),
    ]

    operations = [
        migrations.CreateModel(
            name="TaggedStory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("published_at", models.DateTimeField()),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="articles.article"
                    ),
                ),
                (
                    "tag",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="articles.tag"
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["tag", "published_at", "article"], name="articles_tag_newest_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("article", "tag"), name="articles_taggedstory_unique")
                ],
            },
        ),
        migrations.RunPython(fill_tagged_stories, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["section", "status", "published_at"], name="articles_section_public_idx"
            ),
        ),
    ]
