"""The allowlist for stored rich text.

It matches the editor's toolbar (settings.CKEDITOR_5_CONFIGS): headings, bold, italic, links,
lists, block quotes, images with captions and media embeds of a plain URL. Everything else —
scripts, event handlers, styles, iframes, javascript: and data: URLs — is dropped on save, so
templates can mark the stored HTML safe.
"""

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "a", "ul", "ol", "li", "blockquote",
    "figure", "figcaption", "img", "picture", "source", "oembed",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading"},
    "source": {"srcset", "sizes", "type"},
    "oembed": {"url"},
}
ALLOWED_CLASSES = {"figure": {"image", "media", "image-style-side"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _filter_attribute(tag, attribute, value):
    """Media embeds keep only http(s) URLs; nh3 checks the other URL attributes itself."""
    if (tag, attribute) == ("oembed", "url") and not value.lower().startswith(("https://", "http://")):
        return None
    if attribute == "srcset" and any(
        not part.strip().startswith(("/", "https://", "http://")) for part in value.split(",")
    ):
        return None
    return value


def sanitize_html(html):
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
