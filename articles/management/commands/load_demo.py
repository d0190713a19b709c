"""Fill the site with the demo content of articles/demo_content.py: `python manage.py load_demo`.

Rows are looked up by slug and left alone when they exist, so running the command again changes
nothing (and keeps any edits made in the admin). Pictures are drawn with Pillow, only for the rows
being created, and saved through the Image model like any upload.
"""

import io
import math
import random
from collections import Counter
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageChops, ImageColor, ImageDraw, ImageFont

from articles import demo_content
from articles.images import PreparedImage
from articles.models import Article, ArticleAuthor, Author, Image, Section, Tag

HERO_SIZE = (1600, 900)
PORTRAIT_SIZE = (600, 600)
CREDIT = "Newsroom demo illustration"
MOTIF_WORDS = {
    "circles": "overlapping circles",
    "stripes": "diagonal stripes",
    "waves": "layered waves",
    "sun": "a low sun over a horizon",
    "grid": "a grid of rounded tiles",
    "peaks": "layered mountain peaks",
}


class Command(BaseCommand):
    help = "Load the demo sections, authors, tags and 24 stories with pictures. Safe to run again."

    def handle(self, *args, **options):
        self.created = Counter()
        now = timezone.now().replace(second=0, microsecond=0)
        with transaction.atomic():
            sections = {
                slug: self.section(slug, name, description, position)
                for position, (slug, name, description) in enumerate(demo_content.SECTIONS)
            }
            authors = {data["slug"]: self.author(data) for data in demo_content.AUTHORS}
            tags = {slug: self.tag(slug, name) for slug, name in demo_content.TAGS}
            for data in demo_content.STORIES:
                self.story(data, now, sections, authors, tags)

        stories = Article.objects.filter(slug__in=[data["slug"] for data in demo_content.STORIES])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content: {len(sections)} sections, {len(authors)} authors, {len(tags)} tags, "
                f"{stories.count()} stories ({stories.published().count()} public, "
                f"{stories.scheduled().count()} scheduled, {stories.drafts().count()} draft). "
                + (
                    "Created now: "
                    + ", ".join(f"{count} {kind}" for kind, count in (+self.created).items())
                    + "."
                    if +self.created
                    else "Everything was already there; nothing changed."
                )
            )
        )

    def section(self, slug, name, description, position):
        section, created = Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
        self.created["sections"] += created
        return section

    def tag(self, slug, name):
        tag = Tag.objects.filter(slug__iexact=slug).first()
        if tag is None:
            tag = Tag.objects.create(slug=slug, name=name)
            self.created["tags"] += 1
        return tag

    def author(self, data):
        author = Author.objects.filter(slug=data["slug"]).first()
        if author is None:
            photo = save_image(
                portrait(data["name"], *data["colours"]),
                alt_text=f"Illustrated portrait of {data['name']}: a silhouette with the initials "
                f"{initials(data['name'])}",
                caption=data["name"],
            )
            author = Author.objects.create(
                slug=data["slug"], name=data["name"], role=data["role"], bio=data["bio"], photo=photo
            )
            self.created["authors"] += 1
            self.created["images"] += 1
        return author

    def story(self, data, now, sections, authors, tags):
        if Article.objects.filter(slug=data["slug"]).exists():
            return
        first, second, colour_words, motif = data["hero"]
        hero = save_image(
            hero_picture(data["slug"], first, second, motif),
            alt_text=f"Illustration: {MOTIF_WORDS[motif]} in {colour_words}",
            caption=data["caption"],
        )
        draft = data.get("status") == demo_content.DRAFT
        published_at = None if draft else now - timedelta(days=data["days_ago"])
        article = Article.objects.create(
            slug=data["slug"],
            section=sections[data["section"]],
            title=data["title"],
            subtitle=data["dek"],
            body=data["body"].strip(),
            hero_image=hero,
            status=Article.Status.DRAFT if draft else Article.Status.PUBLISHED,
            published_at=published_at,
        )
        for position, slug in enumerate(data["authors"]):
            ArticleAuthor.objects.create(article=article, author=authors[slug], position=position)
        article.tags.set([tags[slug] for slug in data["tags"]])
        if published_at is not None:
            # A story written just before it went out, not one edited weeks later.
            Article.objects.filter(pk=article.pk).update(created_at=published_at, updated_at=published_at)
        self.created["stories"] += 1
        self.created["images"] += 1


def save_image(picture, *, alt_text, caption):
    """Store a drawn picture the way an upload is stored: through the Image model, renditions and all.

    Pillow has just written these bytes, without metadata, so they go in as an already prepared
    upload rather than being decoded and encoded once more.
    """
    image = Image(
        file=PreparedImage(jpeg(picture), format="JPEG", width=picture.width, height=picture.height),
        alt_text=alt_text,
        caption=caption,
        credit=CREDIT,
    )
    image.save()
    return image


def initials(name):
    return "".join(part[0] for part in name.split()[:2]).upper()


def gradient(size, first, second):
    """A diagonal blend from the top-left colour to the bottom-right one."""
    vertical = PILImage.linear_gradient("L")
    horizontal = vertical.transpose(PILImage.Transpose.ROTATE_90).transpose(
        PILImage.Transpose.FLIP_LEFT_RIGHT
    )
    mask = ImageChops.add(vertical, horizontal, scale=2.0).resize(size, PILImage.BILINEAR)
    return PILImage.composite(
        PILImage.new("RGB", size, ImageColor.getrgb(second)),
        PILImage.new("RGB", size, ImageColor.getrgb(first)),
        mask,
    )


def jpeg(picture):
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def hero_picture(seed, first, second, motif):
    """A 1600×900 illustration: a gradient with translucent shapes, the same for the same seed."""
    width, height = HERO_SIZE
    rng = random.Random(seed)
    base = gradient(HERO_SIZE, first, second).convert("RGBA")
    layer = PILImage.new("RGBA", HERO_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    light, dark = (255, 255, 255), ImageColor.getrgb(second)

    if motif == "circles":
        for _ in range(9):
            r = rng.randint(80, 320)
            x, y = rng.randint(0, width), rng.randint(0, height)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(*light, rng.randint(40, 110)))
    elif motif == "stripes":
        step = 140
        for i, x in enumerate(range(-height, width + height, step)):
            colour = light if i % 2 else dark
            draw.polygon(
                [(x, height), (x + height, 0), (x + height + step // 2, 0), (x + step // 2, height)],
                fill=(*colour, 70),
            )
    elif motif == "waves":
        for band in range(5):
            baseline = height * (0.35 + band * 0.14)
            amplitude, phase = rng.randint(25, 70), rng.random() * math.tau
            points = [
                (x, baseline + amplitude * math.sin(x / 180 + phase + band)) for x in range(0, width + 20, 20)
            ]
            draw.polygon([*points, (width, height), (0, height)], fill=(*light, 45 + band * 12))
    elif motif == "sun":
        r = 230
        cx, cy = rng.randint(450, 1150), int(height * 0.62)
        for i in range(4):
            grow = 60 * (4 - i)
            draw.ellipse((cx - r - grow, cy - r - grow, cx + r + grow, cy + r + grow), fill=(*light, 25))
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*light, 200))
        draw.rectangle((0, int(height * 0.68), width, height), fill=(*dark, 215))
    elif motif == "grid":
        size, gap = 150, 30
        for row, y in enumerate(range(gap, height, size + gap)):
            for column, x in enumerate(range(gap, width, size + gap)):
                alpha = rng.choice((30, 60, 90, 140)) if (row + column) % 3 else 15
                draw.rounded_rectangle((x, y, x + size, y + size), radius=28, fill=(*light, alpha))
    elif motif == "peaks":
        for layer_index in range(4):
            floor = height * (0.55 + layer_index * 0.13)
            x, points = -100, [(-100, height)]
            while x < width + 100:
                points.append((x, floor - rng.randint(80, 300)))
                x += rng.randint(180, 360)
                points.append((x, floor))
            points.append((width + 100, height))
            draw.polygon(points, fill=(*dark, 90 + layer_index * 40))
    return PILImage.alpha_composite(base, layer).convert("RGB")


def portrait(name, background, figure):
    """A 600×600 portrait: a head-and-shoulders silhouette with the author's initials."""
    size = PORTRAIT_SIZE[0]
    picture = gradient(PORTRAIT_SIZE, background, "#ffffff")
    draw = ImageDraw.Draw(picture)
    colour = ImageColor.getrgb(figure)

    def box(*fractions):
        return [round(fraction * size) for fraction in fractions]

    draw.ellipse(box(0.31, 0.19, 0.69, 0.56), fill=colour)  # head
    draw.ellipse(box(0.14, 0.62, 0.86, 1.35), fill=colour)  # shoulders
    font = ImageFont.load_default(size=round(0.15 * size))
    draw.text((size / 2, 0.87 * size), initials(name), fill=(255, 255, 255), font=font, anchor="mm")
    return picture
