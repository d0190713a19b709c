"""The sanitizer's rule for picture addresses, to the letter: what `make mutate` found let through.

A picture in a body must come from this site: a path from the site's root, the site's own URL, or
the media URL when media lives on another host (S3, a CDN). Addresses are read the way a browser
reads them, so a line break or a stray control character can neither smuggle another host in nor
push the site's own picture out. Bodies are saved the way the site saves them (Article.save).
"""

import pytest

from articles.models import Article
from tests.admin_forms import ADD, story_form
from tests.factories import ArticleFactory, AuthorFactory, EditorFactory, SectionFactory

pytestmark = pytest.mark.django_db


def saved_body(body):
    return ArticleFactory(body=body).body


def picture(src):
    return f'<p>Text</p><figure class="image"><img src="{src}" alt="A harbour"></figure>'


@pytest.mark.parametrize(
    "src",
    [
        "/\n/evil.example/a.png",  # a browser drops the line break and loads //evil.example/...
        "/\t/evil.example/a.png",
        "media/a.png",  # relative: not a path from the site's root
        "X/media/a.png",
        "!/media/a.png",
    ],
)
def test_a_picture_not_addressed_from_the_sites_root_is_dropped(src):
    assert "<img" not in saved_body(picture(src))


def test_a_stray_control_character_before_the_sites_own_path_is_ignored_as_browsers_do():
    assert 'src="\x01/media/a.png"' in saved_body(picture("\x01/media/a.png"))


@pytest.mark.parametrize("media_url", ["https://Media.Example.com/news/", "http://media.example.com/news/"])
def test_pictures_from_media_on_another_host_are_kept_and_other_hosts_dropped(settings, media_url):
    settings.MEDIA_URL = media_url

    body = saved_body(
        picture("https://media.example.com/news/images/a.png")
        + picture("http://MEDIA.example.com/news/images/b.png")
        + picture("https://elsewhere.example/news/images/c.png")
    )

    assert body.count("<img") == 1
    assert ("images/a.png" in body) == media_url.startswith("https")
    assert ("images/b.png" in body) == media_url.startswith("http:")
    assert "elsewhere.example" not in body


@pytest.mark.parametrize("tag", ["textarea", "select", "title", "noscript", "iframe", "template", "xmp"])
def test_elements_that_are_not_content_go_with_everything_inside_them(tag):
    body = saved_body(f"<p>Kept</p><{tag}>Type your password here</{tag}>")

    assert body == "<p>Kept</p>"


@pytest.mark.parametrize("src", ["", ' src="https://elsewhere.example/a.png"'])
def test_a_picture_without_an_address_of_this_site_leaves_no_trace(src):
    assert saved_body(f'<p>Text<img{src} alt="A harbour"></p>') == "<p>Text</p>"


def test_a_media_embed_whose_address_is_refused_leaves_an_empty_figure():
    body = saved_body('<figure class="media"><oembed url="javascript:alert(1)"></oembed></figure>')

    assert body == '<figure class="media"></figure>'


@pytest.mark.parametrize(
    "url, kept",
    [("http://video.example/v/1", True), ("https://video.example/v/1", True), ("/media/v/1", False)],
)
def test_a_media_embed_must_be_a_web_address(url, kept):
    body = saved_body(f'<figure class="media"><oembed url="{url}"></oembed></figure>')

    assert (f'<a href="{url}"' in body) == kept


def test_readers_get_the_embeds_link_without_the_editors_wrapper(client):
    url = "https://video.example/v/1"
    story = ArticleFactory(body=f'<figure class="media"><oembed url="{url}"></oembed></figure>')

    html = client.get(story.get_absolute_url()).content.decode()

    assert f'<figure class="media"><a href="{url}" rel="noopener noreferrer">{url}</a></figure>' in html


@pytest.mark.parametrize("img", ['<img src="/media/a.png">', '<img src="/media/a.png" alt="  ">'])
def test_the_story_form_refuses_a_body_picture_without_a_text_alternative(client, img):
    client.force_login(EditorFactory())
    data = story_form(SectionFactory(), [AuthorFactory()], body=f"<p>Text</p>{img}")

    response = client.post(ADD, data)

    assert response.status_code == 200
    assert [error.code for error in response.context["adminform"].form.errors.as_data()["body"]] == [
        "image_alt"
    ]


def test_the_story_form_accepts_a_body_picture_with_a_text_alternative(client):
    client.force_login(EditorFactory())
    data = story_form(
        SectionFactory(), [AuthorFactory()], body='<p>Text</p><img src="/media/a.png" alt="Boats">'
    )

    assert client.post(ADD, data).status_code == 302
    assert 'alt="Boats"' in Article.objects.get().body


def test_a_story_with_an_empty_body_shows_an_empty_body(client):
    story = ArticleFactory(body="")

    html = client.get(story.get_absolute_url()).content.decode()

    assert '<div class="story-body"></div>' in html
