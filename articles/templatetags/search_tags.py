from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.search import START, STOP

register = template.Library()


@register.filter
def highlight(snippet):
    """A search snippet, escaped, its matched words in <mark>."""
    return mark_safe(escape(snippet or "").replace(START, "<mark>").replace(STOP, "</mark>"))
