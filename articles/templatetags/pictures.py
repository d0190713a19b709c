"""Template helpers for pictures, reading only an image's prefetched renditions (no queries).

``{% picture_sources image crop as pic %}`` (crop: a name from renditions.TEMPLATE_CROPS such as
"card", or empty for the whole picture) gives what includes/picture.html prints: the WebP and
fallback ``srcset`` strings, and the ``src``, ``width`` and ``height`` of a mid-sized fallback
rendition (the ``width``/``height`` attributes give the browser the aspect ratio, so nothing moves
when the picture arrives). An image without renditions falls back to its original file.
"""

from dataclasses import dataclass

from django import template

from articles.renditions import SHARE_WIDTH, SRC_WIDTH, TEMPLATE_CROPS

register = template.Library()


@dataclass
class Picture:
    src: str
    width: int | None
    height: int | None
    webp_srcset: str = ""
    fallback_srcset: str = ""


def _srcset(renditions):
    return ", ".join(f"{r.file.url} {r.width}w" for r in sorted(renditions, key=lambda r: r.width))


def _crop(name):
    """The aspect ratio a template names ("card", "square": renditions.TEMPLATE_CROPS); else whole."""
    return TEMPLATE_CROPS.get(name, "")


@register.simple_tag
def picture_sources(image, crop=""):
    renditions = list(image.renditions.all())
    crop = _crop(crop)
    if not any(r.crop == crop for r in renditions):
        crop = ""  # a crop no renditions were made for: show the whole picture
    chosen = [r for r in renditions if r.crop == crop]
    webp = [r for r in chosen if r.format == "WEBP"]
    fallback = [r for r in chosen if r.format != "WEBP"] or webp
    if not fallback:
        return Picture(src=image.file.url, width=image.width, height=image.height)
    src = image.rendition(SRC_WIDTH, crop=crop, formats={r.format for r in fallback})
    return Picture(
        src=src.file.url,
        width=src.width,
        height=src.height,
        webp_srcset=_srcset(webp) if webp is not fallback else "",
        fallback_srcset=_srcset(fallback),
    )


@register.simple_tag
def rendition_url(image, width=SHARE_WIDTH, crop=""):
    """The URL of the fallback-format (JPEG, PNG or GIF) rendition closest to `width`.

    For where WebP may not be understood, e.g. ``<meta property="og:image">``:
    ``{% rendition_url article.hero_image crop="card" as share_url %}``.
    """
    formats = {r.format for r in image.renditions.all() if r.format != "WEBP"} or {"WEBP"}
    rendition = image.rendition(width, crop=_crop(crop), formats=formats)
    return rendition.file.url if rendition else image.file.url
