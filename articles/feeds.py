"""RSS 2.0 and Atom feeds of the latest public stories: the whole site, and each section, tag and
author. Each item carries the full sanitized body (content:encoded in RSS, <content> in Atom)
unless settings.FEED_FULL_TEXT is off, and the hero picture as an enclosure and media:content.

Every URL in a feed is built from SITE_URL, never from the request's host, so a feed is the same
bytes for everyone (the page cache keeps it).
"""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _

from .models import Article, Author, Section, Tag
from .renditions import CARD_CROP, SHARE_WIDTH
from .sanitize import for_readers
from .seo import absolute

FEED_LENGTH = 20
MEDIA_NS = "http://search.yahoo.com/mrss/"
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
# Stored bodies always double-quote their attributes (articles/sanitize.py).
RELATIVE_URL_RE = re.compile(r'(\s(?:href|src)=")/(?!/)')


def absolute_urls(body):
    """The body as readers get it, its site-relative links and pictures made absolute for feed readers."""
    return RELATIVE_URL_RE.sub(lambda match: f"{match.group(1)}{settings.SITE_URL}/", for_readers(body))


def _media_content(handler, item):
    media = item.get("media")
    if media:
        handler.addQuickElement("media:content", "", media)


class StoriesRss(Rss201rev2Feed):
    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:media": MEDIA_NS,
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])
        _media_content(handler, item)


class StoriesAtom(Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})
        _media_content(handler, item)


class LatestStoriesFeed(Feed):
    """The site's latest public stories: the same published() as every page of the site."""

    feed_type = StoriesRss
    url_name = "articles:feed"

    def title(self, obj=None):
        return settings.SITE_NAME

    def description(self, obj=None):
        return _("The latest stories from %(site)s.") % {"site": settings.SITE_NAME}

    subtitle = description

    def author_name(self, obj=None):
        return settings.SITE_NAME

    def link(self, obj=None):
        return absolute(reverse("articles:home"))

    def feed_url(self, obj=None):
        return absolute(reverse(self.url_name, kwargs=self.url_kwargs(obj)))

    def url_kwargs(self, obj):
        return {}

    def stories(self):
        return Article.objects.published().for_cards()

    def items(self, obj=None):
        return self.stories().newest_first()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_description(self, item):
        description = item.subtitle or item.seo_description or item.title
        # The latest correction or update note goes with the story wherever its entry is read.
        if item.notes:
            return f"{description} ({item.notes[0]['label']}: {item.notes[0]['text']})"
        return description

    def item_extra_kwargs(self, item):
        notes = render_to_string("includes/story_notes.html", {"article": item})  # corrections, newest first
        extra = {
            "content": absolute_urls(item.body) + notes if settings.FEED_FULL_TEXT and item.body else None
        }
        image = item.hero_image
        if image:
            rendition = image.rendition(SHARE_WIDTH, crop=CARD_CROP, formats=set(MIME_TYPES) - {"WEBP"})
            shown = rendition or image
            extra["media"] = {
                "url": absolute(shown.file.url),
                "medium": "image",
                "type": MIME_TYPES.get(shown.format, "image/jpeg"),
                "width": str(shown.width or ""),
                "height": str(shown.height or ""),
            }
        return extra

    def item_enclosures(self, item):
        """The hero as stored (metadata removed at upload), whose size in bytes the row knows."""
        image = item.hero_image
        if not image or not image.file:
            return []
        return [
            Enclosure(
                absolute(image.file.url),
                str(image.file_size or 0),
                MIME_TYPES.get(image.format, "image/jpeg"),
            )
        ]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return ", ".join(byline.author.name for byline in item.article_authors.all()) or settings.SITE_NAME

    def item_categories(self, item):
        return [item.section.name]


class LatestStoriesAtom(LatestStoriesFeed):
    feed_type = StoriesAtom
    url_name = "articles:feed_atom"


class SectionFeed(LatestStoriesFeed):
    url_name = "articles:section_feed"

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def url_kwargs(self, obj):
        return {"slug": obj.slug}

    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.name}"

    def description(self, obj):
        return _("The latest %(section)s stories from %(site)s.") % {
            "section": obj.name,
            "site": settings.SITE_NAME,
        }

    subtitle = description

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def items(self, obj):
        return self.stories().in_section(obj)[:FEED_LENGTH]


class SectionAtom(SectionFeed):
    feed_type = StoriesAtom
    url_name = "articles:section_feed_atom"


class TagFeed(SectionFeed):
    url_name = "articles:tag_feed"

    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def description(self, obj):
        return _("The latest stories about %(tag)s from %(site)s.") % {
            "tag": obj.name,
            "site": settings.SITE_NAME,
        }

    subtitle = description

    def items(self, obj):
        return self.stories().tagged(obj)[:FEED_LENGTH]


class TagAtom(TagFeed):
    feed_type = StoriesAtom
    url_name = "articles:tag_feed_atom"


class AuthorFeed(SectionFeed):
    url_name = "articles:author_feed"

    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def description(self, obj):
        return _("The latest stories by %(name)s, %(site)s.") % {"name": obj.name, "site": settings.SITE_NAME}

    subtitle = description

    def items(self, obj):
        return self.stories().by_author(obj)[:FEED_LENGTH]


class AuthorAtom(AuthorFeed):
    feed_type = StoriesAtom
    url_name = "articles:author_feed_atom"
