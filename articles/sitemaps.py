from django.contrib.sitemaps import Sitemap

from .models import Article, Page, Section


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return Article.objects.published().select_related("section")

    def lastmod(self, item):
        return item.updated_at


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.all()


class PageSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Page.objects.all()

    def lastmod(self, item):
        return item.updated_at


sitemaps = {"stories": ArticleSitemap, "sections": SectionSitemap, "pages": PageSitemap}
