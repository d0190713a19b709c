"""The journalist's path: write, illustrate and tag a story in the admin, preview it; an editor publishes."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import drawn_picture, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADLINE = "Ferry service returns while the Iron Bridge is repaired"
DEK = "Two boats will carry foot passengers across the river every twenty minutes."


def log_in(page, username):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("secret-password")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def as_upload(name, width, height):
    upload = drawn_picture(name, width, height, sky=(200, 215, 235))
    return {"name": name, "mimeType": "image/jpeg", "buffer": upload.read()}


def pick(page, field_selector, typed, option):
    """Choose an option in one of the admin's autocomplete (select2) boxes."""
    page.locator(f"{field_selector} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=option).click()


def add_in_popup(page, link_selector, fill):
    """Follow a "+" link of a related field: the admin opens a form in a window, saving closes it."""
    with page.expect_popup() as popup_info:
        page.locator(link_selector).click()
    popup = popup_info.value
    fill(popup)
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Save", exact=True).click()


def test_journalist_writes_a_story_an_editor_publishes_it(new_context, site, artifacts):
    from articles.models import Article, Image
    from tests.factories import AuthorFactory, EditorFactory, JournalistFactory

    journalist = JournalistFactory(username="writer")
    AuthorFactory(name="Ines Baptista", slug="ines-baptista", user=journalist)
    EditorFactory(username="editor")

    context = new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "writer")
    page.goto("/admin/articles/article/add/")
    editable = page.locator(".ck-editor__editable[contenteditable=true]")
    expect(editable).to_be_visible()

    page.get_by_label("Headline:").press_sequentially(HEADLINE)
    expect(page.get_by_label("Slug:")).to_have_value(
        "ferry-service-returns-while-the-iron-bridge-is-repaired"
    )
    page.get_by_label("Dek:").fill(DEK)
    page.get_by_label("Section:").select_option(label="City")
    pick(page, ".field-author", "Ines", "Ines Baptista")

    # The hero picture, uploaded from a file through the "+" next to the field.
    def new_image(popup):
        popup.get_by_label("File:").set_input_files(as_upload("ferry.jpg", 1200, 675))
        popup.get_by_label("Alt text:").fill("A white ferry boat at the river landing")
        popup.get_by_label("Caption:").fill("The ferry at the north landing")
        popup.get_by_label("Credit:").fill("Ines Baptista")

    add_in_popup(page, "#add_id_hero_image", new_image)
    expect(page.locator(".field-hero_image .select2-selection")).to_contain_text(
        "The ferry at the north landing"
    )

    # Tags: one the site already has, one made on the spot.
    pick(page, ".field-tags", "Brid", "Bridges")

    def new_tag(popup):
        popup.get_by_label("Name:").press_sequentially("Ferries")

    add_in_popup(page, "#add_id_tags", new_tag)
    expect(page.locator(".field-tags .select2-selection")).to_contain_text("Ferries")

    # The body, typed into the editor: a bold word, a link and a picture uploaded from the editor.
    editable.click()
    page.keyboard.type("The ferry will run ")
    page.keyboard.press("Control+B")
    page.keyboard.type("daily")
    page.keyboard.press("Control+B")
    page.keyboard.type(" from Monday. Read the timetable.")
    expect(editable).to_contain_text("Read the timetable.")
    page.keyboard.press("ArrowLeft")
    for _ in "timetable":
        page.keyboard.press("Shift+ArrowLeft")
    # The editor copies the page's selection into its own a moment later; Ctrl+K links that one.
    page.wait_for_function(
        """() => {
            const range = window.editors["id_body"].model.document.selection.getFirstRange();
            return range.end.offset - range.start.offset === "timetable".length;
        }"""
    )
    page.keyboard.press("Control+K")
    page.keyboard.type("https://example.org/ferry-timetable")
    page.keyboard.press("Enter")
    expect(editable.locator("a[href='https://example.org/ferry-timetable']")).to_have_text("timetable")
    page.keyboard.press("Escape")  # close the link's balloon, back to the text
    expect(editable).to_be_focused()
    page.keyboard.press("End")
    page.wait_for_function(
        """() => {
            const selection = window.editors["id_body"].model.document.selection;
            return selection.isCollapsed && selection.getFirstPosition().isAtEnd;
        }"""
    )
    page.keyboard.press("Enter")
    page.locator(".ck-file-dialog-button input[type=file]").set_input_files(
        as_upload("landing.jpg", 900, 600)
    )
    expect(editable.locator("img[src*='/media/']")).to_be_visible()
    page.get_by_role("button", name="Change image text alternative").click()
    page.keyboard.type("Passengers waiting at the ferry landing")
    page.keyboard.press("Enter")
    expect(editable.locator("img[alt='Passengers waiting at the ferry landing']")).to_be_visible()

    screenshot(page, artifacts / "admin-story-form.png")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    story = Article.objects.get(slug="ferry-service-returns-while-the-iron-bridge-is-repaired")
    assert story.status == Article.Status.DRAFT
    assert {tag.name for tag in story.tags.all()} == {"Bridges", "Ferries"}
    assert story.hero_image.caption == "The ferry at the north landing"
    assert story.body.startswith(
        "<p>The ferry will run <strong>daily</strong> from Monday. Read the "
        '<a href="https://example.org/ferry-timetable" rel="noopener noreferrer">timetable</a>.</p>'
    ), story.body
    assert Image.objects.filter(uploaded_by=journalist).count() == 2

    # The preview: the journalist sees the draft on the site, marked as a draft.
    page.get_by_role("link", name="View on site").click()
    expect(page.locator(".draft-banner")).to_be_visible()
    expect(page.locator("h1.story-title")).to_have_text(HEADLINE)

    # Journalists cannot publish: an editor does.
    page.goto("/admin/")
    page.get_by_role("button", name="Log out").click()
    log_in(page, "editor")
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    page.get_by_label("Status:").select_option("published")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert errors == []

    page = new_context().new_page()
    response = page.goto(story.get_absolute_url())
    assert response.status == 200
    article = page.locator("article.story")
    expect(article.locator(".draft-banner")).to_have_count(0)
    expect(article.locator("h1.story-title")).to_have_text(HEADLINE)
    expect(article.locator(".story-dek")).to_have_text(DEK)
    expect(article.locator(".byline a[rel=author]")).to_have_attribute("href", "/author/ines-baptista/")
    hero = article.locator(".picture--hero")
    expect(hero.locator("img")).to_have_attribute("alt", "A white ferry boat at the river landing")
    expect(hero.locator("figcaption")).to_have_text("The ferry at the north landing (Ines Baptista)")
    assert hero.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    body = article.locator(".story-body")
    expect(body.locator("strong")).to_have_text("daily")
    expect(body.get_by_role("link", name="timetable")).to_have_attribute(
        "href", "https://example.org/ferry-timetable"
    )
    inline = body.locator("img")
    expect(inline).to_have_count(1)
    expect(inline).to_have_attribute("alt", "Passengers waiting at the ferry landing")
    expect(inline).to_have_attribute("width", re.compile(r"^\d+$"))
    expect(inline).to_have_attribute("height", re.compile(r"^\d+$"))
    assert inline.evaluate("img => img.complete && img.naturalWidth > 0")
    tags = article.locator(".in-this-story")
    expect(tags.get_by_role("heading")).to_have_text("In this Story")
    expect(tags.get_by_role("link")).to_have_text(["Bridges", "Ferries"])
    expect(article.locator(".keep-reading h2")).to_have_text("Keep reading")
    expect(article.locator(".keep-reading")).to_contain_text("Night buses return to the river route")
    expect(article.locator(".more-in-section h2")).to_have_text("More on City")
    expect(article.locator(".more-in-section")).to_contain_text("Street lights to stay on later")
    screenshot(page, artifacts / "journalist-story-1280.png")
