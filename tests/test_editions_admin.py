"""Editions in the admin: composed from prefilled stories, reordered, previewed, tested and sent once."""

import email
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from newsletter.models import Delivery, Edition
from tests.factories import (
    ArticleFactory,
    EditionFactory,
    EditorFactory,
    JournalistFactory,
    NewsletterFactory,
    SectionFactory,
    SubscriberFactory,
    UserFactory,
)
from tests.worker.smtp import SMTPServer

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:newsletter_edition_add")


def change_url(edition):
    return reverse("admin:newsletter_edition_change", args=[edition.pk])


class _FormFields(HTMLParser):
    """What a browser would send for the edition form as it is shown (text, hidden, checked boxes)."""

    def __init__(self, html):
        super().__init__()
        self.data, self.buttons = {}, []
        self._select = self._textarea = None
        self._in_form = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "edition_form":
            self._in_form = True
        if not self._in_form or not attrs.get("name"):
            if tag == "option" and self._select and "selected" in attrs:
                self.data[self._select] = attrs.get("value", "")
            return
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind == "submit":
                self.buttons.append(name)
            elif kind == "checkbox":
                if "checked" in attrs:
                    self.data[name] = "on"
            else:
                self.data[name] = attrs.get("value") or ""
        elif tag == "select":
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.lstrip("\n") if not self.data[self._textarea] else data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False


def read_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return _FormFields(response.content.decode())


def story_rows(data):
    """The inline's rows as {form prefix: (position, article id)}, without the empty template row."""
    return {
        key.removesuffix("-article"): (data[key.replace("-article", "-position")], data[key])
        for key in data
        if key.startswith("items-") and key.endswith("-article") and "__prefix__" not in key
    }


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def editor(client):
    user = EditorFactory(username="ed", email="ed@example.com")
    client.force_login(user)
    return user


@pytest.fixture
def city():
    return NewsletterFactory(name="City Briefing", section=SectionFactory(name="City"))


def add_edition(client, newsletter, subject="Tonight in the city"):
    form = read_form(client, ADD_URL)
    form.data.update(newsletter=str(newsletter.pk), subject=subject, intro="Hello.")
    return client.post(ADD_URL, form.data)


def test_a_new_edition_is_prefilled_with_its_sections_stories_since_the_last_edition(client, editor, city):
    now = timezone.now()
    previous = EditionFactory(
        newsletter=city, status=Edition.Status.SENT, started_at=now - timedelta(hours=20)
    )
    Edition.objects.filter(pk=previous.pk).update(created_at=now - timedelta(hours=21))
    ArticleFactory(section=city.section, title="Old news", published_at=now - timedelta(hours=22))
    carried = ArticleFactory(
        section=city.section, title="Already sent", published_at=now - timedelta(hours=20.5)
    )
    previous.items.create(article=carried)
    older = ArticleFactory(section=city.section, title="Council meets", published_at=now - timedelta(hours=5))
    newer = ArticleFactory(
        section=city.section, title="Tram line opens", published_at=now - timedelta(hours=1)
    )
    ArticleFactory(title="Other section story", published_at=now - timedelta(hours=1))
    ArticleFactory(section=city.section, title="Draft", draft=True)
    ArticleFactory(section=city.section, title="Tomorrow", scheduled=True)

    response = add_edition(client, city)

    edition = Edition.objects.get(subject="Tonight in the city")
    assert response.status_code == 302 and response["Location"] == change_url(edition)
    assert "created with 2 stories" in messages_of(response)[0]
    assert edition.created_by == editor and edition.status == Edition.Status.DRAFT
    assert [item.article for item in edition.items.all()] == [newer, older]
    shown = client.get(change_url(edition)).content.decode()
    assert "Tram line opens" in shown and "Council meets" in shown


@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\u2028"])
def test_a_line_break_in_the_subject_is_refused(client, editor, city, line_break):
    """The subject goes into a mail header: one line, by the rule the newsletter's name obeys."""
    response = add_edition(client, city, subject=f"Tonight{line_break}Bcc: victim@example.com")

    assert response.status_code == 200
    assert "Use a single line: line breaks are not allowed here." in response.content.decode()
    assert not Edition.objects.exists()


def test_a_site_wide_newsletter_offers_every_sections_stories(client, editor):
    site_wide = NewsletterFactory(section=None)
    stories = [ArticleFactory(published_at=timezone.now() - timedelta(hours=h)) for h in (1, 2)]

    add_edition(client, site_wide)

    assert [item.article for item in Edition.objects.get().items.all()] == stories


def test_no_new_story_says_so(client, editor, city):
    response = add_edition(client, city)

    assert Edition.objects.get().items.count() == 0
    assert "No story has been published since the last edition" in messages_of(response)[0]


def test_the_editor_reorders_and_removes_stories_in_the_form(client, editor, city):
    first, second, third = (
        ArticleFactory(section=city.section, title=title, published_at=timezone.now() - timedelta(hours=h))
        for h, title in enumerate(["First", "Second", "Third"], start=1)
    )
    add_edition(client, city)
    edition = Edition.objects.get()
    form = read_form(client, change_url(edition))
    rows = story_rows(form.data)
    assert sorted(rows.values()) == [("1", str(first.pk)), ("2", str(second.pk)), ("3", str(third.pk))]

    by_article = {article: prefix for prefix, (_pos, article) in rows.items()}
    form.data[f"{by_article[str(third.pk)]}-position"] = "0"  # third goes to the top
    form.data[f"{by_article[str(second.pk)]}-DELETE"] = "on"  # second is removed
    form.data["subject"] = "Reordered"
    response = client.post(change_url(edition), {**form.data, "_continue": "1"})

    assert response.status_code == 302, response.content.decode()[:2000]
    edition.refresh_from_db()
    assert edition.subject == "Reordered"
    assert [item.article for item in edition.items.all()] == [third, first]
    assert (
        "Second"
        not in client.get(reverse("admin:newsletter_edition_preview", args=[edition.pk])).content.decode()
    )


def test_only_published_stories_can_be_added(client, editor, city):
    draft = ArticleFactory(section=city.section, draft=True)
    edition = EditionFactory(newsletter=city)
    form = read_form(client, change_url(edition))
    form.data.update({"items-TOTAL_FORMS": "1", "items-0-position": "1", "items-0-article": str(draft.pk)})

    response = client.post(change_url(edition), form.data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert edition.items.count() == 0


def test_preview_shows_the_email_as_a_web_page_and_as_text(client, editor, city, settings):
    settings.SITE_URL = "https://news.example.com"
    story = ArticleFactory(section=city.section, title="Tram line opens")
    edition = EditionFactory(newsletter=city, articles=[story], intro="Good evening.")
    url = reverse("admin:newsletter_edition_preview", args=[edition.pk])

    assert f'href="{url}"' in client.get(change_url(edition)).content.decode()
    page = client.get(url)
    text = client.get(url, {"format": "text"})

    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert "Tram line opens" in html and "Good evening." in html
    assert f'href="https://news.example.com{story.get_absolute_url()}"' in html
    assert text["Content-Type"].startswith("text/plain") and "Tram line opens" in text.content.decode()
    assert client.get(reverse("admin:newsletter_edition_preview", args=[edition.pk + 1])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the admin login


def test_a_test_send_arrives_at_the_editors_own_address(
    client, editor, city, settings, django_capture_on_commit_callbacks
):
    edition = EditionFactory(
        newsletter=city, subject="Test subject", articles=[ArticleFactory(section=city.section)]
    )
    SubscriberFactory(newsletter=city)
    form = read_form(client, change_url(edition))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_TIMEOUT = "127.0.0.1", 5

    with SMTPServer() as server:
        settings.EMAIL_PORT = server.port
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(change_url(edition), {**form.data, "_send_test": "1"})

    assert "A test is on its way to ed@example.com." in messages_of(response)
    [(recipient, _message_id, raw, _peer)] = server.handler.received
    assert recipient == "ed@example.com"
    message = email.message_from_bytes(raw)
    assert message["Subject"] == "Test subject" and message["List-Unsubscribe-Post"]
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT and not edition.deliveries.exists()


def send_url(edition):
    return reverse("admin:newsletter_edition_send", args=[edition.pk])


def test_an_editor_sends_an_edition_once_after_confirming(
    client, editor, city, django_capture_on_commit_callbacks
):
    edition = EditionFactory(
        newsletter=city, subject="Big night", articles=[ArticleFactory(section=city.section)]
    )
    readers = [SubscriberFactory(newsletter=city) for _ in range(3)]
    SubscriberFactory(newsletter=city, status="unsubscribed")
    form = read_form(client, change_url(edition))
    assert "_send_now" in form.buttons

    # "Send now" saves the form, then asks: nothing goes out yet.
    form.data["subject"] = "Big night out"
    confirm = client.post(change_url(edition), {**form.data, "_send_now": "1"})
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "“Big night out” will go to 3 active subscribers now." in page
    assert f'action="{send_url(edition)}"' in page
    edition.refresh_from_db()
    assert edition.subject == "Big night out" and edition.status == Edition.Status.DRAFT and not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send_url(edition))

    assert response["Location"] == change_url(edition)
    assert "Sending to 3 subscribers." in messages_of(response)
    edition.refresh_from_db()
    assert edition.status in (Edition.Status.SENDING, Edition.Status.SENT)
    assert edition.sent_by == editor and edition.recipients == 3
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        r.email for r in readers
    )

    # Confirmed again, or the old form sent again from another tab: refused, nothing more is sent.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(send_url(edition), follow=True)
        stale = client.post(change_url(edition), {**form.data, "_send_now": "1"}, follow=True)

    for answer in (again, stale):
        assert "it cannot be sent or changed again" in answer.content.decode()
    assert len(mail.outbox) == 3 and Delivery.objects.count() == 3
    assert client.get(send_url(edition)).status_code == 405


def test_journalists_cannot_send(client, city):
    edition = EditionFactory(newsletter=city, articles=[ArticleFactory(section=city.section)])
    SubscriberFactory(newsletter=city)
    client.force_login(JournalistFactory())

    response = client.post(change_url(edition), {"subject": "x", "_send_now": "1"})

    assert response.status_code == 403
    assert client.post(send_url(edition)).status_code == 403
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT and not edition.deliveries.exists()


def test_composing_without_the_send_permission_shows_no_send_button_and_cannot_send(client, city):
    composer = UserFactory(is_staff=True, email="c@example.com")
    composer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="newsletter",
            codename__in=["view_edition", "change_edition", "view_editionstory", "change_editionstory"],
        )
    )
    edition = EditionFactory(newsletter=city, articles=[ArticleFactory(section=city.section)])
    SubscriberFactory(newsletter=city)
    client.force_login(composer)

    form = read_form(client, change_url(edition))
    assert "_send_test" in form.buttons
    assert "_send_now" not in form.buttons and "_schedule" not in form.buttons
    for action in ("_send_now", "_schedule"):
        assert client.post(change_url(edition), {**form.data, action: "1"}).status_code == 403
    assert client.post(send_url(edition)).status_code == 403
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT and not edition.deliveries.exists()


def test_an_editor_schedules_then_cancels(client, editor, city):
    edition = EditionFactory(newsletter=city, articles=[ArticleFactory(section=city.section)])
    form = read_form(client, change_url(edition))
    when = timezone.localtime() + timedelta(days=1)
    form.data.update({"scheduled_at_0": when.strftime("%Y-%m-%d"), "scheduled_at_1": "06:30:00"})

    response = client.post(change_url(edition), {**form.data, "_schedule": "1"})

    assert any(m.startswith("The edition will be sent at") for m in messages_of(response))
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SCHEDULED
    assert timezone.localtime(edition.scheduled_at).strftime("%Y-%m-%d %H:%M") == f"{when:%Y-%m-%d} 06:30"

    form = read_form(client, change_url(edition))
    client.post(change_url(edition), {**form.data, "_cancel": "1"})
    edition.refresh_from_db()
    assert edition.status == Edition.Status.CANCELLED


def test_scheduling_in_the_past_or_without_stories_is_refused_with_a_message(client, editor, city):
    edition = EditionFactory(newsletter=city, articles=[ArticleFactory(section=city.section)])
    form = read_form(client, change_url(edition))
    response = client.post(change_url(edition), {**form.data, "_schedule": "1"})
    assert 'Choose a future time in "Scheduled for" first.' in messages_of(response)

    empty = EditionFactory(newsletter=city)
    form = read_form(client, change_url(empty))
    response = client.post(change_url(empty), {**form.data, "_send_now": "1"})
    assert "Add at least one story first." in messages_of(response)
    assert Edition.objects.filter(status=Edition.Status.DRAFT).count() == 2


def test_progress_while_sending_on_the_page_and_in_the_list(client, editor, city):
    edition = EditionFactory(newsletter=city, status=Edition.Status.SENDING, started_at=timezone.now())
    statuses = ["queued"] * 3 + ["sending"] + ["sent"] * 4 + ["failed"] + ["unknown"]
    for status in statuses:
        Delivery.objects.create(edition=edition, subscriber=SubscriberFactory(newsletter=city), status=status)

    page = client.get(change_url(edition)).content.decode()
    listing = client.get(reverse("admin:newsletter_edition_changelist")).content.decode()

    for html in (page, listing):
        assert '<progress value="6" max="10">' in html
        assert "queued 4 · sent 4 · failed 1 · unknown 1" in html
    assert '<meta http-equiv="refresh"' in page  # the page follows the sending by itself
    assert "_send_now" not in page  # an edition going out is a record, not a form


def test_the_edition_list_costs_the_same_queries_for_more_editions(
    client, editor, city, django_assert_max_num_queries
):
    def sending_edition():
        edition = EditionFactory(newsletter=city, status=Edition.Status.SENDING)
        Delivery.objects.create(edition=edition, subscriber=SubscriberFactory(newsletter=city), status="sent")

    url = reverse("admin:newsletter_edition_changelist")
    sending_edition()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(5):
        sending_edition()
    with django_assert_max_num_queries(len(few)):
        client.get(url)
