from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from articles.sanitize import for_readers

register = template.Library()


@register.filter
def absolute_url(path):
    """SITE_URL + path, for canonical links and share tags; full URLs (a media CDN) pass through."""
    path = str(path or "")
    if not path or path.startswith(("http://", "https://", "//")):
        return path
    return settings.SITE_URL + path


@register.filter
def reader_html(body):
    """A story's or page's stored (sanitized) body as readers get it (sanitize.for_readers)."""
    return mark_safe(for_readers(body))
