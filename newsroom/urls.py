from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.static import serve

from articles.cache import immutable, public_page
from articles.sitemaps import sitemaps
from articles.uploads import editor_upload

urlpatterns = [
    path("admin/", admin.site.urls),
    # The editor's image button: our own staff-only view, with the admin's upload checks.
    path("ckeditor5/image-upload/", editor_upload, name="editor_image_upload"),
    path("newsletter/", include("newsletter.urls")),
    path(
        "sitemap.xml",
        public_page(sitemap),
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    # Upload and rendition names are never reused, so browsers and CDNs may keep them for a year.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.insert(
        0, re_path(rf"^{media_prefix}(?P<path>.*)$", immutable(serve), {"document_root": settings.MEDIA_ROOT})
    )
