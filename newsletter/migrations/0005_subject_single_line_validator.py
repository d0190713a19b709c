"""An edition's subject is checked by the same one-line rule as a newsletter's name (no database change)."""

import newsletter.validation
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0004_default_newsletter_daily_digest"),
    ]

    operations = [
        migrations.AlterField(
            model_name="edition",
            name="subject",
            field=models.CharField(
                help_text="The email's subject line.",
                max_length=200,
                validators=[newsletter.validation.validate_single_line],
                verbose_name="subject",
            ),
        ),
    ]
