"""The site's URLs plus uploaded files, so pictures show in the browser whatever DEBUG says."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from newsroom.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    re_path(
        rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}
    ),
    *site_urlpatterns,
]
