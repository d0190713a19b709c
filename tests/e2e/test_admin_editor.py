"""The story editor in a real browser: CKEditor starts with the toolbar of the settings, cleans a paste
from Word and Google Docs, turns typed straight quotes into typographic ones, and a journalist saves
a draft through the admin."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TOOLBAR = [
    "Bold",
    "Italic",
    "Link",
    "Bulleted List",
    "Numbered List",
    "Block quote",
    "Upload image from computer",
    "Insert media",
    "Undo",
    "Redo",
]
WORD_PASTE = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>'
    '<meta name=Generator content="Microsoft Word 15"><style>p.MsoNormal{margin:0}</style></head><body>'
    "<!--StartFragment--><p class=MsoNormal><b><span style='font-family:Calibri;color:red'>Word bold"
    "</span></b> text<o:p></o:p></p>"
    "<table class=MsoTableGrid><tr><td style='border:solid 1pt'>Cell</td></tr></table>"
    "<!--EndFragment--></body></html>"
)
DOCS_PASTE = (
    '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1a2b3c4d-7fff">'
    '<p dir="ltr" style="line-height:1.38"><span style="font-size:11pt;font-family:Arial;font-weight:700;'
    'color:#000000">Docs bold</span><span style="font-size:11pt;color:#000000"> and plain</span></p>'
    '<h2 dir="ltr"><span style="font-size:16pt">Docs heading</span></h2></b>'
)
PASTE = """([html]) => {
    const editable = document.querySelector('.ck-editor__editable');
    editable.focus();
    const data = new DataTransfer();
    data.setData('text/html', html);
    data.setData('text/plain', 'pasted');
    const paste = new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true});
    editable.dispatchEvent(paste);
}"""


@pytest.fixture
def journalist_page(page, live_server):
    from tests.factories import AuthorFactory, JournalistFactory, SectionFactory

    user = JournalistFactory(username="writer")
    AuthorFactory(name="Marta Quiroga", user=user)
    SectionFactory(name="City")
    page.goto("/admin/login/")
    page.fill("#id_username", "writer")
    page.fill("#id_password", "secret-password")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def open_editor(page, errors):
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/admin/articles/article/add/")
    page.wait_for_selector(".ck-editor__editable[contenteditable=true]")


def editor_data(page):
    return page.evaluate("window.editors['id_body'].getData()")


def test_editor_starts_with_the_configured_toolbar(journalist_page):
    errors = []
    open_editor(journalist_page, errors)

    labels = journalist_page.locator(".ck-toolbar__items .ck-button__label").all_text_contents()
    assert set(TOOLBAR) <= set(labels), labels
    assert journalist_page.locator(".ck-heading-dropdown").count() == 1
    assert errors == []


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        (WORD_PASTE, ["<p><strong>Word bold</strong> text</p>", "<p>Cell</p>"]),
        (DOCS_PASTE, ["<p><strong>Docs bold</strong> and plain</p>", "<h2>Docs heading</h2>"]),
    ],
)
def test_paste_from_office_arrives_clean(journalist_page, pasted, expected):
    errors = []
    open_editor(journalist_page, errors)

    journalist_page.evaluate(PASTE, [pasted])

    data = editor_data(journalist_page)
    for html in expected:
        assert html in data
    for junk in ["style=", "class=", "<span", "<table", "<b ", "docs-internal", "<!--"]:
        assert junk not in data
    assert errors == []


def test_media_embed_keeps_the_url_and_loads_nothing_from_the_videos_host(journalist_page):
    page = journalist_page
    elsewhere = []
    page.on("request", lambda request: "://localhost" not in request.url and elsewhere.append(request.url))
    open_editor(page, [])

    page.evaluate("window.editors['id_body'].execute('mediaEmbed', 'https://www.youtube.com/watch?v=abc123')")

    assert editor_data(page).startswith(
        '<figure class="media"><oembed url="https://www.youtube.com/watch?v=abc123"></oembed></figure>'
    )
    # The editor has drawn the embed (its placeholder box) and drew no player in it.
    expect(page.locator(".ck-editor__editable figure.media .ck-media__wrapper")).to_be_visible()
    assert page.locator(".ck-editor__editable iframe").count() == 0
    assert elsewhere == []


def test_journalist_writes_and_saves_a_draft(journalist_page):
    from articles.models import Article

    page = journalist_page
    open_editor(page, [])
    page.locator("#id_title").press_sequentially("Bridge repairs start on Monday")
    assert page.input_value("#id_slug") == "bridge-repairs-start-on-monday"
    page.select_option("#id_section", label="City")
    page.click(".ck-editor__editable")
    page.keyboard.type("The first beams arrive by river.")
    page.click(".field-author .select2-selection")
    page.fill(".select2-search__field", "Marta")
    page.click(".select2-results__option:has-text('Marta Quiroga')")
    page.keyboard.press("Escape")  # let go of the author list before pressing Save
    page.locator(".submit-row input[name=_save]").last.click()
    page.wait_for_selector(".messagelist .success")

    story = Article.objects.get(slug="bridge-repairs-start-on-monday")
    assert story.status == Article.Status.DRAFT
    assert story.body == "<p>The first beams arrive by river.</p>"
    assert [author.name for author in story.authors.all()] == ["Marta Quiroga"]


def fill_in_a_draft(page, title):
    page.locator("#id_title").press_sequentially(title)
    page.select_option("#id_section", label="City")
    page.click(".field-author .select2-selection")
    page.fill(".select2-search__field", "Marta")
    page.click(".select2-results__option:has-text('Marta Quiroga')")
    page.keyboard.press("Escape")


def test_typed_quotes_dashes_and_ellipses_are_saved_typographic(journalist_page):
    from articles.models import Article

    page = journalist_page
    errors = []
    open_editor(page, errors)
    fill_in_a_draft(page, "Mayor quits")
    page.click(".ck-editor__editable")
    page.keyboard.type("He said \"it's done...\" -- then left, 'for good' --- or so")
    page.locator(".submit-row input[name=_save]").last.click()
    page.wait_for_selector(".messagelist .success")

    story = Article.objects.get(slug="mayor-quits")
    assert story.body == "<p>He said “it’s done…” – then left, ‘for good’ — or so</p>"
    assert errors == []


@pytest.mark.parametrize("key", ["Control+z", "Backspace"])
def test_undo_right_after_gives_back_the_straight_character(journalist_page, key):
    page = journalist_page
    open_editor(page, [])
    page.click(".ck-editor__editable")
    page.keyboard.type("6'")
    assert editor_data(page) == "<p>6’</p>"

    page.keyboard.press(key)
    page.keyboard.type("2")

    assert editor_data(page) == "<p>6'2</p>"


def test_deleting_back_to_a_straight_character_leaves_it_straight(journalist_page):
    page = journalist_page
    open_editor(page, [])
    page.click(".ck-editor__editable")
    page.keyboard.type("6'")
    page.keyboard.press("Backspace")  # gives back the straight apostrophe
    page.keyboard.type("2")

    page.keyboard.press("Backspace")

    assert editor_data(page) == "<p>6'</p>"


def test_deleting_in_existing_text_leaves_its_quotes_alone(journalist_page):
    page = journalist_page
    open_editor(page, [])
    page.evaluate("""window.editors['id_body'].setData('<p>say "hi" now</p>')""")
    page.click(".ck-editor__editable")
    page.keyboard.press("Control+End")

    for _ in " now":
        page.keyboard.press("Backspace")

    assert editor_data(page) == '<p>say "hi"</p>'


def test_standing_pages_get_the_same_typography(page, live_server):
    from tests.factories import UserFactory

    UserFactory(username="boss", is_staff=True, is_superuser=True)
    page.goto("/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "secret-password")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto("/admin/articles/page/add/")
    page.click(".ck-editor__editable[contenteditable=true]")

    page.keyboard.type('Read our "terms"...')

    assert page.evaluate("window.editors['id_body'].getData()") == "<p>Read our “terms”…</p>"
    assert errors == []
