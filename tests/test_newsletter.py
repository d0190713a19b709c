"""The newsletter box: messages, duplicates, validation, double opt-in, unsubscribe and abuse."""

import json
import logging
import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsletter.models import Newsletter, Subscriber
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    NewsletterFactory,
    SectionFactory,
    SubscriberFactory,
    TagFactory,
)
from tests.worker.smtp import free_port

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent

REQUIRED = "You must complete your e-mail"
INVALID = "You must complete a correct email"
ALREADY = "You are already subscribed to our newsletter."
SUCCESS = "You will soon receive news in your email."
RETRY = "Your signup was not saved. Please send the form again."
FORBIDDEN = "This form can only be sent from a page of this site."
JSON = {"HTTP_ACCEPT": "application/json"}
# What a browser sends with a form posted from one of the site's own pages.
BROWSER = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}


class _FormParser(HTMLParser):
    """Reads the newsletter box like a browser would: its form's action and fields."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.fields = {}
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "data-newsletter-form" in attrs:
            self._in_form = True
            self.action = attrs["action"]
        elif tag == "input" and self._in_form and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False


def read_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return read_form_in(response)


def read_form_in(response):
    parser = _FormParser()
    parser.feed(response.content.decode())
    assert parser.action, "no newsletter form on the page"
    return parser.action, parser.fields


def sign_up(client, email, page="/newsletter/", json=False, remote_addr="127.0.0.1", **extra_fields):
    """Fill in the box on `page` and send it, as a reader would."""
    action, fields = read_form(client, page)
    fields.update(email=email, **extra_fields)
    return client.post(action, fields, REMOTE_ADDR=remote_addr, **BROWSER, **(JSON if json else {}))


def box_text(response):
    """The text of the newsletter box on a page (tags removed, spaces collapsed)."""
    html = response.content.decode()
    box = re.search(r'<section id="newsletter".*?</section>', html, re.S)
    assert box, "no newsletter box on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", box.group(0)).split())


def link_in(message, name):
    match = re.search(rf"https?://\S+/newsletter/{name}/[^/\s]+/", message.body)
    assert match, f"no {name} link in the email"
    return urlsplit(match.group(0)).path


@pytest.fixture(autouse=True)
def _fast_form(settings):
    settings.NEWSLETTER_MIN_SUBMIT_SECONDS = 0
    settings.NEWSLETTER_DOUBLE_OPT_IN = True


@pytest.fixture
def daily(db):
    """The default newsletter that the data migration gives every site."""
    return Newsletter.objects.get(is_default=True)


@pytest.fixture
def send_mail_now(django_capture_on_commit_callbacks):
    """The test runs in a transaction that never commits: run the on-commit mail at once."""

    def run(callable_, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return callable_(*args, **kwargs)

    return run


# --- The box on the pages ---


def test_story_page_shows_the_box_with_default_newsletter_and_terms_link(client, daily):
    story = ArticleFactory()

    response = client.get(story.get_absolute_url())

    text = box_text(response)
    assert "Get all the news in your email" in text
    assert daily.description in text
    assert "Subscribing implies accepting our Terms and Conditions" in text
    terms = reverse("articles:page", kwargs={"slug": "terms"})
    assert re.search(rf'<a href="{terms}">Terms and Conditions</a>', response.content.decode())
    html = response.content.decode()
    assert 'aria-live="polite"' in html and 'role="status"' in html
    assert "js/newsletter.js" in html


def test_story_page_shows_its_sections_newsletter(client, daily):
    section = SectionFactory(name="Celebrity", slug="celebrity")
    own = NewsletterFactory(section=section, description="Gossip, every Friday.")
    NewsletterFactory(section=section, active=False, description="An old one, switched off.")

    text = box_text(client.get(ArticleFactory(section=section).get_absolute_url()))
    other_text = box_text(client.get(ArticleFactory().get_absolute_url()))

    assert own.description in text and daily.description not in text
    assert daily.description in other_text and own.description not in other_text


def test_newsletter_page_shows_the_same_box(client, daily):
    response = client.get("/newsletter/")
    assert response.status_code == 200
    assert daily.description in box_text(response)
    assert "<title>" in response.content.decode()  # a whole page, from base.html


def test_each_newsletter_has_a_page_of_its_own(client, daily):
    weekly = NewsletterFactory(name="The Weekly", description="Seven days in one email.")

    response = client.get(weekly.get_absolute_url())

    assert weekly.description in box_text(response)
    assert f'action="/newsletter/{weekly.slug}/subscribe/"' in response.content.decode()
    assert daily.name in response.content.decode()  # listed among the others
    assert client.get("/newsletter/no-such-letter/").status_code == 404


def test_the_consent_shown_on_the_story_page_is_the_one_recorded(client, daily):
    page = client.get(ArticleFactory().get_absolute_url())
    consent = re.search(r'<p class="newsletter-consent">(.*?)</p>', page.content.decode(), re.S)
    assert consent, "no consent line under the form"
    shown = " ".join(re.sub(r"<[^>]+>", " ", consent.group(1)).split())
    terms = reverse("articles:page", kwargs={"slug": "terms"})
    assert f'<a href="{terms}">' in consent.group(1)
    action, fields = read_form_in(page)

    client.post(action, {**fields, "email": "reader@example.com"}, **BROWSER, **JSON)

    assert Subscriber.objects.get().consent_text == shown


# The README's configuration table: `NAME` | `number`, on or off (a remark without backticks).
README_DEFAULT = re.compile(r"^\| `(NEWSLETTER_\w+)` \| (?:`([\d.]+)`|(on|off))(?: \([^`|]*\))? \|", re.M)
SHOW_NEWSLETTER_SETTINGS = (
    "import json; from django.conf import settings; "
    "print(json.dumps({k: getattr(settings, k) for k in dir(settings) if k.startswith('NEWSLETTER_')}))"
)


def test_the_readme_gives_the_defaults_an_operator_gets():
    """An operator who sets nothing gets the newsletter settings the README's table promises."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = {
        name: (number if number else value == "on") for name, number, value in README_DEFAULT.findall(readme)
    }
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DJANGO_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SHOW_NEWSLETTER_SETTINGS],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    shipped = json.loads(result.stdout.strip().splitlines()[-1])

    assert len(documented) >= 8, "the README's table no longer reads as expected"
    for name, default in documented.items():
        actual = shipped[name]
        expected = default if isinstance(default, bool) else type(actual)(default)
        assert actual == expected, f"README says {name} defaults to {default}, the site ships {actual}"


def test_picking_the_newsletter_costs_the_same_however_many_exist(client, daily, settings):
    settings.PAGE_CACHE_SECONDS = 0  # count the queries of rendering the page, not of the page cache
    story = ArticleFactory()
    client.get(story.get_absolute_url())  # warm up

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(story.get_absolute_url()).status_code == 200
        return len(captured)

    before = queries()
    for _ in range(5):
        SubscriberFactory(newsletter=NewsletterFactory(section=SectionFactory()))
    assert queries() == before


# --- Reader pages are the same bytes for every reader: no cookie, no Vary: Cookie ---


def test_anonymous_reader_pages_set_no_cookie_and_do_not_vary_on_it(client, daily):
    tag, author = TagFactory(), AuthorFactory()
    story = ArticleFactory(tags=[tag], authors=[author], title="Harbour festival opens")
    pages = [
        "/",
        story.section.get_absolute_url(),
        story.get_absolute_url(),
        tag.get_absolute_url(),
        author.get_absolute_url(),
        "/search/?q=festival",
        "/pages/terms/",
        "/newsletter/",
        daily.get_absolute_url(),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, (url, response.cookies)
        assert "cookie" not in response.get("Vary", "").lower(), (url, response["Vary"])
        assert "csrfmiddlewaretoken" not in response.content.decode(), url
        assert "public" in response["Cache-Control"], url
    # A signup's answer is shown once: after it the story is the same page again.
    before = box_text(client.get(story.get_absolute_url()))
    land(client, sign_up(client, "nope", page=story.get_absolute_url()), story.get_absolute_url())
    after = client.get(story.get_absolute_url())
    assert not after.cookies and box_text(after) == before


def test_the_newsletter_page_comes_from_the_page_cache_until_the_newsletter_changes(
    client, daily, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 300
    client.get("/newsletter/")
    with django_assert_num_queries(0):
        assert daily.description in box_text(client.get("/newsletter/"))

    daily.description = "Fresh every morning."
    daily.save()

    assert "Fresh every morning." in box_text(client.get("/newsletter/"))


# --- Posting from another site ---


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example", "HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "https://testserver"},  # same host, other scheme: another origin
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_REFERER": "https://evil.example/page.html"},
    ],
    ids=["origin", "null-origin", "scheme", "fetch-site", "sibling-site", "referer"],
)
def test_a_cross_site_post_is_refused(client, daily, headers):
    action, fields = read_form(client, "/newsletter/")
    fields["email"] = "victim@example.com"

    as_json = client.post(action, fields, **headers, **JSON)
    as_page = client.post(action, fields, **headers)

    assert as_json.status_code == 403
    assert as_json.json() == {"message": FORBIDDEN, "status": "forbidden"}
    assert as_page.status_code == 403
    assert FORBIDDEN in as_page.content.decode() and "<h1>Signup refused</h1>" in as_page.content.decode()
    assert not Subscriber.objects.exists()


def test_a_cross_site_post_does_not_count_against_the_reader(client, daily, settings):
    settings.NEWSLETTER_RATE_LIMIT = 1
    action, fields = read_form(client, "/newsletter/")
    for _ in range(3):
        client.post(action, {**fields, "email": "x@example.com"}, HTTP_ORIGIN="https://evil.example")
    assert sign_up(client, "reader@example.com", json=True).status_code == 201


@pytest.mark.parametrize(
    "headers",
    [
        BROWSER,
        {"HTTP_ORIGIN": "http://testserver"},
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_REFERER": "http://testserver/some-story/"},
        {},  # no browser at all (curl): it could send this from anywhere, nothing to protect
    ],
    ids=["browser", "origin", "fetch-site", "referer", "no-headers"],
)
def test_a_post_from_our_own_pages_is_taken(daily, headers):
    browser = Client(enforce_csrf_checks=True)  # Django's CSRF check on: no cookie is needed
    action, fields = read_form(browser, "/newsletter/")
    response = browser.post(action, {**fields, "email": "reader@example.com"}, **headers, **JSON)
    assert response.status_code == 201


def test_a_trusted_origin_may_post(client, daily, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.example.com"]
    action, fields = read_form(client, "/newsletter/")
    response = client.post(
        action,
        {**fields, "email": "reader@example.com"},
        HTTP_ORIGIN="https://www.example.com",
        HTTP_SEC_FETCH_SITE="same-site",
        **JSON,
    )
    assert response.status_code == 201


# --- The four messages, without JavaScript: POST, redirect back, the message at the form ---


def assert_private(response):
    """For one reader only: no cache may store it, and it does not vary on a cookie."""
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")


def land(client, response, page):
    """Follow the answer to a post back to `page`, as a browser does, and check that page's answer.

    It shows the reader's message once: it is private and deletes the message cookie, which the
    browser then forgets (Django's test client keeps deleted cookies, so it is dropped here).
    """
    assert response.status_code == 303
    assert response["Location"] == f"{page}#newsletter"
    assert_private(response)
    assert "messages" in response.cookies  # the one-time message, no session
    assert "sessionid" not in response.cookies

    landed = client.get(page)

    assert landed.status_code == 200
    assert_private(landed)
    deleted = landed.cookies["messages"]
    assert deleted.value == "" and deleted["max-age"] == 0
    del client.cookies["messages"]
    return landed


def assert_shared_page(client, page, message):
    """The next request gets the page every reader gets: no cookie, no message, cacheable."""
    again = client.get(page)
    assert not again.cookies
    assert "cookie" not in again.get("Vary", "").lower()
    assert "public" in again["Cache-Control"]
    assert message not in box_text(again)
    assert 'aria-invalid="true"' not in again.content.decode()
    assert read_form_in(again)[1]["email"] == ""


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", REQUIRED), ("   ", REQUIRED), ("not-an-email", INVALID), ("reader@@example.com", INVALID)],
)
def test_an_error_sends_the_reader_back_to_the_form_with_the_message_and_the_address(
    client, daily, typed, message
):
    story = ArticleFactory()

    landed = land(client, sign_up(client, typed, page=story.get_absolute_url()), story.get_absolute_url())

    assert message in box_text(landed)
    html = landed.content.decode()
    assert 'class="newsletter-message is-invalid"' in html
    assert f'value="{typed}"' in html
    assert 'aria-invalid="true"' in html
    assert not Subscriber.objects.exists()
    # The form there can be sent again, and still records the story as the source.
    action, fields = read_form_in(landed)
    assert action == f"/newsletter/{daily.slug}/subscribe/"
    assert fields["next"] == story.get_absolute_url()
    assert_shared_page(client, story.get_absolute_url(), message)


def test_the_form_on_the_page_sent_back_to_signs_up(client, daily, send_mail_now):
    story = ArticleFactory()
    first = land(client, sign_up(client, "nope", page=story.get_absolute_url()), story.get_absolute_url())
    action, fields = read_form_in(first)

    response = send_mail_now(client.post, action, {**fields, "email": "reader@example.com"}, **BROWSER)

    assert SUCCESS in box_text(land(client, response, story.get_absolute_url()))
    assert Subscriber.objects.get().source_url == story.get_absolute_url()


def test_the_kept_address_is_escaped(client, daily):
    html = land(client, sign_up(client, '"><script>alert(1)</script>'), "/newsletter/").content.decode()
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "<script>alert(1)" not in html


def test_a_long_address_in_any_script_comes_back_whole(client, daily):
    """The message cookie holds the longest possible address, in letters that take the most room."""
    typed = "記者" * 127  # 254 letters, each escaped to six characters in the cookie
    landed = land(client, sign_up(client, typed), "/newsletter/")
    assert INVALID in box_text(landed)
    assert read_form_in(landed)[1]["email"] == typed


def test_success_sends_the_reader_back_with_the_message(client, daily, send_mail_now):
    story = ArticleFactory()

    response = send_mail_now(sign_up, client, "reader@example.com", page=story.get_absolute_url())
    landed = land(client, response, story.get_absolute_url())

    assert SUCCESS in box_text(landed)
    html = landed.content.decode()
    assert 'class="newsletter-message is-subscribed"' in html
    assert read_form_in(landed)[1]["email"] == ""
    assert 'aria-invalid="true"' not in html
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.com"
    assert subscriber.newsletter == daily
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.source_url == story.get_absolute_url()
    assert subscriber.consent_text == "Subscribing implies accepting our Terms and Conditions"
    assert subscriber.consent_version
    assert len(mail.outbox) == 1
    assert_shared_page(client, story.get_absolute_url(), SUCCESS)


def test_already_subscribed_sends_the_reader_back_with_the_message(client, daily):
    SubscriberFactory(email="reader@example.com", newsletter=daily)

    landed = land(client, sign_up(client, "reader@example.com"), "/newsletter/")

    assert ALREADY in box_text(landed)
    html = landed.content.decode()
    assert 'class="newsletter-message is-already_subscribed"' in html
    assert 'value="reader@example.com"' in html and 'aria-invalid="true"' in html
    assert Subscriber.objects.count() == 1
    assert_shared_page(client, "/newsletter/", ALREADY)


def test_next_pointing_to_another_site_is_ignored(client, daily):
    response = sign_up(client, "", next="https://evil.example/phish")
    landed = land(client, response, "/newsletter/")
    assert REQUIRED in box_text(landed)
    assert "evil.example" not in landed.content.decode()


def test_the_message_is_shown_only_in_its_own_newsletters_box(client, daily):
    weekly = NewsletterFactory(name="The Weekly")
    action, fields = read_form(client, weekly.get_absolute_url())

    # Sent to the weekly box, but "next" names the daily's page: that box is not the one answered.
    response = client.post(action, {**fields, "email": "", "next": "/newsletter/"}, **BROWSER)
    landed = land(client, response, "/newsletter/")

    assert REQUIRED not in box_text(landed)


def test_a_flashed_page_is_never_kept_in_the_page_cache(client, daily, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 300
    story = ArticleFactory()
    page = story.get_absolute_url()
    client.get(page)  # now in the page cache

    landed = land(client, sign_up(client, "nope", page=page), page)

    assert INVALID in box_text(landed)  # rendered for this reader, not the cached page
    with django_assert_num_queries(0):  # the cached page, which the flashed one did not replace
        cached = client.get(page)
    assert INVALID not in box_text(cached) and not cached.cookies
    # And with the cache empty: the flashed page is rendered, never stored for the next reader.
    settings.PAGE_CACHE_SECONDS = 0
    land(client, sign_up(client, "nope", page=page), page)
    settings.PAGE_CACHE_SECONDS = 300
    assert INVALID not in box_text(client.get(page))
    with django_assert_num_queries(0):
        assert INVALID not in box_text(client.get(page))


# --- The same messages as JSON, for the script ---


@pytest.mark.parametrize(
    ("typed", "status_code", "status", "message"),
    [
        ("", 400, "invalid", REQUIRED),
        (" \t ", 400, "invalid", REQUIRED),
        ("nope", 400, "invalid", INVALID),
        ("reader@example.com", 201, "subscribed", SUCCESS),
    ],
)
def test_json_answers(client, daily, typed, status_code, status, message):
    response = sign_up(client, typed, json=True)

    assert response.status_code == status_code
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"message": message, "status": status}
    assert Subscriber.objects.count() == (1 if status_code == 201 else 0)


def test_json_already_subscribed_is_409(client, daily):
    SubscriberFactory(email="reader@example.com", newsletter=daily)

    response = sign_up(client, "reader@example.com", json=True)

    assert response.status_code == 409
    assert response.json() == {"message": ALREADY, "status": "already_subscribed"}


def test_a_browser_accept_header_gets_the_page_not_json(client, daily):
    action, fields = read_form(client, "/newsletter/")
    fields["email"] = "reader@example.com"
    response = client.post(action, fields, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8", **BROWSER)
    assert SUCCESS in box_text(land(client, response, "/newsletter/"))


# --- Duplicates, whatever the case and spaces ---


@pytest.mark.parametrize(
    "again", ["user@example.com", "USER@EXAMPLE.COM", "  user@example.com  ", "User@Example.COM"]
)
def test_case_and_spaces_do_not_make_a_new_subscriber(client, daily, settings, again):
    settings.NEWSLETTER_DOUBLE_OPT_IN = False
    assert sign_up(client, "User@Example.COM ", json=True).status_code == 201

    response = sign_up(client, again, json=True)

    assert response.status_code == 409
    assert response.json()["message"] == ALREADY
    assert Subscriber.objects.get().email == "User@example.com"


def test_database_refuses_a_case_variant_of_an_existing_row(daily):
    SubscriberFactory(email="reader@example.com", newsletter=daily)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.create(email="READER@example.com", newsletter=daily)


def test_one_address_may_join_two_newsletters(client, daily):
    other = NewsletterFactory()
    SubscriberFactory(email="reader@example.com", newsletter=daily)

    action = reverse("newsletter:subscribe", kwargs={"slug": other.slug})
    _, fields = read_form(client, "/newsletter/")
    response = client.post(action, {**fields, "email": "reader@example.com"}, **JSON)

    assert response.status_code == 201
    assert Subscriber.objects.filter(email="reader@example.com").count() == 2


def test_inactive_newsletter_takes_no_signups(client, daily):
    closed = NewsletterFactory(active=False)
    _, fields = read_form(client, "/newsletter/")
    response = client.post(
        reverse("newsletter:subscribe", kwargs={"slug": closed.slug}), {**fields, "email": "a@example.com"}
    )
    assert response.status_code == 404
    assert not Subscriber.objects.exists()


# --- Validation: bad input never reaches the database or a mail header ---

MALFORMED = [
    "plainaddress",
    "@example.com",
    "user@",
    "user@@example.com",
    "user@ex@ample.com",
    "user@localhost",
    "user@example",
    ".user@example.com",
    "user.@example.com",
    "us..er@example.com",
    "user@.example.com",
    "user@example.com.",
    "user@example..com",
    "us er@example.com",
    "user@exa mple.com",
    "user@example.com\n",
    "user@example.com\r\nBcc: victim@example.com",
    "user\n@example.com",
    "user@exam\tple.com",
    "user@exa\x7fmple.com",
    "user\u200b@example.com",
    "user@example.com\u2028",
    '"quoted"@example.com',
    '"john doe"@example.com',
    "user@[127.0.0.1]",
    "user@127.0.0.1",
    "user@-example.com",
    "user@example-.com",
    "user@exa_mple.com",
    "user@example.c",
    "user@example.123",
    "(comment)user@example.com",
    "user<script>@example.com",
    "User Name <user@example.com>",
    "user@xn--zz.com",
    "ü@example.com",
    "a" * 65 + "@example.com",
    "user@" + "a" * 64 + ".com",
    "user@example,com",
    "user;other@example.com",
    "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".com",
]


def test_an_address_may_have_254_characters_not_255(client, daily):
    """RFC 5321's limit on a path: the longest address that fits, and one more letter."""
    longest = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".com"
    too_long = longest.replace(".com", "d.com")

    assert (len(longest), len(too_long)) == (254, 255)
    assert sign_up(client, too_long, json=True).json() == {"message": INVALID, "status": "invalid"}
    assert sign_up(client, longest, json=True).status_code == 201
    assert Subscriber.objects.get().email == longest


@pytest.mark.parametrize("address", MALFORMED)
def test_malformed_addresses_are_refused_and_nothing_is_written(client, daily, address):
    response = sign_up(client, address, json=True)

    assert response.status_code == 400
    assert response.json() == {"message": INVALID, "status": "invalid"}
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_nul_byte_in_an_address_is_refused_before_the_form(client, daily):
    """A NUL byte is refused for every parameter of the site (newsroom/middleware.py): still JSON."""
    response = sign_up(client, "user\x00@example.com", json=True)

    assert response.status_code == 400
    assert response.json()["status"] == "invalid"
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_malformed_address_without_javascript_too(client, daily):
    response = sign_up(client, "user@example.com\r\nBcc: victim@example.com")
    assert INVALID in box_text(land(client, response, "/newsletter/"))
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("user@bücher.de", "user@xn--bcher-kva.de"),
        ("user@BÜCHER.DE", "user@xn--bcher-kva.de"),
        ("Ana.Maria+news@Example.co.uk", "Ana.Maria+news@example.co.uk"),
        ("o'brien@例え.テスト", "o'brien@xn--r8jz45g.xn--zckzah"),
        ("a" * 64 + "@example.com", "a" * 64 + "@example.com"),
    ],
)
def test_valid_addresses_are_stored_normalized(client, daily, typed, stored):
    assert sign_up(client, typed, json=True).status_code == 201
    assert Subscriber.objects.get().email == stored


def test_idna_and_unicode_forms_of_a_domain_are_one_address(client, daily):
    assert sign_up(client, "user@bücher.de", json=True).status_code == 201
    Subscriber.objects.update(status=Subscriber.Status.ACTIVE)

    response = sign_up(client, "USER@XN--BCHER-KVA.DE", json=True)

    assert response.status_code == 409
    assert Subscriber.objects.count() == 1


@pytest.mark.parametrize(
    "address",
    [
        "user@☃.net",  # a symbol: not allowed by IDNA 2008 (IDNA 2003 took it)
        "user@ab--cd.com",  # hyphens in the 3rd and 4th place are reserved for IDNA labels
        "user@example.test",
        "user@mail.invalid",
        "user@printer.local",
        "user@app.localhost",
        "user@hidden.onion",
        "user@1.168.192.in-addr.arpa",
        "josé@example.com",  # an international mailbox (SMTPUTF8): refused, see the README
    ],
)
def test_idna_2008_and_special_use_domains(client, daily, address):
    response = sign_up(client, address, json=True)
    assert response.status_code == 400
    assert response.json() == {"message": INVALID, "status": "invalid"}
    assert not Subscriber.objects.exists()


def test_eszett_is_kept_not_turned_into_ss(client, daily, settings, send_mail_now):
    """IDNA 2003 stored user@faß.de as user@fass.de: another domain, someone else's mail."""
    settings.NEWSLETTER_DOUBLE_OPT_IN = False

    response = send_mail_now(sign_up, client, "user@FAß.de", json=True)

    assert response.status_code == 201
    assert Subscriber.objects.get().email == "user@xn--fa-hia.de"
    [welcome] = mail.outbox
    assert welcome.to == ["user@xn--fa-hia.de"]  # what is stored is what mail is sent to
    # fass.de is another address, so a new subscriber.
    assert sign_up(client, "user@fass.de", json=True).status_code == 201
    assert Subscriber.objects.count() == 2


# --- Double opt-in, through the links in the email ---


def test_confirmation_flow_through_the_email_links(client, daily, send_mail_now):
    send_mail_now(sign_up, client, "reader@example.com")

    [confirmation] = mail.outbox
    assert confirmation.to == ["reader@example.com"]
    assert "Confirm" in confirmation.subject
    assert confirmation.alternatives and confirmation.alternatives[0][1] == "text/html"
    headers = confirmation.message()
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<https?://\S+/newsletter/unsubscribe/\S+/>", headers["List-Unsubscribe"])
    assert headers["List-Unsubscribe"][1:-1] in confirmation.body
    confirm_path = link_in(confirmation, "confirm")
    assert confirm_path in confirmation.alternatives[0][0]

    # Opening the link (as a mail scanner would) changes nothing: it shows a button.
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert "Confirm my subscription" in page.content.decode()
    assert 'name="robots" content="noindex"' in page.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING

    # Pressing the button confirms, and a welcome email follows, with its own unsubscribe link.
    page = send_mail_now(client.post, confirm_path)
    assert page.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.confirmed_at is not None
    welcome = mail.outbox[1]
    assert welcome.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert welcome.message()["List-Unsubscribe"] == headers["List-Unsubscribe"]
    assert "/newsletter/unsubscribe/" in welcome.body

    # Now active: signing up again gets the duplicate message.
    assert sign_up(client, "reader@example.com", json=True).status_code == 409


def test_confirm_post_keeps_csrf(daily, send_mail_now):
    browser = Client(enforce_csrf_checks=True)
    send_mail_now(sign_up, browser, "reader@example.com")
    confirm_path = link_in(mail.outbox[0], "confirm")

    assert browser.post(confirm_path).status_code == 403
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_pending_signup_again_resends_at_most_every_ten_minutes(client, daily, send_mail_now):
    send_mail_now(sign_up, client, "reader@example.com")
    response = send_mail_now(sign_up, client, "Reader@Example.com", json=True)

    assert response.status_code == 201 and response.json()["message"] == SUCCESS
    assert len(mail.outbox) == 1

    sent_at = Subscriber.objects.get().confirmation_sent_at
    Subscriber.objects.update(confirmation_sent_at=sent_at - timedelta(minutes=11))
    response = send_mail_now(sign_up, client, "reader@example.com", json=True)

    assert response.json()["message"] == SUCCESS
    assert len(mail.outbox) == 2
    assert Subscriber.objects.count() == 1


def test_without_double_opt_in_the_address_is_active_at_once(client, daily, settings, send_mail_now):
    settings.NEWSLETTER_DOUBLE_OPT_IN = False

    response = send_mail_now(sign_up, client, "reader@example.com", json=True)

    assert response.status_code == 201
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE
    [welcome] = mail.outbox
    assert welcome.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_expired_confirmation_link_is_refused(client, daily, settings, send_mail_now, monkeypatch):
    send_mail_now(sign_up, client, "reader@example.com")
    confirm_path = link_in(mail.outbox[0], "confirm")
    now = signing.time.time()

    class EightDaysLater:
        @staticmethod
        def time():
            return now + 8 * 24 * 3600

    monkeypatch.setattr(signing, "time", EightDaysLater)

    assert client.get(confirm_path).status_code == 400
    response = client.post(confirm_path)
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_tampered_links_are_refused(client, daily, send_mail_now):
    send_mail_now(sign_up, client, "reader@example.com")
    confirm_path = link_in(mail.outbox[0], "confirm")
    unsubscribe_path = link_in(mail.outbox[0], "unsubscribe")
    token = confirm_path.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")

    assert client.post(f"/newsletter/confirm/{tampered}/").status_code == 400
    assert client.post("/newsletter/confirm/guess/").status_code == 400
    # A confirmation token is no unsubscribe token, and the other way round.
    assert client.post(f"/newsletter/unsubscribe/{token}/").status_code == 400
    unsubscribe_token = unsubscribe_path.rstrip("/").rsplit("/", 1)[1]
    assert client.post(f"/newsletter/confirm/{unsubscribe_token}/").status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_a_token_does_not_serve_another_address(client, daily, settings, send_mail_now):
    settings.NEWSLETTER_DOUBLE_OPT_IN = False
    send_mail_now(sign_up, client, "first@example.com")
    first_link = link_in(mail.outbox[0], "unsubscribe")
    # The row is erased (right to be forgotten) and its id cannot be reached by the old link.
    Subscriber.objects.all().delete()
    send_mail_now(sign_up, client, "second@example.com")

    assert client.post(first_link).status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE


# --- Unsubscribe ---


def test_unsubscribe_with_one_click_post(daily, settings, send_mail_now):
    settings.NEWSLETTER_DOUBLE_OPT_IN = False
    browser = Client(enforce_csrf_checks=True)
    send_mail_now(sign_up, browser, "reader@example.com")
    other = SubscriberFactory(email="other@example.com", newsletter=daily)
    unsubscribe_path = link_in(mail.outbox[0], "unsubscribe")

    # Opening the link only asks.
    page = browser.get(unsubscribe_path)
    assert page.status_code == 200 and "Unsubscribe" in page.content.decode()
    assert Subscriber.objects.get(email="reader@example.com").status == Subscriber.Status.ACTIVE

    # The mail provider's one-click POST (RFC 8058) carries no CSRF token: the link is the proof.
    response = browser.post(
        unsubscribe_path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    subscriber = Subscriber.objects.get(email="reader@example.com")
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None
    other.refresh_from_db()
    assert other.status == Subscriber.Status.ACTIVE

    # Twice is harmless.
    assert browser.post(unsubscribe_path).status_code == 200


def test_unsubscribed_address_can_subscribe_again(client, daily, send_mail_now):
    SubscriberFactory(email="reader@example.com", newsletter=daily, status="unsubscribed")

    response = send_mail_now(sign_up, client, "reader@example.com", json=True)

    assert response.status_code == 201
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.unsubscribed_at is None
    assert len(mail.outbox) == 1


# --- Abuse ---


def test_honeypot_looks_like_success_but_writes_nothing(client, daily, send_mail_now):
    response = send_mail_now(sign_up, client, "bot@example.com", json=True, website="http://spam.example")
    assert response.status_code == 201
    assert response.json() == {"message": SUCCESS, "status": "subscribed"}

    response = send_mail_now(sign_up, client, "bot@example.com", website="http://spam.example")
    assert SUCCESS in box_text(land(client, response, "/newsletter/"))

    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_honeypot_is_hidden_from_people_and_autofill(client, daily):
    html = client.get("/newsletter/").content.decode()
    trap = re.search(r'<div class="newsletter-trap" aria-hidden="true">.*?</div>', html, re.S)
    assert trap and 'name="website"' in trap.group(0)
    assert 'tabindex="-1"' in trap.group(0) and 'autocomplete="off"' in trap.group(0)


class _Later:
    """Stands in for the time module: `seconds` from now."""

    def __init__(self, seconds):
        self.now = time.time() + seconds

    def time(self):
        return self.now


STAMPS = ["too-fast", "expired", "missing", "forged", "old-format"]


def send_with_stamp(client, settings, monkeypatch, problem, email, json):
    """Fill in the box, then send it back in one of the ways its stamp cannot vouch for."""
    action, fields = read_form(client, "/newsletter/")
    fields["email"] = email
    if problem == "too-fast":
        settings.NEWSLETTER_MIN_SUBMIT_SECONDS = 60
    elif problem == "expired":  # the page stayed open for a day and a second
        monkeypatch.setattr("newsletter.tokens.time", _Later(24 * 3600 + 1))
    elif problem == "missing":
        del fields["rendered"]
    elif problem == "forged":
        fields["rendered"] = "forged:stamp"
    else:
        fields["rendered"] = "1700000000.0"
    return client.post(action, fields, **BROWSER, **(JSON if json else {}))


@pytest.mark.parametrize("problem", STAMPS)
def test_with_double_opt_in_a_doubtful_stamp_is_a_normal_signup(
    client, daily, settings, monkeypatch, problem, send_mail_now
):
    """The confirmation email proves there is a person: nothing is dropped in silence."""
    response = send_mail_now(
        send_with_stamp, client, settings, monkeypatch, problem, "quick@example.com", True
    )

    assert response.status_code == 201 and response.json()["message"] == SUCCESS
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    assert [message.to for message in mail.outbox] == [["quick@example.com"]]


@pytest.mark.parametrize("problem", STAMPS)
def test_without_double_opt_in_a_doubtful_stamp_asks_to_send_again(
    client, daily, settings, monkeypatch, problem
):
    settings.NEWSLETTER_DOUBLE_OPT_IN = False

    response = send_with_stamp(client, settings, monkeypatch, problem, "quick@example.com", True)

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "retry" and body["message"] == RETRY
    assert not Subscriber.objects.exists()
    # Sent again with the fresh stamp from the answer (the script puts it in the form), it is taken.
    settings.NEWSLETTER_MIN_SUBMIT_SECONDS = 0
    action, fields = read_form(client, "/newsletter/")
    again = client.post(
        action, {**fields, "email": "quick@example.com", "rendered": body["rendered"]}, **JSON
    )
    assert again.status_code == 201
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE


def test_without_double_opt_in_and_javascript_the_reader_is_asked_to_send_again(
    client, daily, settings, monkeypatch
):
    settings.NEWSLETTER_DOUBLE_OPT_IN = False

    response = send_with_stamp(client, settings, monkeypatch, "expired", "late@example.com", False)
    landed = land(client, response, "/newsletter/")

    assert RETRY in box_text(landed)
    assert 'value="late@example.com"' in landed.content.decode()
    assert not Subscriber.objects.exists()
    # The form on that page carries a fresh stamp: sending it again signs up.
    settings.NEWSLETTER_MIN_SUBMIT_SECONDS = 0
    action, fields = read_form_in(landed)
    assert SUCCESS in box_text(land(client, client.post(action, fields, **BROWSER), "/newsletter/"))
    assert Subscriber.objects.get().email == "late@example.com"


def test_a_stamp_works_for_a_day_then_expires(client, daily, settings, monkeypatch):
    settings.NEWSLETTER_DOUBLE_OPT_IN = False
    action, fields = read_form(client, "/newsletter/")

    monkeypatch.setattr("newsletter.tokens.time", _Later(24 * 3600 - 60))
    assert client.post(action, {**fields, "email": "a@example.com"}, **JSON).status_code == 201
    monkeypatch.setattr("newsletter.tokens.time", _Later(24 * 3600 + 60))
    assert client.post(action, {**fields, "email": "b@example.com"}, **JSON).json()["status"] == "retry"
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["a@example.com"]


def test_rate_limit_per_client_address(client, daily, settings):
    settings.NEWSLETTER_RATE_LIMIT = 3
    for n in range(3):
        assert sign_up(client, f"reader{n}@example.com", json=True).status_code == 201

    response = sign_up(client, "reader9@example.com", json=True)

    assert response.status_code == 429
    assert response.json()["status"] == "rate_limited"
    assert "Too many" in response.json()["message"]
    assert int(response["Retry-After"]) == settings.NEWSLETTER_RATE_WINDOW
    page = sign_up(client, "reader9@example.com")
    assert page.status_code == 429 and "Too many" in page.content.decode()
    assert Subscriber.objects.count() == 3
    # Another reader, another address: not limited.
    assert sign_up(client, "reader9@example.com", json=True, remote_addr="10.0.0.2").status_code == 201


def test_rate_limit_counts_failed_attempts_too(client, daily, settings):
    """So nobody can probe quickly which addresses are subscribed."""
    settings.NEWSLETTER_RATE_LIMIT = 2
    SubscriberFactory(email="known@example.com", newsletter=daily)
    assert sign_up(client, "nope", json=True).status_code == 400
    assert sign_up(client, "known@example.com", json=True).status_code == 409
    assert sign_up(client, "known@example.com", json=True).status_code == 429


# --- Side services down: the signup is kept, and the script always gets JSON ---


def test_signup_works_when_the_cache_is_down(client, daily, settings, caplog, send_mail_now):
    """REDIS_URL set, and nothing answers there: the rate limit is skipped, the signup is kept."""
    dead_redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # bound, then closed: nothing listens
    }
    settings.CACHES = {"default": dead_redis, "pages": {**dead_redis, "KEY_PREFIX": "pages"}}
    action, fields = read_form(client, "/newsletter/")

    with caplog.at_level(logging.ERROR, logger="newsletter.views"):
        as_json = send_mail_now(
            client.post, action, {**fields, "email": "one@example.com"}, **BROWSER, **JSON
        )
        as_page = send_mail_now(client.post, action, {**fields, "email": "two@example.com"}, **BROWSER)

    assert as_json.status_code == 201 and as_json.json() == {"message": SUCCESS, "status": "subscribed"}
    assert SUCCESS in box_text(land(client, as_page, "/newsletter/"))  # no cache needed for it
    assert set(Subscriber.objects.values_list("email", flat=True)) == {"one@example.com", "two@example.com"}
    assert "rate limit not applied" in caplog.text


def test_json_clients_get_json_when_the_signup_fails(client, daily, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("newsletter.services.subscribe", broken)
    with caplog.at_level(logging.ERROR, logger="newsletter.views"):
        response = sign_up(client, "reader@example.com", json=True)

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "error" and "try again" in response.json()["message"]
    assert "database gone" in caplog.text


def test_json_clients_get_json_for_a_closed_newsletter(client, daily):
    closed = NewsletterFactory(active=False)
    _, fields = read_form(client, "/newsletter/")
    response = client.post(
        f"/newsletter/{closed.slug}/subscribe/", {**fields, "email": "a@example.com"}, **JSON
    )
    assert response.status_code == 404 and response.json()["status"] == "not_found"


# --- Mail server down ---


def test_signup_is_kept_when_the_mail_server_is_down(client, daily, settings, send_mail_now, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # bound, then closed: nothing listens, the connection is refused
    settings.EMAIL_TIMEOUT = 2

    with caplog.at_level(logging.ERROR):
        response = send_mail_now(sign_up, client, "reader@example.com", json=True)

    assert response.status_code == 201 and response.json()["message"] == SUCCESS
    assert Subscriber.objects.get().email == "reader@example.com"
    assert "confirmation email" in caplog.text  # the failure is in the log, for the operator
    assert "ConnectionRefusedError" in caplog.text  # and it is the refused connection


# --- Text that reaches a mail header, in the admin ---


@pytest.mark.parametrize("field", ["name", "description"])
@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\r", "\u2028"])
def test_a_line_break_in_a_newsletters_name_is_refused_in_the_admin(
    client, superuser, daily, field, line_break
):
    client.force_login(superuser)
    url = reverse("admin:newsletter_newsletter_change", args=[daily.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value is not None and value is not False}
    data[field] = f"Daily{line_break}Bcc: victim@example.com"

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Use a single line: line breaks are not allowed here." in response.content.decode()
    daily.refresh_from_db()
    assert "\n" not in getattr(daily, field) and "Bcc" not in getattr(daily, field)
    # The same form with one line is saved.
    data[field] = "Daily and Bcc"
    assert client.post(url, data).status_code == 302
    daily.refresh_from_db()
    assert getattr(daily, field) == "Daily and Bcc"


# --- The data migration ---


def test_every_site_starts_with_a_default_newsletter_editors_can_manage(daily):
    assert daily.active and daily.description
    codenames = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"change_newsletter", "view_subscriber", "delete_subscriber"} <= codenames
