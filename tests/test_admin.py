"""The journalists' workplace: the admin, driven through the test client as journalists and editors."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Section, Tag
from tests.admin_forms import ADD, CHANGELIST, change_url, edit_form, form_errors, publish_time, story_form
from tests.factories import (
    BYLINE,
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
    story_bylined_out_of_order,
)

pytestmark = pytest.mark.django_db

REFUSED_NEW = "You can save this story as a draft or ready for review only"
BYLINE_REQUIRED = "Add at least one author: every story has a byline."
READ_ONLY_PUBLISHED = "This story is published or scheduled: only an editor can change it."
DUPLICATE_AUTHOR = "Please correct the duplicate data for author."


# The changelist


def test_changelist_shows_status_authors_and_filters(client, editor):
    section = SectionFactory(name="Harbour")
    ArticleFactory(title="Public story", section=section, authors=[AuthorFactory(name="Ana Ruiz")])
    ArticleFactory(title="Future story", scheduled=True, tags=[TagFactory()])
    ArticleFactory(title="Unfinished story", draft=True)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<td class="field-state">Published</td>' in html
    assert '<td class="field-state">Scheduled</td>' in html
    assert '<td class="field-state">Draft</td>' in html
    assert '<td class="field-byline">Ana Ruiz</td>' in html
    filter_titles = {spec.title for spec in response.context["cl"].filter_specs}
    assert {"status", "byline", "section", "authors", "tags"} <= {str(title) for title in filter_titles}


def test_changelist_names_the_authors_in_byline_order(client, editor):
    story_bylined_out_of_order()

    html = client.get(CHANGELIST).content.decode()

    assert f'<td class="field-byline">{", ".join(BYLINE)}</td>' in html


def test_changelist_lists_drafts_first_then_the_newest(client, editor):
    ArticleFactory(title="Yesterday", published_at=timezone.now() - timedelta(days=1))
    ArticleFactory(title="Last week", published_at=timezone.now() - timedelta(days=7))
    ArticleFactory(title="Unfinished", draft=True)

    response = client.get(CHANGELIST)

    assert [s.title for s in response.context["cl"].result_list] == ["Unfinished", "Yesterday", "Last week"]
    for column in ["1", "-2", "4", "-5"]:  # sorting by headline, section, status, publish time
        assert client.get(CHANGELIST, {"o": column}).status_code == 200


@pytest.mark.parametrize(
    ("state", "expected"),
    [("draft", {"Unfinished story"}), ("scheduled", {"Future story"}), ("published", {"Public story"})],
)
def test_status_filter(client, editor, state, expected):
    ArticleFactory(title="Public story")
    ArticleFactory(title="Future story", scheduled=True)
    ArticleFactory(title="Unfinished story", draft=True)

    response = client.get(CHANGELIST, {"state": state})

    assert {story.title for story in response.context["cl"].result_list} == expected


def test_section_author_and_tag_filters(client, editor):
    ana = AuthorFactory(name="Ana Ruiz")
    topic = TagFactory(name="Storms")
    harbour = SectionFactory()
    ArticleFactory(title="By Ana", authors=[ana])
    ArticleFactory(title="Tagged", tags=[topic])
    ArticleFactory(title="In the harbour section", section=harbour)

    def titles(**params):
        return {s.title for s in client.get(CHANGELIST, params).context["cl"].result_list}

    assert titles(authors__id__exact=ana.pk) == {"By Ana"}
    assert titles(tags__id__exact=topic.pk) == {"Tagged"}
    assert titles(section__id__exact=harbour.pk) == {"In the harbour section"}


def test_search_finds_headline_dek_slug_and_author_name(client, editor):
    ArticleFactory(title="Harbour reopens", subtitle="Boats return.", slug="harbour-reopens")
    ArticleFactory(title="Budget vote", authors=[AuthorFactory(name="Ingrid Mateos")])
    ArticleFactory(title="Other news", subtitle="Nothing about ships", slug="other-news")

    def found(term):
        return {s.title for s in client.get(CHANGELIST, {"q": term}).context["cl"].result_list}

    assert found("harbour") == {"Harbour reopens"}
    assert found("boats return") == {"Harbour reopens"}
    assert found("harbour-reopens") == {"Harbour reopens"}
    assert found("mateos") == {"Budget vote"}


def test_mine_filter_shows_only_the_users_stories(client, journalist):
    me = AuthorFactory(name="Jo Writer", user=journalist)
    colleague = AuthorFactory(name="Colleague")
    ArticleFactory(title="Mine alone", authors=[me])
    ArticleFactory(title="Written together", authors=[colleague, me])
    ArticleFactory(title="Not mine", authors=[colleague])

    response = client.get(CHANGELIST, {"mine": "yes"})

    assert response.status_code == 200
    assert {s.title for s in response.context["cl"].result_list} == {"Mine alone", "Written together"}


def test_changelist_queries_do_not_grow_with_the_number_of_stories(client, editor):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(CHANGELIST).status_code == 200
        return len(queries)

    ArticleFactory.create_batch(2, authors=[AuthorFactory(), AuthorFactory()])
    few = count_queries()
    ArticleFactory.create_batch(8, authors=[AuthorFactory(), AuthorFactory()])

    assert count_queries() == few


def test_admin_header_uses_the_site_name(client, editor):
    response = client.get("/admin/")
    assert settings.SITE_NAME in response.content.decode()


# Journalists write drafts


def test_journalist_creates_a_draft_with_authors_in_byline_order(client, journalist):
    section = SectionFactory()
    first, second = AuthorFactory(name="First"), AuthorFactory(name="Second")
    data = story_form(section, [first, second])
    data["article_authors-0-position"] = data["article_authors-1-position"] = "0"

    response = client.post(ADD, data)

    assert response.status_code == 302, form_errors(response)
    story = Article.objects.get(slug="harbour-reopens")
    assert story.status == Article.Status.DRAFT
    assert [row.author.name for row in story.article_authors.all()] == ["First", "Second"]
    assert [row.position for row in story.article_authors.all()] == [0, 1]
    assert not Article.objects.published().exists()


def test_journalist_cannot_publish_a_new_story(client, journalist):
    response = client.post(ADD, story_form(SectionFactory(), [AuthorFactory()], status="published"))

    assert response.status_code == 200
    assert REFUSED_NEW in form_errors(response)["status"][0]
    assert REFUSED_NEW in response.content.decode()
    assert not Article.objects.exists()


def scheduled_story_form():
    """A new story set to appear in two days."""
    in_two_days = publish_time(timezone.now() + timedelta(days=2))
    return story_form(SectionFactory(), [AuthorFactory()], status="published", **in_two_days)


def test_journalist_cannot_schedule_a_story(client, journalist):
    response = client.post(ADD, scheduled_story_form())

    assert response.status_code == 200
    assert REFUSED_NEW in form_errors(response)["status"][0]
    assert not Article.objects.exists()


def test_journalist_cannot_publish_an_existing_draft(client, journalist):
    story = ArticleFactory(draft=True, created_by=journalist)

    response = client.post(change_url(story), edit_form(story, status="published"))

    assert response.status_code == 200
    assert REFUSED_NEW in form_errors(response)["status"][0]
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    assert not Article.objects.published().exists()


def test_journalist_can_edit_their_draft(client, journalist):
    story = ArticleFactory(draft=True, created_by=journalist)

    response = client.post(change_url(story), edit_form(story, title="A better headline"))

    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    assert story.title == "A better headline"


@pytest.mark.parametrize("status", ["published", "draft"])
def test_journalist_cannot_change_a_published_story(client, journalist, status):
    me = AuthorFactory(user=journalist)
    story = ArticleFactory(title="The original headline", authors=[me], created_by=journalist)

    page = client.get(change_url(story))
    assert page.status_code == 200
    assert READ_ONLY_PUBLISHED in page.content.decode()
    assert not page.context["has_change_permission"]

    response = client.post(change_url(story), edit_form(story, title="Changed", status=status))

    assert response.status_code == 403
    story.refresh_from_db()
    assert (story.title, story.status) == ("The original headline", Article.Status.PUBLISHED)


def test_journalist_cannot_change_a_scheduled_story(client, journalist):
    story = ArticleFactory(title="Embargoed", scheduled=True, created_by=journalist)

    assert READ_ONLY_PUBLISHED in client.get(change_url(story)).content.decode()
    response = client.post(change_url(story), edit_form(story, title="Leaked"))

    assert response.status_code == 403
    story.refresh_from_db()
    assert story.title == "Embargoed"


# Editors publish


def test_editor_publishes_a_new_story_now(client, editor):
    response = client.post(ADD, story_form(SectionFactory(), [AuthorFactory()], status="published"))

    assert response.status_code == 302, form_errors(response)
    story = Article.objects.get(slug="harbour-reopens")
    assert story.published_at is not None
    assert list(Article.objects.published()) == [story]


def test_editor_schedules_a_story(client, editor):
    response = client.post(ADD, scheduled_story_form())

    assert response.status_code == 302, form_errors(response)
    assert not Article.objects.published().exists()
    assert Article.objects.scheduled().get().slug == "harbour-reopens"
    listing = client.get(CHANGELIST).content.decode()
    assert '<td class="field-state">Scheduled</td>' in listing


def test_editor_corrects_a_published_story(client, editor):
    story = ArticleFactory()

    response = client.post(change_url(story), edit_form(story, title="Corrected headline"))

    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    assert story.title == "Corrected headline"
    assert story.is_public


def test_publish_now_action(client, editor):
    draft = ArticleFactory(draft=True)
    scheduled = ArticleFactory(scheduled=True)
    old = ArticleFactory(published_at=timezone.now() - timedelta(days=30))
    old_time = old.published_at

    response = client.post(
        CHANGELIST,
        {"action": "publish_now", "_selected_action": [draft.pk, scheduled.pk, old.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "2 stories published." in response.content.decode()
    assert set(Article.objects.published()) == {draft, scheduled, old}
    old.refresh_from_db()
    assert old.published_at == old_time  # already public: keeps its date
    assert LogEntry.objects.filter(object_id=str(draft.pk)).exists()


def test_unpublish_action(client, editor):
    public = ArticleFactory()
    scheduled = ArticleFactory(scheduled=True)

    response = client.post(
        CHANGELIST, {"action": "unpublish", "_selected_action": [public.pk, scheduled.pk]}, follow=True
    )

    assert "2 stories unpublished." in response.content.decode()
    assert set(Article.objects.drafts()) == {public, scheduled}
    assert not Article.objects.published().exists()


def test_publish_actions_are_not_offered_to_journalists(client, journalist):
    draft = ArticleFactory(draft=True)

    response = client.get(CHANGELIST)
    assert b"publish_now" not in response.content
    assert b"unpublish" not in response.content

    client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_publish_actions_are_offered_to_editors(client, editor):
    ArticleFactory()
    response = client.get(CHANGELIST)
    assert b'value="publish_now"' in response.content
    assert b'value="unpublish"' in response.content


# Form errors, never a crash


def test_missing_headline_section_and_author_are_form_errors(client, editor):
    data = story_form(SectionFactory(), [])
    data.update(title="", section="")

    response = client.post(ADD, data)

    assert response.status_code == 200
    errors = form_errors(response)
    assert "title" in errors and "section" in errors
    inline_errors = response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert BYLINE_REQUIRED in inline_errors
    assert not Article.objects.exists()


def test_a_story_without_author_is_not_saved(client, editor):
    response = client.post(ADD, story_form(SectionFactory(), []))

    assert response.status_code == 200
    assert BYLINE_REQUIRED in response.content.decode()
    assert not Article.objects.exists()


def test_removing_the_last_author_is_refused(client, editor):
    story = ArticleFactory()
    data = edit_form(story)
    data["article_authors-0-DELETE"] = "on"

    response = client.post(change_url(story), data)

    assert response.status_code == 200
    assert BYLINE_REQUIRED in response.content.decode()
    assert story.article_authors.count() == 1


def test_duplicate_slug_is_a_form_error(client, editor):
    ArticleFactory(slug="harbour-reopens")

    response = client.post(ADD, story_form(SectionFactory(), [AuthorFactory()]))

    assert response.status_code == 200
    assert "already exists" in form_errors(response)["slug"][0]
    assert Article.objects.count() == 1


def test_same_author_twice_is_a_form_error(client, editor):
    ana = AuthorFactory()

    response = client.post(ADD, story_form(SectionFactory(), [ana, ana]))

    assert response.status_code == 200
    byline = response.context["inline_admin_formsets"][0].formset
    assert byline.non_form_errors() == [DUPLICATE_AUTHOR]
    assert byline.errors == [{}, {"__all__": ["Please correct the duplicate values below."]}]
    assert DUPLICATE_AUTHOR in response.content.decode()
    assert not Article.objects.exists()


def test_add_page_offers_tag_autocomplete_with_add_another(client, journalist):
    TagFactory(name="Harbour")

    page = client.get(ADD).content.decode()
    assert 'id="add_id_tags"' in page
    assert "admin-autocomplete" in page

    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "harb"},
    )
    assert found.status_code == 200
    assert [result["text"] for result in found.json()["results"]] == ["Harbour"]


def test_view_on_site_previews_a_draft(client, journalist):
    story = ArticleFactory(draft=True, title="Not out yet")

    page = client.get(change_url(story)).content.decode()
    link = re.search(r'<a href="([^"]+)" class="viewsitelink"', page).group(1)
    preview = client.get(link, follow=True)

    assert preview.redirect_chain[-1][0].endswith(story.get_absolute_url())
    assert preview.status_code == 200
    assert "Not out yet" in preview.content.decode()
    assert 'class="draft-banner"' in preview.content.decode()


# Tags, sections, authors, pages


def test_journalist_adds_a_tag_in_the_popup(client, journalist):
    assert client.get("/admin/articles/tag/add/", {"_popup": "1"}).status_code == 200

    response = client.post(
        "/admin/articles/tag/add/?_popup=1", {"name": "Harbour", "slug": "harbour", "_popup": "1"}
    )

    assert response.status_code == 200
    assert "popup_response" in [t.name.split("/")[-1].split(".")[0] for t in response.templates]
    assert Tag.objects.filter(slug="harbour").exists()


def test_tag_slug_differing_only_in_case_is_a_form_error(client, journalist):
    TagFactory(name="Harbour", slug="harbour")

    response = client.post("/admin/articles/tag/add/", {"name": "HARBOUR", "slug": "Harbour"})

    assert response.status_code == 200
    message = form_errors(response)["slug"][0]
    assert "already uses the slug" in message and "Harbour" in message
    assert Tag.objects.count() == 1


def test_editing_a_tag_keeps_its_own_slug(client, journalist):
    tag = TagFactory(name="Harbour", slug="harbour")

    response = client.post(
        f"/admin/articles/tag/{tag.pk}/change/", {"name": "The harbour", "slug": "Harbour"}
    )

    assert response.status_code == 302
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("The harbour", "Harbour")


def test_section_positions_are_editable_in_the_list(client, editor):
    first, second = SectionFactory(position=1), SectionFactory(position=2)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": str(first.pk),
        "form-0-position": "5",
        "form-1-id": str(second.pk),
        "form-1-position": "2",
        "_save": "Save",
    }

    response = client.post("/admin/articles/section/", data)

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.position == 5


@pytest.mark.parametrize("slug", ["search", "tag", "Newsletter", "feed"])
def test_a_section_cannot_take_the_address_of_another_page(client, editor, slug):
    response = client.post(
        "/admin/articles/section/add/", {"name": "Our pick", "slug": slug, "description": "", "position": "0"}
    )

    assert response.status_code == 200
    assert form_errors(response)["slug"] == [
        f"“{slug}” is used by another page of the site; pick another slug."
    ]
    assert not Section.objects.exists()


def test_a_section_with_its_own_slug_is_added(client, editor):
    data = {"name": "Our pick", "slug": "our-pick", "description": "", "position": "0"}
    assert client.post("/admin/articles/section/add/", data).status_code == 302
    assert Section.objects.get().get_absolute_url() == "/our-pick/"


@pytest.mark.parametrize("model", ["section", "tag", "author", "page", "image"])
def test_other_admin_pages_load(client, superuser, model):
    client.force_login(superuser)
    assert client.get(f"/admin/articles/{model}/").status_code == 200
    assert client.get(f"/admin/articles/{model}/add/").status_code == 200
    assert client.get(f"/admin/articles/{model}/", {"q": "x"}).status_code == 200


def test_story_list_and_form_show_the_hero_picture(client, editor):
    image = ImageFactory(alt_text="Crowd at the harbour")
    story = ArticleFactory(hero_image=image)
    thumbnail_url = image.rendition(0).file.url

    assert thumbnail_url in client.get(CHANGELIST).content.decode()
    assert thumbnail_url in client.get(change_url(story)).content.decode()


@pytest.mark.parametrize("img", ['<img src="/media/a.webp">', '<img src="/media/a.webp" alt="  ">'])
def test_a_body_picture_without_alt_text_is_a_form_error(client, journalist, img):
    body = f'<figure class="image">{img}</figure><p>Text.</p>'

    response = client.post(ADD, story_form(SectionFactory(), [AuthorFactory()], body=body))

    assert response.status_code == 200
    assert "needs a text alternative" in str(form_errors(response)["body"])
    assert not Article.objects.exists()


def test_a_body_picture_with_alt_text_is_saved(client, journalist):
    body = '<figure class="image"><img src="/media/a.webp" alt="Boats in the harbour"></figure>'

    response = client.post(ADD, story_form(SectionFactory(), [AuthorFactory()], body=body))

    assert response.status_code == 302, form_errors(response)
    assert 'alt="Boats in the harbour"' in Article.objects.get().body
