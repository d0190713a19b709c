"""Corrections and updates on the record (issue 10, point 7): added by editors in the story form,
shown at the end of the story newest first, in its feed entry, removed only by editors and kept
in the story's history."""

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Correction
from tests.admin_forms import edit_form
from tests.factories import ArticleFactory, AuthorFactory, EditorFactory, JournalistFactory

pytestmark = pytest.mark.django_db


def url(story):
    return f"/admin/articles/article/{story.pk}/change/"


def with_notes(story, *new_notes, existing=(), delete=()):
    """The story form's POST data with its notes inline: the existing ones, then new ones."""
    data = edit_form(story)
    data["corrections-TOTAL_FORMS"] = str(len(existing) + len(new_notes))
    data["corrections-INITIAL_FORMS"] = str(len(existing))
    for index, note in enumerate(existing):
        data[f"corrections-{index}-id"] = str(note.pk)
        data[f"corrections-{index}-article"] = str(story.pk)
        data[f"corrections-{index}-kind"] = note.kind
        data[f"corrections-{index}-text"] = note.text
        if note in delete:
            data[f"corrections-{index}-DELETE"] = "on"
    for index, (kind, text) in enumerate(new_notes, start=len(existing)):
        data[f"corrections-{index}-kind"] = kind
        data[f"corrections-{index}-text"] = text
    return data


@pytest.fixture
def published(client):
    story = ArticleFactory(title="Minister visits harbour", published_at=timezone.now() - timedelta(days=2))
    Article.objects.filter(pk=story.pk).update(created_at=timezone.now() - timedelta(days=2))
    story.refresh_from_db()
    return story


def test_editor_adds_notes_shown_at_the_end_newest_first_with_updated(client, published):
    client.force_login(EditorFactory())
    before = published.updated_at

    first = client.post(
        url(published), with_notes(published, ("correction", "An earlier version misnamed the minister."))
    )
    assert first.status_code == 302, first.context["adminform"].form.errors
    published.refresh_from_db()
    client.post(
        url(published),
        with_notes(
            published,
            ("update", "Adds the port authority's reply."),
            existing=list(published.corrections.all()),
        ),
    )
    client.logout()

    html = client.get(published.get_absolute_url()).content.decode()
    assert "Corrections and updates" in html
    assert html.index("the port authority") < html.index("misnamed the minister")
    assert html.index("story-body") < html.index("Corrections and updates")
    assert "byline__updated" in html
    published.refresh_from_db()
    assert published.updated_at > before
    assert Correction.objects.filter(article=published).first().created_by is not None


def test_notes_appear_in_the_feed_entry(client, published):
    Correction.objects.create(
        article=published, kind="correction", text="An earlier version misnamed the minister."
    )
    for address in ["/feed/", "/feed/atom/"]:
        entry = feedparser.parse(client.get(address).content).entries[0]
        assert "misnamed the minister" in entry.summary or "misnamed the minister" in entry.content[0].value


def test_removing_a_note_is_an_editors_act_and_stays_in_the_history(client, published):
    client.force_login(EditorFactory())
    client.post(url(published), with_notes(published, ("correction", "A wrong date was given.")))
    note = published.corrections.get()

    response = client.post(url(published), with_notes(published, existing=[note], delete=[note]))

    assert response.status_code == 302
    assert not published.corrections.exists()
    assert "A wrong date was given." not in client.get(published.get_absolute_url()).content.decode()
    kept = Version.objects.get_deleted(Correction)
    assert [v.field_dict["text"] for v in kept] == ["A wrong date was given."]


def test_journalists_cannot_add_or_remove_notes(client):
    journalist = JournalistFactory()
    me = AuthorFactory(user=journalist)
    draft = ArticleFactory(draft=True, authors=[me], created_by=journalist)
    public = ArticleFactory(authors=[me], created_by=journalist)
    note = Correction.objects.create(article=public, text="An editor's correction.")
    client.force_login(journalist)

    client.post(url(draft), with_notes(draft, ("correction", "Sneaked in.")))
    removed = client.post(url(public), with_notes(public, existing=[note], delete=[note]))

    assert not draft.corrections.exists()
    assert removed.status_code == 403
    assert list(public.corrections.all()) == [note]
    assert 'name="corrections-0-text"' not in client.get(url(draft)).content.decode()
