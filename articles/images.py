"""Image uploads: checked before anything is stored, then stored without private metadata.

Every upload, whichever way it comes (admin form, editor upload, ``Image(file=...).save()`` in
load_demo or the test factories), goes through ``prepare_upload``. It refuses, with a
``ValidationError`` whose message names the reason (a form error in the admin, the JSON error in
the editor):

- a file larger than ``settings.IMAGE_MAX_UPLOAD_BYTES`` (default 20 MB), read from the upload's
  size before its bytes are read;
- a file containing HTML or script markup: ``<script``, ``<html``, ``<body``, ``<iframe``,
  ``<object``, ``<embed`` or ``<?php`` followed by a space, "/" or ">", ``<!doctype``,
  ``javascript:`` or the SVG namespace ``www.w3.org/2000/svg``, anywhere in the bytes. That is how
  polyglots (a GIF with a script appended, an image that is also an HTML page) are recognised. The
  markers are long enough that compressed pixel data matches one by chance less than once in
  50,000 photos of 20 MB;
- anything Pillow, reading the bytes, does not recognise as JPEG, PNG, WebP or GIF. The file's
  name and the browser's content type are never consulted: a PNG named .jpg is stored as a PNG, an
  SVG named .png is refused;
- more pixels than ``settings.IMAGE_MAX_PIXELS`` (default 40 megapixels), read from the header
  before anything is decoded, so a decompression bomb costs a few bytes of parsing, never a
  gigabyte of memory or a frozen worker;
- a truncated or damaged file: the whole picture is decoded once, and any decoder error refuses it.

What passes is re-encoded by Pillow before it is stored: the EXIF orientation is applied to the
pixels, and only the colour profile (and a GIF's transparent colour) is kept, so EXIF (GPS
position, camera serial number), XMP, comments and any bytes after the picture never reach
readers. An animated GIF is stored as its first frame.
"""

import io
import re
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageOps

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
OPTIMIZE_MAX_PIXELS = 12_000_000
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}

MARKUP = re.compile(
    rb"<(?:script|html|body|iframe|object|embed|\?php)[\s/>]|<!doctype|javascript:|www\.w3\.org/2000/svg",
    re.IGNORECASE,
)


class PreparedImage(ContentFile):
    """The cleaned bytes of an accepted upload, with what was read from them."""

    def __init__(self, content, *, format, width, height):
        super().__init__(content, name=f"upload.{EXTENSIONS[format]}")
        self.format = format
        self.width = width
        self.height = height


def _refuse(message, code, **params):
    raise ValidationError(message, code=code, params=params)


def _open(data):
    """Open the bytes with Pillow, refusing what is not an allowed image or too big to decode."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
        try:
            picture = PILImage.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
        except PILImage.DecompressionBombError:
            _refuse_too_many_pixels()
        except Exception:
            _refuse(_("This file is not a JPEG, PNG, WebP or GIF image."), "format")
    if picture.width * picture.height > settings.IMAGE_MAX_PIXELS:
        _refuse_too_many_pixels(picture.width, picture.height)
    return picture


def _refuse_too_many_pixels(width=None, height=None):
    limit = settings.IMAGE_MAX_PIXELS / 1_000_000
    if width is None:
        _refuse(
            _(
                "This image declares more than %(limit)g megapixels: it could be a decompression "
                "bomb, so it was not opened."
            ),
            "pixels",
            limit=limit,
        )
    _refuse(
        _(
            "This image is %(width)d × %(height)d pixels, more than the %(limit)g megapixels "
            "allowed: it could be a decompression bomb, so it was not opened. Resize it and upload "
            "it again."
        ),
        "pixels",
        width=width,
        height=height,
        limit=limit,
    )


def prepare_upload(file):
    """Check an uploaded file and return it cleaned, as a PreparedImage; raise ValidationError."""
    if isinstance(file, PreparedImage):
        return file
    size = getattr(file, "size", None)
    limit = settings.IMAGE_MAX_UPLOAD_BYTES
    if size is not None and size > limit:
        _refuse(
            _("This file is %(size)s; images may be at most %(limit)s."),
            "size",
            size=filesizeformat(size),
            limit=filesizeformat(limit),
        )
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        _refuse(
            _("This file is larger than %(limit)s, the most an image may be."),
            "size",
            limit=filesizeformat(limit),
        )
    if not data:
        _refuse(_("This file is empty."), "empty")
    if MARKUP.search(data):
        _refuse(
            _(
                "This file contains web page, SVG or script code as well as (or instead of) a "
                "picture, so it is refused."
            ),
            "polyglot",
        )
    picture = _open(data)
    image_format = picture.format
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
        try:
            picture.load()
        except Exception:
            _refuse(_("This image file is damaged or incomplete (truncated)."), "truncated")
    content, (width, height) = _reencode(picture, image_format)
    return PreparedImage(content, format=image_format, width=width, height=height)


def _reencode(picture, image_format):
    """Apply the EXIF orientation and save again, keeping only the colour profile."""
    kept = {key: picture.info[key] for key in ("icc_profile", "transparency") if key in picture.info}
    # In place: a 40-megapixel picture is 120 MB decoded, and a copy would double that.
    ImageOps.exif_transpose(picture, in_place=True)
    upright = picture
    upright.info = {}
    options = {}
    if "icc_profile" in kept:
        options["icc_profile"] = kept["icc_profile"]
    if image_format == "JPEG":
        # Optimised Huffman tables make libjpeg hold every coefficient of the picture (another
        # 120 MB at 40 megapixels) for a file a few per cent smaller: only for smaller pictures.
        options.update(
            quality=settings.IMAGE_ORIGINAL_QUALITY,
            optimize=upright.width * upright.height <= OPTIMIZE_MAX_PIXELS,
        )
    elif image_format == "WEBP":
        options.update(quality=settings.IMAGE_ORIGINAL_QUALITY)
    elif image_format == "GIF" and "transparency" in kept and upright.mode == "P":
        options["transparency"] = kept["transparency"]
    elif image_format == "PNG" and "transparency" in kept and upright.mode in ("P", "L", "RGB"):
        options["transparency"] = kept["transparency"]
    buffer = io.BytesIO()
    try:
        upright.save(buffer, image_format, **options)
    except (OSError, ValueError):  # a mode Pillow reads but cannot write back, e.g. 16-bit
        has_alpha = "A" in upright.getbands() or "transparency" in kept
        upright = upright.convert("RGBA" if has_alpha and image_format != "JPEG" else "RGB")
        options.pop("transparency", None)
        buffer = io.BytesIO()
        upright.save(buffer, image_format, **options)
    return buffer.getvalue(), upright.size


class ImageUploadField(forms.FileField):
    """A form field that runs prepare_upload: its errors name why a file was refused."""

    def to_python(self, data):
        data = super().to_python(data)
        if data is None:
            return None
        return prepare_upload(data)
