"""Every public page's metadata from one place: title, description, canonical URL, share tags,
robots, feed links and JSON-LD, printed by templates/includes/meta.html ({% page_meta %}).

Built only from what the page already loaded (no query) and never from the request, so that a
page is the same bytes for every reader and its canonical URL ignores stray query strings.
Pages beyond the first of a list keep their own canonical URL and stay indexable (Google's
advice for paginated lists: they are the crawl path to older stories); search results and
previews are "noindex".
"""

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .renditions import AUTHOR_SHARE_WIDTH, CARD_CROP, JSON_LD_CROPS, SHARE_WIDTH, SQUARE_CROP

INDEX = "index, follow, max-image-preview:large"
NOINDEX = "noindex"
DESCRIPTION_LENGTH = 160

# Like django.utils.html.json_script: nothing in the data can close the <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        self.parts.append(" ")

    def handle_endtag(self, tag):
        self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(markup):
    """The words of stored rich text, without tags or attributes, entities decoded."""
    parser = _TextExtractor()
    parser.feed(markup or "")
    parser.close()
    return " ".join("".join(parser.parts).split())


def absolute(path):
    """SITE_URL + path; full URLs (a media CDN) pass through."""
    path = str(path or "")
    if not path or path.startswith(("http://", "https://", "//")):
        return path
    return settings.SITE_URL + path


def iso(moment):
    """A time as W3C/ISO 8601 in whole seconds, the form HTML, OpenGraph and schema.org expect."""
    return moment.isoformat(timespec="seconds") if moment else ""


def json_ld(data):
    """`data` as JSON safe inside <script type="application/ld+json">."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES))


@dataclass
class Feed:
    title: str
    rss: str
    atom: str


@dataclass
class ShareImage:
    url: str
    width: int | None
    height: int | None
    alt: str


@dataclass
class PageMeta:
    """What includes/meta.html prints for one page."""

    title: str  # the page's own title, without the site's name
    description: str = ""
    path: str = ""  # the canonical path; none for pages that have no address of their own (404)
    type: str = "website"
    robots: str = INDEX
    image: ShareImage | None = None
    feeds: list = field(default_factory=list)
    article: dict | None = None  # article:* OpenGraph properties, as (property, value) pairs
    structured: list = field(default_factory=list)

    @property
    def site_name(self):
        return settings.SITE_NAME

    @property
    def full_title(self):
        return f"{self.title} | {settings.SITE_NAME}" if self.title != settings.SITE_NAME else self.title

    @property
    def canonical(self):
        return absolute(self.path) if self.path else ""

    @property
    def twitter_card(self):
        return "summary_large_image" if self.image and self.image.width else "summary"

    @property
    def json_ld(self):
        return [json_ld(item) for item in self.structured]


def _description(*candidates):
    for text in candidates:
        text = " ".join(str(text or "").split())
        if text:
            return Truncator(text).chars(DESCRIPTION_LENGTH)
    return ""


def _page_path(path, page_obj):
    number = getattr(page_obj, "number", 1)
    return path if number == 1 else f"{path}?page={number}"


def _page_title(title, page_obj):
    number = getattr(page_obj, "number", 1)
    if number == 1:
        return title
    return _("%(title)s, page %(number)s") % {"title": title, "number": number}


def logo():
    """The publisher's logo (settings.SITE_LOGO, a static file) as a schema.org ImageObject."""
    return {
        "@type": "ImageObject",
        "url": absolute(static(settings.SITE_LOGO)),
        "width": settings.SITE_LOGO_SIZE,
        "height": settings.SITE_LOGO_SIZE,
    }


def publisher():
    return {"@type": "Organization", "name": settings.SITE_NAME, "url": absolute("/"), "logo": logo()}


def _default_image():
    return ShareImage(absolute(static(settings.SITE_LOGO)), None, None, settings.SITE_NAME)


def _rendition_image(image, crop, width=SHARE_WIDTH):
    # The original's format: not every app that shows shared links knows WebP.
    rendition = image.rendition(width, crop=crop, formats={"JPEG", "PNG", "GIF"})
    if rendition is None:
        return None
    return ShareImage(absolute(rendition.file.url), rendition.width, rendition.height, image.alt_text)


def share_image(image):
    """The picture for share cards: the card crop at SHARE_WIDTH if it was cut so, else the whole picture."""
    if image is None:
        return _default_image()
    for crop in (CARD_CROP, ""):
        found = _rendition_image(image, crop)
        if found:
            return found
    return ShareImage(absolute(image.file.url), image.width, image.height, image.alt_text)


def _fallback_first(renditions):
    """Widest first; of the same width, the original's format before WebP."""
    return sorted(renditions, key=lambda r: (-r.width, r.format == "WEBP"))


def article_images(image):
    """The hero as schema.org ImageObjects, one per aspect ratio it has renditions for."""
    if image is None:
        return []
    renditions = list(image.renditions.all())
    found = []
    for crop in (*JSON_LD_CROPS, ""):
        of_crop = _fallback_first(r for r in renditions if r.crop == crop)
        if of_crop and (crop or not found):
            best = of_crop[0]
            found.append(
                {
                    "@type": "ImageObject",
                    "url": absolute(best.file.url),
                    "width": best.width,
                    "height": best.height,
                }
            )
    if not found and image.file:
        found.append(
            {
                "@type": "ImageObject",
                "url": absolute(image.file.url),
                "width": image.width,
                "height": image.height,
            }
        )
    return found


def breadcrumbs(*trail):
    """A BreadcrumbList of (name, path) pairs, the home page first."""
    items = [(settings.SITE_NAME, reverse("articles:home")), *trail]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": absolute(path)}
            for number, (name, path) in enumerate(items, start=1)
        ],
    }


def site_feed():
    return Feed(settings.SITE_NAME, reverse("articles:feed"), reverse("articles:feed_atom"))


def _feed(title, kind, slug):
    return Feed(
        f"{settings.SITE_NAME}: {title}",
        reverse(f"articles:{kind}_feed", kwargs={"slug": slug}),
        reverse(f"articles:{kind}_feed_atom", kwargs={"slug": slug}),
    )


def for_home():
    search = absolute(reverse("articles:search"))
    return PageMeta(
        title=settings.SITE_NAME,
        description=_("The latest news from %(site)s.") % {"site": settings.SITE_NAME},
        path=reverse("articles:home"),
        image=_default_image(),
        feeds=[site_feed()],
        structured=[
            {
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": settings.SITE_NAME,
                "url": absolute(reverse("articles:home")),
                "publisher": publisher(),
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
                    "query-input": "required name=search_term_string",
                },
            }
        ],
    )


def for_article(article, preview=False):
    """A story: NewsArticle and BreadcrumbList, and the article:* OpenGraph properties."""
    path = article.get_absolute_url()
    title = article.seo_title or article.title
    description = _description(article.seo_description, article.subtitle, plain_text(article.body))
    authors = [byline.author for byline in article.article_authors.all()]
    tags = [tag.name for tag in article.tags.all()]
    properties = [("article:published_time", iso(article.published_at))] if article.published_at else []
    properties += [
        ("article:modified_time", iso(article.updated_at)),
        ("article:section", article.section.name),
    ]
    properties += [("article:author", absolute(author.get_absolute_url())) for author in authors]
    properties += [("article:tag", tag) for tag in tags]
    news_article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": description,
        "image": article_images(article.hero_image),
        "datePublished": iso(article.published_at),
        "dateModified": iso(article.updated_at),
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute(author.get_absolute_url())}
            for author in authors
        ],
        "publisher": publisher(),
        "mainEntityOfPage": {"@type": "WebPage", "@id": absolute(path)},
        "url": absolute(path),
        "articleSection": article.section.name,
        "keywords": tags,
        "isAccessibleForFree": True,
    }
    if not news_article["image"]:
        del news_article["image"]
    if not article.published_at:
        del news_article["datePublished"]
    section = article.section
    return PageMeta(
        title=title,
        description=description,
        path=path,
        type="article",
        robots=NOINDEX if preview else INDEX,
        image=share_image(article.hero_image),
        feeds=[_feed(section.name, "section", section.slug), site_feed()],
        article=properties,
        structured=[
            news_article,
            breadcrumbs((section.name, section.get_absolute_url()), (article.title, path)),
        ],
    )


def for_section(section, page_obj=None):
    return PageMeta(
        title=_page_title(section.name, page_obj),
        description=_description(
            section.description,
            _("The latest %(section)s stories from %(site)s.")
            % {"section": section.name, "site": settings.SITE_NAME},
        ),
        path=_page_path(section.get_absolute_url(), page_obj),
        image=_default_image(),
        feeds=[_feed(section.name, "section", section.slug), site_feed()],
        structured=[breadcrumbs((section.name, section.get_absolute_url()))],
    )


def for_tag(tag, page_obj=None):
    return PageMeta(
        title=_page_title(tag.name, page_obj),
        description=_description(
            _("Every story about %(tag)s from %(site)s.") % {"tag": tag.name, "site": settings.SITE_NAME}
        ),
        path=_page_path(tag.get_absolute_url(), page_obj),
        image=_default_image(),
        feeds=[_feed(tag.name, "tag", tag.slug), site_feed()],
        structured=[breadcrumbs((tag.name, tag.get_absolute_url()))],
    )


def for_author(author, page_obj=None):
    image = _rendition_image(author.photo, SQUARE_CROP, AUTHOR_SHARE_WIDTH) if author.photo else None
    return PageMeta(
        title=_page_title(author.name, page_obj),
        description=_description(
            author.bio,
            _("Stories by %(name)s, %(site)s.") % {"name": author.name, "site": settings.SITE_NAME},
        ),
        path=_page_path(author.get_absolute_url(), page_obj),
        type="profile",
        image=image or _default_image(),
        feeds=[_feed(author.name, "author", author.slug), site_feed()],
        structured=[breadcrumbs((author.name, author.get_absolute_url()))],
    )


def for_page(page):
    return PageMeta(
        title=page.title,
        description=_description(plain_text(page.body), page.title),
        path=page.get_absolute_url(),
        image=_default_image(),
        feeds=[site_feed()],
    )


def for_search(query=""):
    title = _("Search: %(query)s") % {"query": query} if query else _("Search")
    return PageMeta(
        title=title,
        description=_("Search the stories of %(site)s.") % {"site": settings.SITE_NAME},
        path=reverse("articles:search"),
        robots=NOINDEX,
        feeds=[site_feed()],
    )


def for_newsletter(newsletter=None):
    """The newsletter page; the default newsletter's own address shows the same page as /newsletter/."""
    if newsletter is None or newsletter.is_default:
        path = reverse("newsletter:index")
    else:
        path = newsletter.get_absolute_url()
    return PageMeta(
        title=newsletter.name if newsletter else _("Newsletter"),
        description=_description(
            newsletter.description if newsletter else "",
            _("The newsletter of %(site)s.") % {"site": settings.SITE_NAME},
        ),
        path=path,
        image=_default_image(),
        feeds=[site_feed()],
    )


def for_not_found():
    return PageMeta(title=_("Page not found"), robots=NOINDEX, feeds=[site_feed()])
