"""An edition as an email: rendered once, then filled in for each subscriber.

render_edition() renders the HTML and plain-text parts from templates once per edition (CSS
inlined with css-inline, so mail clients that drop <style> still show it styled). The only
per-subscriber part, the unsubscribe link, is a placeholder in both parts; message_for() replaces
it by string substitution for each message, which costs no template rendering per subscriber.
"""

import html
import secrets
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formataddr, parseaddr
from urllib.parse import urlsplit

import css_inline
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.template.loader import render_to_string
from django.utils import timezone

from articles.models import Article
from articles.renditions import CARD_CROP, EMAIL_WIDTH

from . import wording
from .emails import absolute_url, unsubscribe_url
from .models import Edition

# Pictures are shown 560 px wide (a 600 px column with its padding); the stored rendition closest
# to EMAIL_WIDTH keeps them sharp on high-density screens. Only the JPEG/PNG/GIF fallback renditions
# are used: Outlook and older Apple Mail show no WebP.
IMAGE_DISPLAY_WIDTH = 560
EMAIL_IMAGE_FORMATS = ("JPEG", "PNG", "GIF")

# A first edition, which has no previous one to start from, offers the stories of the past week.
FIRST_EDITION_LOOKBACK = timedelta(days=7)
# An edition offers at most this many stories, the newest: an email, not an archive.
MAX_STORIES = 30

RENDERED_CACHE_SECONDS = 3600

_inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


@dataclass(frozen=True)
class EmailImage:
    url: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class Story:
    """What the email shows of one story; every URL absolute."""

    title: str
    dek: str
    url: str
    section: str
    authors: list
    published_at: object
    image: EmailImage | None


@dataclass(frozen=True)
class RenderedEdition:
    """An edition's email without its recipient: `placeholder` stands for the unsubscribe URL."""

    edition_id: int
    subject: str
    from_email: str
    list_id: str
    html: str
    text: str
    placeholder: str

    def fill(self, unsubscribe):
        """The HTML and text parts with this unsubscribe URL (HTML-escaped in the HTML part)."""
        return (
            self.html.replace(self.placeholder, html.escape(unsubscribe, quote=True)),
            self.text.replace(self.placeholder, unsubscribe),
        )


def candidate_stories(newsletter, *, until=None):
    """Public stories for the newsletter's next edition, newest first (at most MAX_STORIES).

    Those of its section (all sections for a newsletter without one) published after its last
    edition's cutoff (see cutoff()) and up to `until` (default now), except the ones that edition
    carried; for a first edition, those of the past week.
    """
    until = until or timezone.now()
    stories = Article.objects.published().filter(published_at__lte=until)
    if newsletter.section_id:
        stories = stories.filter(section_id=newsletter.section_id)
    previous = newsletter.editions.filter(started_at__isnull=False).order_by("-started_at").first()
    if previous is None:
        stories = stories.filter(published_at__gt=until - FIRST_EDITION_LOOKBACK)
    else:
        stories = stories.filter(published_at__gt=cutoff(previous)).exclude(
            pk__in=previous.items.values("article_id")
        )
    return stories.order_by("-published_at", "-pk")[:MAX_STORIES]


def cutoff(edition):
    """The publish time up to which an edition offered stories: a digest's slot, else its creation.

    The next edition starts from there, so a story published while an edition was being composed or
    sent is offered next time (unless that edition carried it).
    """
    return edition.scheduled_at if edition.is_digest else edition.created_at


def edition_stories(edition):
    """The edition's stories in their order, skipping any that is no longer public."""
    article_ids = list(edition.items.order_by("position", "pk").values_list("article_id", flat=True))
    articles = Article.objects.published().for_cards().in_bulk(article_ids)
    return [_story(articles[pk]) for pk in article_ids if pk in articles]


def _story(article):
    return Story(
        title=article.title,
        dek=article.subtitle,
        url=absolute_url(article.get_absolute_url()),
        section=article.section.name,
        authors=[byline.author.name for byline in article.article_authors.all()],
        published_at=article.published_at,
        image=_email_image(article.hero_image),
    )


def _email_image(image):
    if image is None:
        return None
    rendition = image.rendition(EMAIL_WIDTH, crop=CARD_CROP, formats=EMAIL_IMAGE_FORMATS)
    if rendition is None:
        return None
    url = rendition.file.url
    if not urlsplit(url).scheme:
        url = absolute_url(url)
    height = round(IMAGE_DISPLAY_WIDTH * rendition.height / rendition.width)
    return EmailImage(url=url, width=IMAGE_DISPLAY_WIDTH, height=height, alt=image.alt_text)


def _site_host():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def list_id(newsletter):
    """RFC 2919: the newsletter's name and a stable identifier under the site's host."""
    return formataddr((newsletter.name, f"{newsletter.slug}.{_site_host()}"))


def render_edition(edition):
    """Render the edition's email once; cached for an edition already going out (it cannot change)."""
    frozen = edition.status in (Edition.Status.SENDING, Edition.Status.SENT)
    key = f"newsletter:edition:{edition.pk}:rendered"
    if frozen and (rendered := cache.get(key)) is not None:
        return rendered
    newsletter = edition.newsletter
    placeholder = f"unsubscribe{secrets.token_hex(12)}"
    context = {
        "edition": edition,
        "newsletter": newsletter,
        "subject": edition.subject,
        "intro": edition.intro,
        "stories": edition_stories(edition),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": placeholder,
        "unsubscribe_label": wording.UNSUBSCRIBE,
        "why": wording.EDITION_WHY % {"name": newsletter.name},
    }
    rendered = RenderedEdition(
        edition_id=edition.pk,
        subject=edition.subject,
        from_email=formataddr((newsletter.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1])),
        list_id=list_id(newsletter),
        html=_inliner.inline(render_to_string("newsletter/email/edition.html", context)),
        text=render_to_string("newsletter/email/edition.txt", context),
        placeholder=placeholder,
    )
    if frozen:
        cache.set(key, rendered, RENDERED_CACHE_SECONDS)
    return rendered


def message_for(rendered, subscriber, delivery=None):
    """The email of one subscriber: their unsubscribe link, RFC 2369/8058/2919 headers, a Message-ID.

    A delivery that already has a Message-ID (a retry) keeps it, so receivers can tell the copies apart
    from new mail; otherwise every message gets a new one.
    """
    unsubscribe = unsubscribe_url(subscriber)
    html_part, text_part = rendered.fill(unsubscribe)
    if delivery is not None and delivery.message_id:
        message_id = delivery.message_id
    else:
        idstring = f"e{rendered.edition_id}" + (f".d{delivery.pk}" if delivery is not None else "")
        message_id = make_msgid(idstring=idstring, domain=_site_host())
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=text_part,
        from_email=rendered.from_email,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": rendered.list_id,
            "Message-ID": message_id,
        },
    )
    message.attach_alternative(html_part, "text/html")
    return message
