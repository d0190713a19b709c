"""Who may change what in the admin (issue 10, point 1), through the admin's real forms.

Journalists change only stories they created or are bylined on, and only while not public; pictures
and tags shown by a public story, and authors, only editors. What a user may not change is shown
read-only with a line saying why.
"""

import pytest

from articles.models import Article, Image, Tag
from tests.admin_forms import ADD, change_url, edit_form, story_form
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    JournalistFactory,
    SectionFactory,
    TagFactory,
    uploaded_image,
)

pytestmark = pytest.mark.django_db


def stories_for(user):
    """One story of each kind that matters to `user` (a journalist)."""
    me, colleague = AuthorFactory(user=user), AuthorFactory(name="Colleague")
    return {
        "own draft": ArticleFactory(draft=True, created_by=user, authors=[colleague]),
        "bylined draft": ArticleFactory(draft=True, authors=[colleague, me]),
        "own submitted": ArticleFactory(status=Article.Status.REVIEW, published_at=None, authors=[me]),
        "colleague's draft": ArticleFactory(draft=True, authors=[colleague]),
        "colleague's submitted": ArticleFactory(
            status=Article.Status.REVIEW, published_at=None, authors=[colleague]
        ),
        "own public": ArticleFactory(authors=[me], created_by=user),
        "own scheduled": ArticleFactory(scheduled=True, authors=[me]),
    }


JOURNALIST_MAY = {"own draft", "bylined draft", "own submitted"}


@pytest.mark.parametrize(
    "kind",
    [
        "own draft",
        "bylined draft",
        "own submitted",
        "colleague's draft",
        "colleague's submitted",
        "own public",
        "own scheduled",
    ],
)
def test_journalist_changes_only_their_own_stories_that_are_not_public(client, journalist, kind):
    story = stories_for(journalist)[kind]
    before = story.title

    page = client.get(change_url(story))
    response = client.post(change_url(story), edit_form(story, title="Changed by Jo"))

    story.refresh_from_db()
    assert page.status_code == 200
    if kind in JOURNALIST_MAY:
        assert page.context["has_change_permission"]
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert story.title == "Changed by Jo"
    else:
        assert not page.context["has_change_permission"]
        assert b"readonly-reason" in page.content
        assert response.status_code == 403
        assert story.title == before


def test_journalist_cannot_swap_the_byline_of_a_colleagues_draft(client, journalist):
    # Measured: a journalist edited a colleague's draft and swapped its byline.
    colleague = AuthorFactory(name="Colleague")
    story = ArticleFactory(draft=True, authors=[colleague])
    data = edit_form(story)
    data["article_authors-0-author"] = str(AuthorFactory(user=journalist).pk)

    page = client.get(change_url(story))
    response = client.post(change_url(story), data)

    assert response.status_code == 403
    assert "colleague&#x27;s" in page.content.decode() or "colleague's" in page.content.decode()
    assert [a.name for a in story.authors.all()] == ["Colleague"]


def test_editor_changes_every_story(client, editor):
    for story in stories_for(JournalistFactory()).values():
        response = client.post(change_url(story), edit_form(story, title="Edited by the editor"))
        assert response.status_code == 302, response.context["adminform"].form.errors
        story.refresh_from_db()
        assert story.title == "Edited by the editor"


def test_a_new_story_belongs_to_its_creator(client, journalist):
    response = client.post(ADD, story_form(SectionFactory(), [AuthorFactory()]))
    assert response.status_code == 302
    story = Article.objects.get()
    assert story.created_by == journalist
    assert client.post(change_url(story), edit_form(story, title="Still mine")).status_code == 302


def test_journalist_form_offers_only_draft_and_review(client, journalist):
    # Measured: the form offered "Published" and the publish-time fields, only to refuse them on save.
    html = client.get("/admin/articles/article/add/").content.decode()
    assert 'value="draft"' in html and 'value="review"' in html
    assert 'value="published"' not in html
    assert 'name="published_at_0"' not in html
    assert 'name="updated_note"' not in html


def test_editor_form_offers_publishing(client, editor):
    html = client.get("/admin/articles/article/add/").content.decode()
    assert 'value="published"' in html
    assert 'name="published_at_0"' in html
    assert 'name="updated_note"' in html


# Pictures


def image_form(image, **fields):
    data = {
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "focal_x": "",
        "focal_y": "",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize("use", ["hero", "body"])
def test_journalist_cannot_change_a_picture_a_public_story_shows(client, journalist, use):
    # Measured: a journalist replaced the file, caption and credit of a published story's hero.
    image = ImageFactory(caption="The harbour at dawn")
    if use == "hero":
        ArticleFactory(hero_image=image)
    else:
        url = image.rendition(1200).file.url
        ArticleFactory(body=f'<p>Text</p><figure class="image"><img src="{url}" alt="Boats"></figure>')

    page = client.get(change_url(image))
    response = client.post(
        change_url(image), image_form(image, caption="Replaced", file=uploaded_image("other.png"))
    )

    assert "only an editor can change it" in page.content.decode()
    assert response.status_code == 403
    image.refresh_from_db()
    assert image.caption == "The harbour at dawn"


def test_journalist_changes_a_picture_only_drafts_use_and_adds_new_ones(client, journalist):
    image = ImageFactory(caption="Draft picture")
    ArticleFactory(draft=True, hero_image=image)

    response = client.post(change_url(image), image_form(image, caption="Better caption"))
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.caption == "Better caption"

    added = client.post(
        "/admin/articles/image/add/",
        {
            "file": uploaded_image(),
            "alt_text": "A new picture",
            "caption": "",
            "credit": "",
            "focal_x": "",
            "focal_y": "",
        },
    )
    assert added.status_code == 302
    assert Image.objects.count() == 2


def test_editor_changes_a_picture_a_public_story_shows(client, editor):
    image = ImageFactory()
    ArticleFactory(hero_image=image)
    response = client.post(change_url(image), image_form(image, caption="Corrected caption"))
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.caption == "Corrected caption"


# Tags and authors


def test_journalist_cannot_rename_a_tag_of_a_public_story(client, journalist):
    # Measured: a journalist renamed a tag used by published stories.
    tag = TagFactory(name="Storms", slug="storms")
    ArticleFactory(tags=[tag])

    page = client.get(change_url(tag))
    response = client.post(change_url(tag), {"name": "Weather", "slug": "weather"})

    assert "Published stories use this tag" in page.content.decode()
    assert response.status_code == 403
    tag.refresh_from_db()
    assert tag.slug == "storms"


def test_journalist_renames_a_tag_only_drafts_use_and_adds_tags(client, journalist):
    tag = TagFactory(name="Storms", slug="storms")
    ArticleFactory(draft=True, tags=[tag])

    assert client.post(change_url(tag), {"name": "Weather", "slug": "weather"}).status_code == 302
    assert client.post("/admin/articles/tag/add/", {"name": "Ports", "slug": "ports"}).status_code == 302
    assert set(Tag.objects.values_list("slug", flat=True)) == {"weather", "ports"}


def test_editor_renames_a_tag_of_a_public_story(client, editor):
    tag = TagFactory(name="Storms", slug="storms")
    ArticleFactory(tags=[tag])
    assert client.post(change_url(tag), {"name": "Weather", "slug": "weather"}).status_code == 302


def test_journalist_sees_authors_read_only_with_the_reason(client, journalist):
    author = AuthorFactory(name="Ana Ruiz")
    ArticleFactory(authors=[author])

    page = client.get(change_url(author))
    response = client.post(change_url(author), {"name": "Someone else", "slug": author.slug})

    assert "Authors are changed by editors" in page.content.decode()
    assert response.status_code == 403
    author.refresh_from_db()
    assert author.name == "Ana Ruiz"
