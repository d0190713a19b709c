"""No silent overwrite, and who else is editing (issue 10, point 4), through the admin over HTTP."""

import re

import pytest
from django.test import Client

from articles import editing
from articles.models import Article
from tests.admin_forms import edit_form
from tests.factories import ArticleFactory, EditorFactory

pytestmark = pytest.mark.django_db


def url(story, suffix="change/"):
    return f"/admin/articles/article/{story.pk}/{suffix}"


def signed_in(first_name):
    client = Client()
    client.force_login(EditorFactory(first_name=first_name, last_name="Editor"))
    return client


def opened_form(client, story):
    """Open the change form; return the version stamp it carries, as the browser would send it."""
    html = client.get(url(story)).content.decode()
    return re.search(r'name="loaded_version" value="([^"]+)"', html)[1]


def test_a_stale_save_is_refused_naming_who_and_when_and_keeps_the_text():
    # Measured: two people saving the same story, the later save silently overwrote the earlier.
    story = ArticleFactory(title="Harbour reopens", body="<p>First words.</p>")
    ana, ben = signed_in("Ana"), signed_in("Ben")
    ana_stamp, ben_stamp = opened_form(ana, story), opened_form(ben, story)

    saved = ben.post(url(story), edit_form(story, body="<p>Ben's careful fix.</p>", loaded_version=ben_stamp))
    assert saved.status_code == 302

    response = ana.post(
        url(story), edit_form(story, body="<p>Ana's long new paragraph.</p>", loaded_version=ana_stamp)
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ben Editor saved this story at" in html
    assert "Ana&#x27;s long new paragraph." in html or "Ana's long new paragraph." in html
    story.refresh_from_db()
    assert story.body == "<p>Ben's careful fix.</p>"


def test_a_fresh_save_goes_through_and_the_next_one_too():
    story = ArticleFactory()
    ana = signed_in("Ana")
    assert (
        ana.post(
            url(story), edit_form(story, title="One", loaded_version=opened_form(ana, story))
        ).status_code
        == 302
    )
    story.refresh_from_db()
    assert (
        ana.post(
            url(story), edit_form(story, title="Two", loaded_version=opened_form(ana, story))
        ).status_code
        == 302
    )
    assert Article.objects.get(pk=story.pk).title == "Two"


def test_others_opening_a_story_see_who_is_editing_it(monkeypatch):
    story = ArticleFactory()
    ana, ben = signed_in("Ana"), signed_in("Ben")
    clock = [1_000_000.0]
    monkeypatch.setattr(editing.time, "time", lambda: clock[0])

    assert ana.get(url(story)).context["also_editing"] == []
    page = ben.get(url(story))
    assert page.context["also_editing"] == ["Ana Editor"]
    assert "Also editing this story now: Ana Editor." in page.content.decode()

    # Ana's open form pings; Ben's ping sees her.
    clock[0] += 240
    assert ana.post(url(story, "editing/")).json() == {"others": ["Ben Editor"]}

    # Ben closes his tab: five minutes without a ping and he is gone from the notice.
    clock[0] += 301
    assert ana.post(url(story, "editing/")).json() == {"others": []}


def test_the_editing_ping_needs_post_and_the_right_to_change():
    story = ArticleFactory()
    ana = signed_in("Ana")
    assert ana.get(url(story, "editing/")).status_code == 403
    anonymous = Client()
    assert anonymous.post(url(story, "editing/")).status_code == 302  # to the sign-in page
