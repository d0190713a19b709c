from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Article

FEED_LENGTH = 20


class LatestStoriesFeed(Feed):
    """RSS of the latest public stories: the same published() as every page of the site."""

    description = _("The latest stories.")

    def title(self):
        return settings.SITE_NAME

    def link(self):
        return reverse("articles:home")

    def items(self):
        return Article.objects.published().for_cards()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.subtitle

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return ", ".join(byline.author.name for byline in item.article_authors.all())

    def item_categories(self, item):
        return [item.section.name]
