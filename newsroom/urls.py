from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from articles import site_files
from articles.cache import immutable, public_page
from articles.uploads import editor_upload
from newsroom.health import healthz, readyz

urlpatterns = [
    # For load balancers: liveness and readiness (newsroom/health.py).
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # The editor's image button: our own staff-only view, with the admin's upload checks.
    path("ckeditor5/image-upload/", editor_upload, name="editor_image_upload"),
    path("newsletter/", include("newsletter.urls")),
    path("sitemap.xml", public_page(site_files.sitemap_index), name="sitemap_index"),
    path("sitemap-<slug:section>.xml", public_page(site_files.sitemap), name="sitemap"),
    path("robots.txt", public_page(site_files.robots_txt), name="robots_txt"),
    path("favicon.ico", public_page(site_files.favicon), name="favicon"),
    path("manifest.webmanifest", public_page(site_files.web_manifest), name="web_manifest"),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    # Upload and rendition names are never reused, so browsers and CDNs may keep them for a year.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.insert(
        0, re_path(rf"^{media_prefix}(?P<path>.*)$", immutable(serve), {"document_root": settings.MEDIA_ROOT})
    )
