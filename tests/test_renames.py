"""Old addresses belong to their story, and renamed sections, tags and authors redirect (issue 10,
points 5 and 6), through the admin's forms and over HTTP."""

import pytest

from articles.models import Article
from tests.admin_forms import ADD, change_url, edit_form, story_form
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    EditorFactory,
    JournalistFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def test_a_draft_cannot_take_over_an_old_address(client):
    # Measured: after an editor renamed a published story, a journalist created a draft with the old
    # slug and renamed it; the old address then led to the draft and readers got a 404.
    editor, journalist = EditorFactory(), JournalistFactory()
    section = SectionFactory(slug="city")
    story = ArticleFactory(section=section, slug="harbour-reopens")
    client.force_login(editor)
    assert client.post(change_url(story), edit_form(story, slug="harbour-reopens-monday")).status_code == 302

    client.force_login(journalist)
    data = story_form(section, [AuthorFactory(user=journalist)], slug="harbour-reopens")
    response = client.post(ADD, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["slug"]
    assert "old address of the published story" in errors[0]

    # A draft that somehow holds the slug (made before the rename) and is renamed gets no hold on it.
    draft = ArticleFactory(draft=True, section=section, slug="harbour-draft", created_by=journalist)
    Article.objects.filter(pk=draft.pk).update(slug="harbour-reopens")
    draft.refresh_from_db()
    assert client.post(change_url(draft), edit_form(draft, slug="harbour-other")).status_code == 302

    client.logout()
    response = client.get("/city/harbour-reopens/")
    assert response.status_code == 301
    assert response["Location"] == "/city/harbour-reopens-monday/"


def test_a_draft_does_not_shadow_an_old_address_once_published(client):
    section = SectionFactory(slug="city")
    story = ArticleFactory(section=section, slug="old-name")
    story.slug = "new-name"
    story.save()
    client.force_login(EditorFactory())

    response = client.post(ADD, story_form(section, [AuthorFactory()], slug="old-name", status="published"))

    assert response.status_code == 200
    assert "pick another slug" in response.context["adminform"].form.errors["slug"][0]
    client.logout()
    assert client.get("/city/old-name/")["Location"] == "/city/new-name/"


def test_the_story_itself_may_go_back_to_its_old_slug(client):
    story = ArticleFactory(slug="first")
    story.slug = "second"
    story.save()
    client.force_login(EditorFactory())
    assert client.post(change_url(story), edit_form(story, slug="first")).status_code == 302
    client.logout()
    assert client.get(f"/{story.section.slug}/second/")["Location"] == f"/{story.section.slug}/first/"


def test_renamed_tag_redirects(client):
    # Measured: a renamed tag's old page was a 404.
    tag = TagFactory(name="Storms", slug="storms")
    ArticleFactory(tags=[tag])
    client.force_login(EditorFactory())
    assert client.post(change_url(tag), {"name": "Weather", "slug": "weather"}).status_code == 302
    client.logout()

    response = client.get("/tag/storms/?page=1")

    assert response.status_code == 301
    assert response["Location"] == "/tag/weather/?page=1"
    assert client.get("/tag/weather/").status_code == 200


def test_renamed_section_redirects_its_page_and_stories(client):
    section = SectionFactory(name="City", slug="city")
    story = ArticleFactory(section=section, slug="harbour")
    client.force_login(EditorFactory())
    response = client.post(
        change_url(section), {"name": "Metro", "slug": "metro", "description": "", "position": "0"}
    )
    assert response.status_code == 302
    client.logout()

    assert client.get("/city/")["Location"] == "/metro/"
    assert client.get("/city/harbour/")["Location"] == "/metro/harbour/"
    assert client.get(story.get_absolute_url()).status_code == 301  # the cached object's old section
    assert client.get("/metro/harbour/").status_code == 200


def test_renamed_author_redirects(client):
    author = AuthorFactory(name="Ana Ruiz", slug="ana-ruiz")
    ArticleFactory(authors=[author])
    client.force_login(EditorFactory())
    data = {"name": "Ana Ruiz Soto", "slug": "ana-ruiz-soto", "role": "", "bio": "", "photo": "", "user": ""}
    assert client.post(change_url(author), data).status_code == 302
    client.logout()

    assert client.get("/author/ana-ruiz/")["Location"] == "/author/ana-ruiz-soto/"


def test_a_slug_in_use_again_is_not_redirected(client):
    old = TagFactory(slug="storms")
    old.slug = "weather"
    old.save()
    TagFactory(slug="storms", name="Storms again")
    ArticleFactory(tags=[old])

    assert client.get("/tag/storms/").status_code == 200


def test_unknown_tag_is_still_404(client):
    assert client.get("/tag/nothing-here/").status_code == 404
