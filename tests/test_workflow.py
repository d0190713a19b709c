"""Submit for review and the newsroom's dashboard (issue 10, point 2), through the admin."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.admin_forms import ADD, CHANGELIST, change_url, edit_form, story_form
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_journalist_submits_a_new_story_for_review_and_takes_it_back(client, journalist):
    response = client.post(ADD, story_form(SectionFactory(), [AuthorFactory()], status="review"))
    assert response.status_code == 302
    story = Article.objects.get()
    assert story.status == Article.Status.REVIEW
    assert not Article.objects.published().exists()

    response = client.post(change_url(story), edit_form(story, status="draft"))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT


def test_submit_and_withdraw_actions_move_only_the_journalists_own_stories(client, journalist):
    mine = ArticleFactory(draft=True, created_by=journalist)
    colleagues = ArticleFactory(draft=True)

    response = client.post(
        CHANGELIST, {"action": "submit_for_review", "_selected_action": [mine.pk, colleagues.pk]}, follow=True
    )

    assert "1 story is waiting for an editor." in response.content.decode()
    assert list(Article.objects.in_review()) == [mine]
    client.post(CHANGELIST, {"action": "back_to_draft", "_selected_action": [mine.pk]})
    mine.refresh_from_db()
    assert mine.status == Article.Status.DRAFT


def test_a_story_in_review_is_not_public(client):
    story = ArticleFactory(status=Article.Status.REVIEW, published_at=None)
    assert not Article.objects.published().exists()
    assert client.get(story.get_absolute_url()).status_code == 404


def test_editor_queue_lists_stories_waiting_and_publishes_from_it(client, editor):
    waiting = ArticleFactory(title="Waiting story", status=Article.Status.REVIEW, published_at=None)
    ArticleFactory(title="A draft", draft=True)
    ArticleFactory(title="Public")

    queue = client.get(CHANGELIST, {"state": "review"})
    assert [s.title for s in queue.context["cl"].result_list] == ["Waiting story"]
    assert '<td class="field-state">Ready for review</td>' in queue.content.decode()

    client.post(CHANGELIST + "?state=review", {"action": "publish_now", "_selected_action": [waiting.pk]})
    assert list(Article.objects.published().filter(pk=waiting.pk)) == [waiting]


def test_dashboard_answers_the_newsrooms_questions(client, editor):
    me = AuthorFactory(user=editor)
    ArticleFactory(title="Waiting story", status=Article.Status.REVIEW, published_at=None)
    soon = timezone.now() + timedelta(hours=3)
    ArticleFactory(title="Out this afternoon", published_at=soon)
    ArticleFactory(title="Out next week", published_at=timezone.now() + timedelta(days=7))
    ArticleFactory(title="Out this morning")
    ArticleFactory(title="My unfinished story", draft=True, authors=[me])
    ArticleFactory(title="Someone else's draft", draft=True)

    response = client.get("/admin/")

    assert response.status_code == 200
    context = response.context
    assert [s.title for s in context["waiting_for_review"]] == ["Waiting story"]
    assert [s.title for s in context["scheduled_soon"]] == ["Out this afternoon"]
    assert [s.title for s in context["recently_published"]] == ["Out this morning"]
    assert [s.title for s in context["my_drafts"]] == ["My unfinished story"]
    html = response.content.decode()
    assert timezone.localtime(soon).strftime("%H:%M") in html
    for heading in [
        "Waiting for review",
        "Scheduled in the next 24 hours",
        "Recently published",
        "My drafts",
    ]:
        assert heading in html
    assert "Someone else" not in html


def test_journalists_dashboard_shows_their_own_drafts(client, journalist):
    ArticleFactory(title="Jo's draft", draft=True, created_by=journalist)
    response = client.get("/admin/")
    assert [s.title for s in response.context["my_drafts"]] == ["Jo's draft"]
