"""An edition as an email: both parts, absolute links and pictures, inlined CSS, headers, unsubscribe."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client

from newsletter.editions import message_for, render_edition
from newsletter.models import Subscriber
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    EditionFactory,
    ImageFactory,
    NewsletterFactory,
    SubscriberFactory,
    uploaded_image,
)

pytestmark = pytest.mark.django_db

SITE = "https://news.example.com"


class _Parts(HTMLParser):
    """The links, pictures, styled elements and blocks of an HTML part, as a mail client reads them."""

    def __init__(self, html):
        super().__init__()
        self.links, self.images, self.styled, self.tags = [], [], [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "a":
            self.links.append(attrs.get("href"))
        if tag == "img":
            self.images.append(attrs)
        if attrs.get("style"):
            self.styled.append((tag, attrs.get("class", ""), attrs["style"]))


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "news@example.com"


@pytest.fixture
def edition():
    newsletter = NewsletterFactory(name="The Morning Brief", slug="morning")
    picture = ImageFactory(file=uploaded_image("hero.jpg", width=1000, height=600, fmt="JPEG"))
    first = ArticleFactory(
        title="Harbour bridge reopens",
        subtitle="Traffic returns after two years of works.",
        hero_image=picture,
        authors=[AuthorFactory(name="Ada Byline"), AuthorFactory(name="Ben Second")],
    )
    second = ArticleFactory(title="Rain & wind <tonight>", subtitle="")
    return EditionFactory(
        newsletter=newsletter,
        subject="Bridge reopens, and the weather",
        intro="Good morning.\n\nTwo stories today.",
        articles=[first, second],
    )


def test_both_parts_carry_every_story_in_order(edition):
    rendered = render_edition(edition)
    message = message_for(rendered, SubscriberFactory(newsletter=edition.newsletter))

    html = message.alternatives[0].content
    assert message.alternatives[0].mimetype == "text/html"
    for part in (message.body, html):
        assert part.index("Harbour bridge reopens") < part.index("Rain &")
        assert "Traffic returns after two years of works." in part
        assert "Ada Byline and Ben Second" in part
        assert "Two stories today." in part
    assert "Rain & wind <tonight>" in message.body  # plain text is not HTML-escaped
    assert "Rain &amp; wind &lt;tonight&gt;" in html
    assert message.subject == "Bridge reopens, and the weather"
    assert message.from_email == "The Morning Brief <news@example.com>"


def test_links_and_pictures_are_absolute_and_the_picture_is_a_stored_rendition(edition):
    story = edition.items.first().article
    message = message_for(render_edition(edition), SubscriberFactory(newsletter=edition.newsletter))
    parts = _Parts(message.alternatives[0].content)

    story_url = f"{SITE}{story.get_absolute_url()}"
    assert story_url in parts.links
    assert story_url in message.body
    assert all(link.startswith(f"{SITE}/") for link in parts.links), parts.links

    [image] = parts.images
    assert image["src"].startswith(f"{SITE}{django_settings.MEDIA_URL}")
    assert image["alt"] == story.hero_image.alt_text
    rendition = story.hero_image.renditions.get(
        file=image["src"].removeprefix(f"{SITE}{django_settings.MEDIA_URL}")
    )
    assert (rendition.crop, rendition.width, rendition.format) == ("16:9", 800, "JPEG")
    assert Path(django_settings.MEDIA_ROOT, rendition.file.name).is_file()
    assert image["width"] == "560" and image["height"] == str(round(560 * rendition.height / 800))


def test_css_is_inlined_and_nothing_is_loaded_from_elsewhere(edition):
    html = (
        message_for(render_edition(edition), SubscriberFactory(newsletter=edition.newsletter))
        .alternatives[0]
        .content
    )
    parts = _Parts(html)

    headline_styles = [style for tag, _cls, style in parts.styled if tag == "h2"]
    assert headline_styles and all("Georgia" in style for style in headline_styles)
    body_style = next(style for tag, _cls, style in parts.styled if tag == "body")
    assert "font-family" in body_style
    # What is left of <style> is only the narrow-screen media query, which clients may ignore.
    style_block = html[html.index("<style>") : html.index("</style>")]
    assert style_block.count("{") == style_block.count("@media") + style_block.count("!important")
    assert "script" not in parts.tags and "link" not in parts.tags
    assert "@import" not in html and "@font-face" not in html
    assert "table" in parts.tags


def test_headers_unsubscribe_list_id_and_a_new_message_id_per_message(edition):
    subscriber = SubscriberFactory(newsletter=edition.newsletter)
    rendered = render_edition(edition)
    first, second = message_for(rendered, subscriber), message_for(rendered, subscriber)

    headers = first.message()
    unsubscribe = headers["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{SITE}/newsletter/unsubscribe/") and unsubscribe.endswith(">")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Id"] == "The Morning Brief <morning.news.example.com>"
    assert headers["To"] == subscriber.email
    assert headers["Message-ID"].endswith("@news.example.com>")
    assert headers["Message-ID"] != second.message()["Message-ID"]


def test_each_subscriber_gets_their_own_working_unsubscribe_link(edition):
    reader, other = (SubscriberFactory(newsletter=edition.newsletter) for _ in range(2))
    rendered = render_edition(edition)
    for subscriber in (reader, other):
        message_for(rendered, subscriber).send()
    mine, theirs = mail.outbox

    my_link = next(link for link in _Parts(mine.alternatives[0].content).links if "/unsubscribe/" in link)
    their_link = next(
        link for link in _Parts(theirs.alternatives[0].content).links if "/unsubscribe/" in link
    )
    assert my_link != their_link
    assert my_link in mine.body and f"<{my_link}>" == mine.extra_headers["List-Unsubscribe"]

    # The reader follows the link in the email, and confirms on the page.
    browser = Client(enforce_csrf_checks=True)
    path = urlsplit(my_link).path
    page = browser.get(path)
    assert page.status_code == 200
    assert Subscriber.objects.get(pk=reader.pk).status == Subscriber.Status.ACTIVE
    browser.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")

    assert Subscriber.objects.get(pk=reader.pk).status == Subscriber.Status.UNSUBSCRIBED
    assert Subscriber.objects.get(pk=other.pk).status == Subscriber.Status.ACTIVE


def test_a_message_per_subscriber_costs_no_query_and_no_rendering(edition, django_assert_num_queries):
    rendered = render_edition(edition)
    subscribers = [SubscriberFactory(newsletter=edition.newsletter) for _ in range(3)]

    with django_assert_num_queries(0):
        messages = [message_for(rendered, subscriber) for subscriber in subscribers]

    bodies = {message.alternatives[0].content for message in messages}
    assert len(bodies) == 3  # each with its own link, from the one rendering
    assert rendered.placeholder not in "".join(bodies)


def test_a_story_unpublished_after_it_was_added_is_left_out(edition):
    second = edition.items.last().article
    second.status = second.Status.DRAFT
    second.save()

    message = message_for(render_edition(edition), SubscriberFactory(newsletter=edition.newsletter))

    assert "Harbour bridge reopens" in message.body
    assert "Rain & wind" not in message.body
