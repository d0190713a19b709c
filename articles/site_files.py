"""The files crawlers and browsers ask every site for: /sitemap.xml (an index of the sitemaps in
articles/sitemaps.py), /robots.txt, /favicon.ico and /manifest.webmanifest."""

import json

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse

from .seo import absolute
from .sitemaps import sitemaps

SITEMAP_TEMPLATES = {"news": "sitemaps/news.xml"}


def sitemap_index(request):
    """Django's sitemap index, with locations on SITE_URL and without reading every item for a
    lastmod: a page count per sitemap, one query each."""
    locations = []
    for section, sitemap_class in sitemaps.items():
        location = absolute(reverse("sitemap", kwargs={"section": section}))
        pages = sitemap_class().paginator.num_pages
        locations.append(location)
        locations += [f"{location}?p={page}" for page in range(2, pages + 1)]
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": [sitemap_views.SitemapIndexItem(location, None) for location in locations]},
        content_type="application/xml",
    )


def sitemap(request, section):
    if section not in sitemaps:
        raise Http404
    return sitemap_views.sitemap(
        request,
        sitemaps,
        section=section,
        template_name=SITEMAP_TEMPLATES.get(section, "sitemaps/sitemap.xml"),
    )


def robots_txt(request):
    """settings.ROBOTS_TXT, then where the sitemap index is."""
    lines = settings.ROBOTS_TXT.replace("\\n", "\n").strip()
    sitemap_url = absolute(reverse("sitemap_index"))
    return HttpResponse(f"{lines}\n\nSitemap: {sitemap_url}\n", content_type="text/plain; charset=utf-8")


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: the static icon, at that address."""
    with open(finders.find("icons/favicon.ico"), "rb") as icon:
        return HttpResponse(icon.read(), content_type="image/x-icon")


def web_manifest(request):
    manifest = {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME,
        "start_url": "/",
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": "#1a1a1a",
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return HttpResponse(json.dumps(manifest, indent=2), content_type="application/manifest+json")
