from django import template
from django.conf import settings

register = template.Library()


@register.filter
def absolute_url(path):
    """SITE_URL + path, for canonical links and share tags; full URLs (a media CDN) pass through."""
    path = str(path or "")
    if not path or path.startswith(("http://", "https://", "//")):
        return path
    return settings.SITE_URL + path
