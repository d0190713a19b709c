"""Sitemaps (Django's framework) listed by one index at /sitemap.xml: stories with their hero
picture, sections, tags, authors, the standing pages, and a Google News sitemap of the last
48 hours. Only public stories, through published(), as everywhere else.

Locations are built from SITE_URL, never from the request's host. Every file reads a bounded
number of rows whatever the archive's size: stories are split by id range, so a file holds at
most STORIES_PER_FILE stories and reads them by primary key, without an OFFSET past the others.
"""

from datetime import timedelta
from math import ceil
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from .models import Article, Author, Page, Section, Tag

STORIES_PER_FILE = 50_000  # the sitemaps protocol's limit of URLs per file
NEWS_WINDOW = timedelta(hours=48)  # Google News reads only stories this recent
NEWS_LIMIT = 1_000  # Google News reads at most this many per sitemap


class SiteSitemap(Sitemap):
    """Locations on SITE_URL, whatever host the request came by."""

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class _IdRange:
    def __init__(self, object_list):
        self.object_list = object_list


class IdRangePaginator:
    """Page n holds the stories with ids in ((n - 1) × per_page, n × per_page]: never more than
    per_page, each read through the primary key. Ids of deleted or hidden stories leave a file
    shorter, never longer."""

    def __init__(self, queryset, per_page):
        self.queryset, self.per_page = queryset, per_page

    @cached_property
    def num_pages(self):
        highest = self.queryset.aggregate(highest=Max("pk"))["highest"] or 0
        return max(1, ceil(highest / self.per_page))

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(number) from exc
        if not 1 <= number <= self.num_pages:
            raise EmptyPage(number)
        first, last = (number - 1) * self.per_page, number * self.per_page
        return _IdRange(self.queryset.filter(pk__gt=first, pk__lte=last).order_by("pk"))


class StorySitemap(SiteSitemap):
    limit = STORIES_PER_FILE

    def items(self):
        return (
            Article.objects.published()
            .select_related("section", "hero_image")
            .only("slug", "updated_at", "section__slug", "hero_image__file")
        )

    @property
    def paginator(self):
        return IdRangePaginator(self.items(), self.limit)

    def lastmod(self, item):
        return item.updated_at


class NewsSitemap(SiteSitemap):
    """Stories published in the last 48 hours, newest first, for Google News."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .select_related("section", "hero_image")
            .only("title", "slug", "published_at", "updated_at", "section__slug", "hero_image__file")
            .newest_first()[: self.limit]
        )

    def lastmod(self, item):
        return item.updated_at


class SectionSitemap(SiteSitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.all()


class TagSitemap(SiteSitemap):
    def items(self):
        return Tag.objects.order_by("pk")


class AuthorSitemap(SiteSitemap):
    def items(self):
        return Author.objects.order_by("pk")


class PageSitemap(SiteSitemap):
    """The home page, the newsletter page and the standing pages."""

    def items(self):
        return ["articles:home", "newsletter:index", *Page.objects.order_by("pk")]

    def location(self, item):
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()

    def lastmod(self, item):
        return None if isinstance(item, str) else item.updated_at


sitemaps = {
    "stories": StorySitemap,
    "news": NewsSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "pages": PageSitemap,
}
