"""Story revisions (issue 10, point 3): a revision per save, a word-level diff, restore as new."""

import pytest
from reversion.models import Version

from articles.models import Article
from tests.admin_forms import CHANGELIST, edit_form
from tests.factories import ArticleFactory, AuthorFactory, EditorFactory, JournalistFactory, TagFactory

pytestmark = pytest.mark.django_db


def url(story, suffix=""):
    return f"/admin/articles/article/{story.pk}/{suffix}"


def save(client, story, **fields):
    response = client.post(url(story, "change/"), edit_form(story, **fields))
    assert response.status_code == 302, response.context["adminform"].form.errors
    story.refresh_from_db()


def versions(story):
    return Version.objects.get_for_object(story)  # newest first


def test_every_save_records_a_revision_with_who(client, editor):
    # Measured: a body replaced by mistake could not be recovered; history said only "Changed Body".
    story = ArticleFactory(body="<p>The harbour reopened on Monday.</p>")
    save(client, story, body="<p>Oops, replaced.</p>")
    save(client, story, title="A new headline")

    assert versions(story).count() == 2
    newest = versions(story).first()
    assert newest.revision.user == editor
    assert newest.field_dict["title"] == "A new headline"
    history = client.get(url(story, "history/")).content.decode()
    assert "Compare the two versions" in history
    assert history.count('name="old"') == 2


def test_actions_record_revisions_too(client, editor):
    story = ArticleFactory(draft=True)
    client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [story.pk]})
    assert versions(story).first().field_dict["status"] == "published"


def test_diff_shows_the_changed_word(client, editor):
    story = ArticleFactory(body="<p>The harbour reopened on Monday.</p>", tags=[TagFactory(name="Ports")])
    save(client, story, title="Harbour news")
    save(client, story, body="<p>The harbour reopened on Tuesday.</p>")
    newer, older = versions(story)

    response = client.get(url(story, "history/compare/"), {"old": older.pk, "new": newer.pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<del>Monday.</del> <ins>Tuesday.</ins>" in html
    assert "The harbour reopened on" in html
    assert [str(label) for label, _diff in response.context["changes"]] == ["body"]


def test_restore_creates_a_new_revision_and_loses_nothing(client, editor):
    story = ArticleFactory(title="Original", body="<p>The careful first version.</p>")
    save(client, story, body="<p>Replaced by mistake.</p>")
    save(client, story, body="<p>The careful first version.</p>")
    save(client, story, body="<p>Replaced by mistake again.</p>")
    good = versions(story)[1]
    count = versions(story).count()

    page = client.get(url(story, f"history/{good.pk}/"))
    assert page.status_code == 200
    response = client.post(url(story, f"history/{good.pk}/"), edit_form(story, body=good.field_dict["body"]))

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.body == "<p>The careful first version.</p>"
    assert versions(story).count() == count + 1
    assert "Reverted to previous version" in versions(story).first().revision.get_comment()
    assert Version.objects.get_for_object(story).filter(pk=good.pk).exists()


def test_restoring_a_published_story_is_an_editors_act(client):
    journalist = JournalistFactory()
    me = AuthorFactory(user=journalist)
    story = ArticleFactory(authors=[me], created_by=journalist, body="<p>Published words.</p>")
    client.force_login(EditorFactory())
    save(client, story, body="<p>Edited words.</p>")
    old = versions(story).first()

    client.force_login(journalist)
    assert client.get(url(story, "history/")).status_code == 200
    response = client.post(url(story, f"history/{old.pk}/"), edit_form(story, body="<p>Published words.</p>"))

    assert response.status_code == 403
    story.refresh_from_db()
    assert story.body == "<p>Edited words.</p>"
    assert Article.objects.published().filter(pk=story.pk).exists()


def test_compare_needs_versions_of_that_story(client, editor):
    story, other = ArticleFactory(), ArticleFactory()
    save(client, other, title="Other")
    foreign = versions(other).first()
    response = client.get(url(story, "history/compare/"), {"old": foreign.pk, "new": foreign.pk})
    assert response.status_code == 404
    assert client.get(url(story, "history/compare/"), {"old": "x", "new": "1"}).status_code == 403


def test_diff_shows_a_byline_and_tag_change(client, editor):
    story = ArticleFactory(authors=[AuthorFactory(name="Ana Ruiz")])
    save(client, story, title="Harbour news")
    data = edit_form(story, tags=[str(TagFactory(name="Storms").pk)])
    data["article_authors-0-author"] = str(AuthorFactory(name="Ben Okafor").pk)
    assert client.post(url(story, "change/"), data).status_code == 302
    newer, older = versions(story)

    response = client.get(url(story, "history/compare/"), {"old": older.pk, "new": newer.pk})

    changes = {str(label): str(diff) for label, diff in response.context["changes"]}
    assert changes["byline"] == "<del>Ana Ruiz</del> <ins>Ben Okafor</ins>"
    assert changes["tags"] == "<ins>Storms</ins>"
