"""Preview links (issue 10, point 8): made from a draft by its author or an editor, valid, expired,
revoked and tampered, over HTTP."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import PreviewLink
from tests.factories import ArticleFactory, AuthorFactory, EditorFactory, JournalistFactory

pytestmark = pytest.mark.django_db


def make_link(client, story):
    response = client.post(f"/admin/articles/article/{story.pk}/preview-links/", follow=True)
    assert response.status_code == 200
    return re.search(r"http://testserver(/preview/[^/\s<\"]+/)", response.content.decode())[1]


@pytest.fixture
def author_client():
    journalist = JournalistFactory()
    client = Client()
    client.force_login(journalist)
    story = ArticleFactory(draft=True, title="Harbour plans leaked", authors=[AuthorFactory(user=journalist)])
    return client, story


def test_the_author_makes_a_link_anyone_can_open(author_client):
    client, story = author_client
    path = make_link(client, story)

    response = Client().get(path)

    assert response.status_code == 200
    assert "Harbour plans leaked" in response.content.decode()
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert Client().get(story.get_absolute_url()).status_code == 404  # the story itself stays private


def test_an_expired_link_is_a_404(author_client):
    client, story = author_client
    path = make_link(client, story)
    PreviewLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(path).status_code == 404


def test_a_revoked_link_is_a_404(author_client):
    client, story = author_client
    path = make_link(client, story)
    link = PreviewLink.objects.get()
    assert path in client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()

    client.post(f"/admin/articles/article/{story.pk}/preview-links/{link.pk}/revoke/")

    assert Client().get(path).status_code == 404


def test_the_admin_shows_the_same_address_later(author_client):
    """The address handed out is the one the story's page keeps showing, whatever the clock says."""
    client, story = author_client
    path = make_link(client, story)

    an_hour_later = time.time() + 3600
    with mock.patch("time.time", return_value=an_hour_later):
        shown = client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()

    assert path in shown
    assert Client().get(path).status_code == 200


def test_a_tampered_link_is_a_404(author_client):
    client, story = author_client
    path = make_link(client, story)
    token = path.split("/")[2]
    other = ArticleFactory(draft=True)
    other_link = PreviewLink.objects.create(article=other, expires_at=timezone.now() + timedelta(hours=1))
    forged = f"{other_link.pk}:{token.split(':')[1]}"  # another link's id, the old signature

    assert Client().get(f"/preview/{forged}/").status_code == 404
    assert Client().get(f"/preview/{token[:-2]}xx/").status_code == 404
    assert Client().get("/preview/not-a-token/").status_code == 404


def test_a_link_older_than_the_setting_is_a_404_even_if_the_row_says_otherwise(author_client, settings):
    client, story = author_client
    path = make_link(client, story)
    settings.PREVIEW_LINK_HOURS = 0
    assert Client().get(path).status_code == 404


def test_only_the_author_or_an_editor_makes_links():
    story = ArticleFactory(draft=True)
    colleague = Client()
    colleague.force_login(JournalistFactory())
    assert colleague.post(f"/admin/articles/article/{story.pk}/preview-links/").status_code == 403

    editor = Client()
    editor.force_login(EditorFactory())
    assert make_link(editor, story).startswith("/preview/")
