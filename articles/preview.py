"""Preview links: a signed address showing a story not yet public to someone without an account.

The address carries the link's id signed with the site's secret (django.core.signing), so it
cannot be guessed or altered; the PreviewLink row makes it expire (PREVIEW_LINK_HOURS after it was
made) and lets its author or an editor revoke it. An altered, expired or revoked link is a 404.
The page is the story page with noindex, never cached.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .models import Article, PreviewLink
from .views import RELATED_COUNT

SALT = "articles.preview"


def create_link(article, user):
    """A new preview link of `article`, made by `user`: returns (PreviewLink, its path)."""
    link = PreviewLink.objects.create(
        article=article,
        created_by=user,
        expires_at=timezone.now() + timedelta(hours=settings.PREVIEW_LINK_HOURS),
    )
    return link, link_path(link)


def link_path(link):
    return reverse("articles:preview", kwargs={"token": signing.dumps(link.pk, salt=SALT)})


def preview(request, token):
    try:
        link_pk = signing.loads(token, salt=SALT, max_age=timedelta(hours=settings.PREVIEW_LINK_HOURS))
    except signing.BadSignature:
        raise Http404(_("This preview link is not valid.")) from None
    link = PreviewLink.objects.filter(
        pk=link_pk, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    if link is None:
        raise Http404(_("This preview link has expired or was revoked."))
    article = Article.objects.for_detail().get(pk=link.article_id)
    keep_reading, more_in_section = Article.objects.published().reading_lists(article, RELATED_COUNT)
    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "is_preview": True,
            "keep_reading": keep_reading,
            "more_in_section": more_in_section,
        },
    )
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response
