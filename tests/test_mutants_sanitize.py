"""The sanitizer's rule for picture addresses, to the letter: what `make mutate` found let through.

A picture in a body must come from this site: a path from the site's root, the site's own URL, or
the media URL when media lives on another host (S3, a CDN). Addresses are read the way a browser
reads them, so a line break or a stray control character can neither smuggle another host in nor
push the site's own picture out. Bodies are saved the way the site saves them (Article.save).
"""

import pytest

from tests.factories import ArticleFactory

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
