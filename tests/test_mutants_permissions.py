"""Publishing permissions, to the letter: what `make mutate` found the admin tests let through.

Editors change the correction notes already on a story; the review action counts what it moved;
the journalists' story form says what they may do and refuses the rest in words. Through the
admin, as the newsroom uses it.
"""

import pytest

from articles.forms import ArticleAdminForm
from articles.models import Article, Correction
from tests.admin_forms import ADD, CHANGELIST, change_url, edit_form, story_form
from tests.factories import ArticleFactory, AuthorFactory, EditorFactory, JournalistFactory, SectionFactory

pytestmark = pytest.mark.django_db

NOTE_INPUT = 'name="corrections-0-text"'


def test_an_editor_can_change_an_existing_note(client):
    story = ArticleFactory()
    Correction.objects.create(article=story, text="The mayor's name was misspelled.")
    client.force_login(EditorFactory())

    html = client.get(change_url(story)).content.decode()

    assert NOTE_INPUT in html


def test_the_review_action_counts_every_story_it_moved(client):
    journalist = JournalistFactory()
    stories = [ArticleFactory(draft=True, created_by=journalist) for _ in range(3)]
    client.force_login(journalist)

    response = client.post(
        CHANGELIST,
        {"action": "submit_for_review", "_selected_action": [story.pk for story in stories]},
        follow=True,
    )

    assert [str(message) for message in response.context["messages"]] == [
        "3 stories are waiting for an editor."
    ]
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.REVIEW}


def test_the_journalists_status_field_says_who_publishes(client):
    client.force_login(JournalistFactory())

    status = client.get(ADD).context["adminform"].form.fields["status"]

    assert status.help_text == "Ready for review puts the story in the editors' queue; they publish it."
    assert [value for value, _label in status.choices] == [Article.Status.DRAFT, Article.Status.REVIEW]


def test_a_journalist_publishing_anyway_is_told_why_not(client):
    journalist = JournalistFactory()
    client.force_login(journalist)

    response = client.post(ADD, story_form(SectionFactory(), [AuthorFactory()], status="published"))

    assert response.context["adminform"].form.errors["status"] == [
        "You can save this story as a draft or ready for review only: an editor publishes and "
        "schedules stories."
    ]
    assert not Article.objects.exists()


def test_the_story_form_refuses_a_journalists_change_to_a_published_story():
    """The admin shows such a story read-only; the form refuses a change made all the same."""
    story = ArticleFactory()
    data = edit_form(story, title="Changed anyway", loaded_version=story.updated_at.isoformat())

    form = ArticleAdminForm(data=data, instance=story)

    assert not form.is_valid()
    [error] = form.non_field_errors().as_data()
    assert error.code == "published"
    assert error.messages == ["This story is published or scheduled: only an editor can change it."]


@pytest.mark.parametrize(
    ("kind", "may_change"), [("own draft", True), ("colleague's draft", False), ("own public", False)]
)
def test_the_byline_follows_the_storys_rule(client, kind, may_change):
    """The byline inline has no rule of its own: Django's admin offers its rows for editing only
    when the story itself may be changed (ArticleAdmin.has_change_permission)."""
    journalist = JournalistFactory()
    me = AuthorFactory(user=journalist)
    story = {
        "own draft": ArticleFactory(draft=True, created_by=journalist, authors=[me]),
        "colleague's draft": ArticleFactory(draft=True, authors=[AuthorFactory()]),
        "own public": ArticleFactory(created_by=journalist, authors=[me]),
    }[kind]
    client.force_login(journalist)

    [byline] = client.get(change_url(story)).context["inline_admin_formsets"][:1]

    rights = (byline.has_add_permission, byline.has_change_permission, byline.has_delete_permission)
    assert rights == (may_change,) * 3
    assert byline.has_view_permission
