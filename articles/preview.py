"""Preview links: a signed address showing a story not yet public to someone without an account.

The address carries the link's id signed with the site's secret (django.core.signing), so it
cannot be guessed or altered. The signature has no timestamp: the address stays the same each time
the admin shows it, and the PreviewLink row makes it expire (PREVIEW_LINK_HOURS after it was
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
    return reverse("articles:preview", kwargs={"token": signing.Signer(salt=SALT).sign(str(link.pk))})


def preview(request, token):
    try:
        link_pk = int(signing.Signer(salt=SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        raise Http404(_("This preview link is not valid.")) from None
    now = timezone.now()
    link = PreviewLink.objects.filter(
        pk=link_pk,
        revoked_at__isnull=True,
        expires_at__gt=now,
        # A shorter PREVIEW_LINK_HOURS shortens the links already handed out too.
        created_at__gt=now - timedelta(hours=settings.PREVIEW_LINK_HOURS),
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
