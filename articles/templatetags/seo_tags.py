"""{% page_meta kind object %}: a page's <title>, meta, share and feed links and JSON-LD, from
articles/seo.py, printed by includes/meta.html."""

from django import template

from articles import seo

register = template.Library()

BUILDERS = {
    "home": seo.for_home,
    "story": seo.for_article,
    "section": seo.for_section,
    "tag": seo.for_tag,
    "author": seo.for_author,
    "page": seo.for_page,
    "search": seo.for_search,
    "newsletter": seo.for_newsletter,
    "not_found": seo.for_not_found,
}


@register.inclusion_tag("includes/meta.html")
def page_meta(kind, *args, **kwargs):
    return {"meta": BUILDERS[kind](*args, **kwargs)}


@register.filter
def w3c_datetime(moment):
    """A time as sitemaps and news sitemaps want it: ISO 8601 in whole seconds, with its offset."""
    return seo.iso(moment)
