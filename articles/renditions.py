"""Renditions: each image stored once in a few widths, as WebP and in a fallback format.

They are made when an image is saved with a new file (or a new focal point), never on a page view,
and each is a ``Rendition`` row. A page's queryset prefetches the rows of all its images in one
query, so a ``<picture>`` with its ``srcset``, ``width`` and ``height`` costs no query per image.

Why Pillow directly rather than a thumbnail library: the reader pages must render in a fixed
number of SQL queries. sorl-thumbnail (the maintained choice for Django 5.2) resolves every
thumbnail in the template through its key-value store, a cache lookup and on a miss a database
query per thumbnail and page view, and renders missing ones during the page view;
easy-thumbnails does WebP only through a signal recipe and stops at Django 5.2; django-imagekit
depends on pilkit, unreleased since 2023. What we need from them is a crop and a resize, which
Pillow (already required by ``ImageField``) does in a few lines and writes WebP and AVIF itself.

For each crop (the whole picture, and each aspect ratio in ``settings.IMAGE_CROPS``, cut around
the focal point) the widths are those of ``settings.IMAGE_RENDITION_WIDTHS`` narrower than the
cropped picture, plus the cropped picture's own width when it is narrower than the widest: never
upscaled. The aspect ratios only search engines ask for (JSON_LD_CROPS not in IMAGE_CROPS) are cut
at SHARE_WIDTH alone: two files, not two per width. Each width is written as WebP and in the
fallback format: the original's format, except that a WebP original falls back to JPEG (or PNG
when it has transparency), so that browsers without WebP still get a picture. An animated GIF is
rendered from its first frame.
"""

import io
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image as PILImage

from .images import EXTENSIONS

# Crops and widths by what they are for: the one place Python and templates take them from.
# settings.IMAGE_CROPS and IMAGE_RENDITION_WIDTHS say what is made; a named crop must be among those
# crops (articles/checks.py says so), a named width need not be a made one (the closest is used).
CARD_CROP = "16:9"  # story cards, newsletter pictures, share cards and the feeds' pictures
SQUARE_CROP = "1:1"  # author photos (articles/author_detail.html) and their share card
# What a template may ask includes/picture.html for: crop="card", crop="square" (or none: whole).
TEMPLATE_CROPS = {"card": CARD_CROP, "square": SQUARE_CROP}
# The aspect ratios search engines ask of a story's picture, in their order of preference (the
# JSON-LD in seo.py); one not in IMAGE_CROPS is made at SHARE_WIDTH only.
JSON_LD_CROPS = (CARD_CROP, "4:3", SQUARE_CROP)
SHARE_WIDTH = 1200  # og:image, JSON-LD and the feeds' media:content (seo.py, feeds.py)
AUTHOR_SHARE_WIDTH = 800  # an author page's og:image, the square photo (seo.for_author)
SRC_WIDTH = 800  # a <picture>'s <img src>, for browsers without srcset (templatetags/pictures.py)
EMAIL_WIDTH = 800  # newsletter pictures, shown 560 px wide (newsletter/editions.py)
# The picture a story body shows: whole, at most this wide, WebP, under a name that never changes.
BODY_WIDTH = 1200
BODY_PICTURE_NAME = "images/renditions/{stem}/body.webp"
# A body's <img src> pointing at any stored size of an image (older bodies point at "full-1200").
RENDITION_URL = re.compile(r"(images/renditions/(?P<stem>[0-9a-f]{32})/)(?!body\.webp)[\w-]+\.webp")


def body_picture_name(stem):
    return BODY_PICTURE_NAME.format(stem=stem)


def body_pictures(html):
    """Point every picture of a story body at its image's body picture (body_picture_name)."""
    return RENDITION_URL.sub(r"\1body.webp", html)


def write_body_picture(storage, stem, source, written):
    """Store the body picture of an image once: later renditions, focal points and widths never
    touch it, so a picture placed in a body keeps loading."""
    name = body_picture_name(stem)
    if storage.exists(name):
        return
    width = min(BODY_WIDTH, source.width)
    height = max(1, round(width * source.height / source.width))
    picture = source if width == source.width else source.resize((width, height), PILImage.Resampling.LANCZOS)
    written.append(storage.save(name, ContentFile(_encode(picture, "WEBP"))))


@dataclass(frozen=True)
class Crop:
    """An aspect ratio such as "16:9" that renditions may be cut to."""

    width: int
    height: int

    @classmethod
    def parse(cls, value):
        width, _sep, height = str(value).partition(":")
        return cls(int(width), int(height))

    @property
    def slug(self):
        return f"{self.width}x{self.height}"

    def __str__(self):
        return f"{self.width}:{self.height}"


def crops():
    """Each crop renditions are made for ("" is the whole picture), with the widths it is cut to."""
    widths = sorted(settings.IMAGE_RENDITION_WIDTHS)
    made = {crop: widths for crop in ["", *(str(Crop.parse(value)) for value in settings.IMAGE_CROPS)]}
    for crop in JSON_LD_CROPS:
        made.setdefault(crop, [SHARE_WIDTH])
    return made


def crop_box(width, height, crop, focal_x=None, focal_y=None):
    """The (left, top, right, bottom) box of the given aspect ratio keeping the focal point in frame."""
    if not crop:
        return (0, 0, width, height)
    ratio = Crop.parse(crop)
    focal_x = 0.5 if focal_x is None else focal_x
    focal_y = 0.5 if focal_y is None else focal_y
    if width * ratio.height > height * ratio.width:  # too wide: cut the sides
        box_width = max(1, round(height * ratio.width / ratio.height))
        left = round(min(max(focal_x * width - box_width / 2, 0), width - box_width))
        return (left, 0, left + box_width, height)
    box_height = max(1, round(width * ratio.height / ratio.width))
    top = round(min(max(focal_y * height - box_height / 2, 0), height - box_height))
    return (0, top, width, top + box_height)


def widths_for(width, configured):
    """Of the (sorted) `configured` widths, those for a picture this wide: never upscaled."""
    widths = {w for w in configured if w < width}
    if width <= configured[-1]:
        widths.add(width)
    else:
        widths.add(configured[-1])
    return sorted(widths)


def fallback_format(image_format, picture):
    if image_format != "WEBP":
        return image_format
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    return "PNG" if has_alpha else "JPEG"


def _for_saving(picture, image_format):
    """Convert the picture to a mode the format can store."""
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    )
    if image_format == "JPEG":
        return picture.convert("RGB") if picture.mode not in ("RGB", "L") else picture
    if image_format == "GIF":
        return picture.convert("P", palette=PILImage.Palette.ADAPTIVE) if not has_alpha else picture
    if picture.mode not in ("RGB", "RGBA", "L", "LA"):
        return picture.convert("RGBA" if has_alpha else "RGB")
    return picture


def _encode(picture, image_format):
    options = {}
    if image_format == "WEBP":
        # Effort 2 of 6: about twice as fast as the default 4, for files a few per cent larger.
        options = {"quality": settings.IMAGE_WEBP_QUALITY, "method": 2}
    elif image_format == "JPEG":
        options = {"quality": settings.IMAGE_JPEG_QUALITY, "optimize": True, "progressive": True}
    elif image_format == "PNG":
        options = {"optimize": False}
    if "icc_profile" in picture.info and image_format != "GIF":
        options["icc_profile"] = picture.info["icc_profile"]
    buffer = io.BytesIO()
    _for_saving(picture, image_format).save(buffer, image_format, **options)
    return buffer.getvalue()


def render(image, written):
    """Make and store every rendition of ``image``; return unsaved Rendition objects.

    The name of each file stored is appended to ``written`` as soon as it is stored, so that the
    caller can delete them if anything fails half-way.
    """
    from .models import Rendition

    storage = image.file.storage
    stem = PurePosixPath(image.file.name).stem
    image.file.open("rb")
    try:
        with PILImage.open(image.file, formats=list(EXTENSIONS)) as source:
            factor = _reduction(source.width, source.height, image)
            if factor > 1 and source.format == "JPEG":
                # JPEG decodes straight to a fraction of its size (DCT scaling): far less memory.
                source.draft(source.mode, (source.width // factor, source.height // factor))
            source.load()
            original_format = source.format
            factor = _reduction(source.width, source.height, image)
            if factor > 1:
                source = source.reduce(factor)
            if source.mode == "P":
                source = source.convert("RGBA" if "transparency" in source.info else "RGB")
            elif source.mode not in ("RGB", "RGBA", "L", "LA"):
                source = source.convert("RGB")
    finally:
        image.file.close()
    write_body_picture(storage, stem, source, written)
    formats = ["WEBP", fallback_format(original_format, source)]
    full_box = (0, 0, source.width, source.height)
    renditions = []
    for crop, configured in crops().items():
        box = crop_box(source.width, source.height, crop, image.focal_x, image.focal_y)
        resized = source.crop(box) if box != full_box else source
        widths = widths_for(resized.width, configured)
        if crop and box == full_box:
            # The picture already has this shape: the crop's rows share the whole picture's files.
            shared = [r for r in renditions if r.crop == "" and r.width in widths]
            renditions += [_copy(r, crop) for r in shared]
            widths = [w for w in widths if w not in {r.width for r in shared}]
        crop_slug = Crop.parse(crop).slug if crop else "full"
        for width in reversed(widths):
            height = max(1, round(width * resized.height / resized.width))
            # Each size from the next larger one: cheaper, and LANCZOS keeps it sharp.
            resized = resized.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
            for rendition_format in formats:
                name = f"images/renditions/{stem}/{crop_slug}-{width}.{EXTENSIONS[rendition_format]}"
                stored = storage.save(name, ContentFile(_encode(resized, rendition_format)))
                written.append(stored)
                renditions.append(
                    Rendition(
                        image=image,
                        crop=crop,
                        width=width,
                        height=height,
                        format=rendition_format,
                        file=stored,
                    )
                )
    return renditions


def _reduction(width, height, image):
    """By how much the picture may be shrunk first and still give every crop its widest rendition.

    Each crop's renditions are at most its widest width, so a 40-megapixel original is reduced
    (by a whole factor, cheaply) before cropping and resizing, instead of being cut and resized at
    full size: the same renditions, for a fraction of the memory.
    """
    factors = []
    for crop, widths in crops().items():
        left, _top, right, _bottom = crop_box(width, height, crop, image.focal_x, image.focal_y)
        factors.append((right - left) // max(widths))
    return max(1, min(factors))


def _copy(rendition, crop):
    return type(rendition)(
        image=rendition.image,
        crop=crop,
        width=rendition.width,
        height=rendition.height,
        format=rendition.format,
        file=rendition.file.name,
    )
