"""The newsroom's workflow in a real browser: a journalist submits a story for review, an editor
publishes it from the queue and adds a correction; two editors on one story see each other and
the later stale save is refused. Screenshots go to artifacts/."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_journalist import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def save(page):
    page.locator("input[name=_continue]").first.click()


def test_from_draft_to_review_to_published_with_a_correction(new_context, site, artifacts):
    from articles.models import Article
    from tests.factories import ArticleFactory, AuthorFactory, EditorFactory, JournalistFactory

    journalist = JournalistFactory(username="writer")
    author = AuthorFactory(name="Ines Baptista", slug="ines-baptista", user=journalist)
    EditorFactory(username="editor")
    story = ArticleFactory(
        title="Night buses return to the old routes",
        draft=True,
        authors=[author],
        section=site["sections"][0],
    )

    writer = new_context().new_page()
    log_in(writer, "writer")
    writer.goto(f"/admin/articles/article/{story.pk}/change/")
    expect(writer.locator("#id_status option[value=published]")).to_have_count(0)
    expect(writer.locator("#id_published_at_0")).to_have_count(0)
    writer.select_option("#id_status", "review")
    save(writer)
    expect(writer.locator(".messagelist")).to_contain_text("was changed successfully")

    editor = new_context().new_page()
    log_in(editor, "editor")
    waiting = editor.locator("#waiting-for-review")
    expect(waiting).to_contain_text("Night buses return to the old routes")
    screenshot(editor, artifacts / "admin-dashboard.png")

    waiting.get_by_role("link", name="Waiting for review").click()
    expect(editor.locator("#result_list")).to_contain_text("Ready for review")
    editor.locator("input.action-select").first.check()
    editor.select_option("select[name=action]", "publish_now")
    editor.locator("button[name=index]").first.click()
    expect(editor.locator(".messagelist")).to_contain_text("1 story published.")
    assert Article.objects.published().filter(pk=story.pk).exists()

    editor.goto(f"/admin/articles/article/{story.pk}/change/")
    editor.locator("#corrections-group .add-row a").click()
    editor.fill("#id_corrections-0-text", "An earlier version gave the wrong first departure time.")
    save(editor)
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    reader = new_context().new_page()
    reader.goto(story.get_absolute_url())
    expect(reader.locator(".story-notes")).to_contain_text("wrong first departure time")
    expect(reader.locator(".byline__updated")).to_have_count(1)


def test_second_editor_sees_the_first_and_a_stale_save_is_refused(new_context, site, artifacts):
    from tests.factories import ArticleFactory, EditorFactory

    EditorFactory(username="ana", first_name="Ana", last_name="Ruiz")
    EditorFactory(username="ben", first_name="Ben", last_name="Okafor")
    story = ArticleFactory(title="Harbour reopens after the storm", section=site["sections"][0])
    change = f"/admin/articles/article/{story.pk}/change/"

    ana = new_context().new_page()
    log_in(ana, "ana")
    ana.goto(change)
    ben = new_context().new_page()
    log_in(ben, "ben")
    ben.goto(change)
    expect(ben.locator(".also-editing")).to_contain_text("Also editing this story now: Ana Ruiz.")

    ben.fill("#id_title", "Harbour reopens after the storm, a day early")
    save(ben)
    expect(ben.locator(".messagelist")).to_contain_text("was changed successfully")

    ana.fill("#id_subtitle", "Ana's new dek, typed before Ben saved.")
    save(ana)
    expect(ana.locator(".errornote, .errorlist").first).to_be_visible()
    expect(ana.locator("body")).to_contain_text(re.compile(r"Ben Okafor saved this story at"))
    expect(ana.locator("#id_subtitle")).to_have_value("Ana's new dek, typed before Ben saved.")
    screenshot(ana, artifacts / "admin-stale-save-refused.png")

    # Ana opens the story again (Ben's headline in it) and saves her dek on top of his change.
    ana.goto(change)
    ana.fill("#id_subtitle", "Ana's new dek, typed before Ben saved.")
    save(ana)
    expect(ana.locator(".messagelist")).to_contain_text("was changed successfully")

    ana.goto(f"/admin/articles/article/{story.pk}/history/")
    ana.get_by_role("button", name="Compare the two versions").click()
    expect(ana.locator(".word-diff")).to_contain_text("typed before Ben saved")
    expect(ana.locator(".word-diff del").first).to_be_visible()
    screenshot(ana, artifacts / "admin-history-diff.png")


def test_journalists_story_list_keeps_a_readable_headline_column_at_1280(new_context, site, artifacts):
    # Measured: at 1280 px the journalist's story list squeezed the headline column under 100 px.
    from tests.factories import ArticleFactory, AuthorFactory, JournalistFactory

    journalist = JournalistFactory(username="writer")
    me = AuthorFactory(name="Ines Baptista", user=journalist)
    ArticleFactory(
        title="A long headline about the council's plan to repair every bridge in the old town this year",
        draft=True,
        authors=[me, AuthorFactory(name="Someone With A Long Name"), AuthorFactory(name="A Third Writer")],
        section=site["sections"][0],
    )
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, "writer")
    page.goto("/admin/articles/article/")

    width = page.locator("#result_list td.field-title").first.evaluate(
        "cell => cell.getBoundingClientRect().width"
    )
    assert width >= 200, width
    screenshot(page, artifacts / "journalist-story-list-1280.png")
