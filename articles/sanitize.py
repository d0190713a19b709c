"""The allowlist for stored rich text.

It matches the editor's toolbar (settings.CKEDITOR_5_CONFIGS): paragraphs, two heading levels,
bold, italic, links, lists, block quotes, uploaded images with captions, and media embeds of a
plain URL. Everything else — scripts, event handlers, styles, iframes, forms, SVG, comments,
javascript:/data: URLs and pictures from other hosts — is dropped on save, so templates can
mark the stored HTML safe.
"""

import re
from html.parser import HTMLParser

import nh3
from django.conf import settings

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "strong", "b", "em", "i", "a", "ul", "ol", "li", "blockquote",
    "figure", "figcaption", "img", "oembed",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "oembed": {"url"},
}
ALLOWED_CLASSES = {"figure": {"image", "media"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Removed together with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = {
    "script", "style", "template", "iframe", "frame", "frameset", "object", "embed", "applet",
    "svg", "math", "noscript", "noembed", "noframes", "xmp", "title", "textarea", "select", "form",
}  # fmt: skip

SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# After cleaning, attributes are always double-quoted and ">" inside them is escaped.
IMG_WITHOUT_SRC_RE = re.compile(r'<img(?![^>]*\ssrc=")[^>]*>')
EMPTY_OEMBED_RE = re.compile(r'<oembed url="([^"]*)"></oembed>')


def _normalize_url(value):
    """The URL as a browser reads it: tabs and newlines removed, control characters trimmed."""
    return re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(0x21)))).lower()


def _is_local(url):
    """A path on this site ("/media/…"), or an absolute URL of the site itself or its media."""
    if url.startswith("/") and not url.startswith(("//", "/\\")):
        return True
    own_prefixes = [settings.SITE_URL.lower() + "/"]
    if settings.MEDIA_URL.lower().startswith(("https://", "http://")):
        own_prefixes.append(settings.MEDIA_URL.lower())
    return url.startswith(tuple(own_prefixes))


def _filter_attribute(tag, attribute, value):
    if attribute not in {"href", "src", "url"}:
        return value
    url = _normalize_url(value)
    if tag == "img":
        # The site loads nothing from other hosts: pictures are uploaded, never hot-linked.
        return value if _is_local(url) else None
    if tag == "oembed":
        return value if url.startswith(("https://", "http://")) else None
    scheme = SCHEME_RE.match(url)
    if scheme and scheme.group(1) not in URL_SCHEMES:
        return None
    return value


def sanitize_html(html):
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    cleaned = IMG_WITHOUT_SRC_RE.sub("", cleaned).replace("<oembed></oembed>", "")
    # A media embed is stored as its URL; the site loads nothing from the video's host, so readers
    # get a link to it. Browsers show the content of the unknown <oembed>; the editor ignores it.
    cleaned = EMPTY_OEMBED_RE.sub(
        r'<oembed url="\1"><a href="\1" rel="noopener noreferrer">\1</a></oembed>', cleaned
    )
    return cleaned.strip()


OEMBED_TAG_RE = re.compile(r'<oembed url="[^"]*">|</oembed>')


def for_readers(html):
    """Stored rich text as pages and feeds show it: without the editor's <oembed> wrapper, which
    is not HTML (the Nu checker refuses it), keeping the link to the media inside it."""
    return OEMBED_TAG_RE.sub("", html or "")


class _ImagesWithoutAlt(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "img" and not (attributes.get("alt") or "").strip():
            self.sources.append(attributes.get("src") or "")


def images_without_alt(html):
    """The src of every <img> in `html` that has no text alternative."""
    parser = _ImagesWithoutAlt()
    parser.feed(html or "")
    parser.close()
    return parser.sources
