"""Story bodies point at each picture's body picture, whose name never changes.

Bodies made before it pointed at a rendition ("full-1200.webp"), which a focal-point move,
make_renditions --all or new IMAGE_RENDITION_WIDTHS deleted. This stores the body picture of each
image a body shows and rewrites those bodies (articles/renditions.py).
"""

from django.db import migrations
from PIL import Image as PILImage

from articles.images import EXTENSIONS
from articles.renditions import RENDITION_URL, body_pictures, write_body_picture


def point_bodies_at_body_pictures(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Image = apps.get_model("articles", "Image")
    for story in Article.objects.filter(body__contains="images/renditions/").only("pk", "body"):
        for stem in {match["stem"] for match in RENDITION_URL.finditer(story.body)}:
            image = Image.objects.filter(file__contains=stem).first()
            if image is None or not image.file.storage.exists(image.file.name):
                continue
            with image.file.open("rb"), PILImage.open(image.file, formats=list(EXTENSIONS)) as source:
                source.load()
                source = source.convert("RGBA" if source.mode in ("RGBA", "LA", "PA", "P") else "RGB")
                write_body_picture(image.file.storage, stem, source, [])
        Article.objects.filter(pk=story.pk).update(body=body_pictures(story.body))


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_workflow_and_slug_redirects")]

    operations = [migrations.RunPython(point_bodies_at_body_pictures, migrations.RunPython.noop)]
