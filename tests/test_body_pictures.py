"""Pictures placed in a story body never break (issue 10, point 5): the body's <img> keeps loading
after a focal-point move, make_renditions --all and a change of IMAGE_RENDITION_WIDTHS, and an image
a body shows cannot be deleted."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from PIL import Image as PILImage

from articles.models import Article, Image
from tests.admin_forms import edit_form
from tests.factories import ArticleFactory, EditorFactory, image_bytes
from tests.test_images import EDITOR_UPLOAD, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def body_picture_src(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    return re.search(r'<img src="([^"]+)" alt="Boats in the harbour"', html)[1]


def loads(src):
    """What the web server answers for a media URL: the stored file, if there is one."""
    path = Path(settings.MEDIA_ROOT) / src.removeprefix(settings.MEDIA_URL)
    if not path.is_file():
        return False
    with PILImage.open(path) as picture:
        picture.verify()
    return True


@pytest.fixture
def story_with_body_picture(client, media, django_capture_on_commit_callbacks):
    """A published story whose body shows a picture uploaded in the editor, saved in the admin."""
    client.force_login(EditorFactory())
    url = client.post(EDITOR_UPLOAD, {"upload": upload("a.png", image_bytes(1300, 600, "PNG"))}).json()["url"]
    story = ArticleFactory()
    body = f'<p>Text.</p><figure class="image"><img src="{url}" alt="Boats in the harbour"></figure>'
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/articles/article/{story.pk}/change/", edit_form(story, body=body))
    assert response.status_code == 302
    story.refresh_from_db()
    return story, Image.objects.get()


def test_body_picture_survives_a_focal_point_move(
    client, story_with_body_picture, django_capture_on_commit_callbacks
):
    story, image = story_with_body_picture
    src = body_picture_src(client, story)
    assert loads(src)

    data = {"alt_text": image.alt_text, "caption": "", "credit": "", "focal_x": "0.9", "focal_y": "0.1"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/admin/articles/image/{image.pk}/change/", data).status_code == 302

    assert body_picture_src(client, story) == src
    assert loads(src)


def test_body_picture_survives_make_renditions_and_new_widths(
    client, settings, story_with_body_picture, django_capture_on_commit_callbacks
):
    # Measured: make_renditions --all deleted the body's file and wrote new ones under suffixed names.
    story, image = story_with_body_picture
    src = body_picture_src(client, story)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_renditions", "--all", stdout=io.StringIO())
    assert loads(src)

    settings.IMAGE_RENDITION_WIDTHS = [300, 700]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_renditions", "--all", stdout=io.StringIO())
    assert not image.renditions.filter(width=1200).exists()
    assert body_picture_src(client, story) == src
    assert loads(src)


def test_an_old_rendition_url_in_a_body_is_pointed_at_the_body_picture(media):
    image = Image(file=upload("a.png", image_bytes(1300, 500, "PNG")), alt_text="Boats")
    image.save()
    old_src = image.rendition(1200).file.url
    story = ArticleFactory(body=f'<figure class="image"><img src="{old_src}" alt="Boats"></figure>')

    assert image.body_url in story.body
    assert loads(image.body_url)


def test_deleting_an_image_a_body_shows_is_refused_naming_the_story(client, story_with_body_picture):
    # Measured: deleting an image used only inside a body was allowed, breaking the picture.
    story, image = story_with_body_picture

    page = client.get(f"/admin/articles/image/{image.pk}/delete/")
    response = client.post(f"/admin/articles/image/{image.pk}/delete/", {"post": "yes"})
    action = client.post(
        "/admin/articles/image/", {"action": "delete_selected", "_selected_action": [image.pk], "post": "yes"}
    )

    assert story.title in page.content.decode()
    assert "picture in its body" in page.content.decode()
    assert response.status_code in (200, 403)
    assert action.status_code in (200, 302)
    assert Image.objects.filter(pk=image.pk).exists()
    assert Article.objects.filter(pk=story.pk).exists()


def test_an_image_no_story_shows_can_be_deleted(client, story_with_body_picture):
    _story, image = story_with_body_picture
    spare = Image(file=upload("b.png", image_bytes(50, 50, "PNG")), alt_text="Spare")
    spare.save()
    response = client.post(f"/admin/articles/image/{spare.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert list(Image.objects.all()) == [image]
