"""Media storage full or read-only during an upload (a tiny tmpfs mounted as MEDIA_ROOT).

What the editor gets: the upload endpoint's JSON error (503, "could not be stored"), never an HTML
500; nothing is half-written: no Image row and no file, partial or whole, is left. Once there is
room again, the same upload works.
"""

import io
import os
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from articles.models import Image
from tests.factories import JournalistFactory

pytestmark = pytest.mark.django_db

EDITOR_UPLOAD = "/ckeditor5/image-upload/"
NOT_STORED = "could not be stored"


def noise_png(side):
    """A PNG that does not compress: about 3 bytes per pixel on disk."""
    buffer = io.BytesIO()
    PILImage.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def files_under(root):
    return [os.path.join(d, f) for d, _, names in os.walk(root) for f in names]


@pytest.fixture
def tiny_media(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(root)], capture_output=True
    )
    if mounted.returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    settings.MEDIA_ROOT = str(root)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "newsroom.storage.CleanFileSystemStorage"},
    }
    yield root
    subprocess.run(["umount", str(root)], check=True)


@pytest.fixture
def editor_client(client):
    client.force_login(JournalistFactory())
    return client


def _upload(client, data):
    return client.post(EDITOR_UPLOAD, {"upload": SimpleUploadedFile("photo.png", data, "image/png")})


@pytest.mark.parametrize(
    "side",
    [
        250,  # the original fits, its renditions fill the disk
        330,  # the disk fills while the original itself is written
    ],
)
def test_disk_full_during_an_upload(editor_client, tiny_media, side, caplog):
    response = _upload(editor_client, noise_png(side))

    assert response.status_code == 503
    assert NOT_STORED in response.json()["error"]["message"]
    assert not Image.objects.exists()
    assert files_under(tiny_media) == []
    assert "No space left" in caplog.text

    # Room again (the 256 KB disk holds a small picture and its renditions): the upload works.
    response = _upload(editor_client, noise_png(60))
    assert response.status_code == 200, response.content
    assert Image.objects.count() == 1


def test_read_only_storage(editor_client, tiny_media):
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_media)], check=True)

    response = _upload(editor_client, noise_png(60))

    assert response.status_code == 503
    assert NOT_STORED in response.json()["error"]["message"]
    assert not Image.objects.exists()

    subprocess.run(["mount", "-o", "remount,rw", str(tiny_media)], check=True)
    assert _upload(editor_client, noise_png(60)).status_code == 200
    assert Image.objects.count() == 1


ADMIN_ADD = "/admin/articles/image/add/"
ADMIN_NOT_STORED = "The picture could not be stored just now"


def _admin_add(client, data):
    upload = SimpleUploadedFile("photo.png", data, "image/png")
    return client.post(ADMIN_ADD, {"file": upload, "alt_text": "A photo", "focal_x": "0.5", "focal_y": "0.5"})


@pytest.mark.parametrize("fault", ["full", "read-only"])
def test_admin_image_form_on_failing_storage(admin_client, tiny_media, fault):
    """Admin › Images › add: the form again, with a clear error, instead of a 500."""
    if fault == "read-only":
        subprocess.run(["mount", "-o", "remount,ro", str(tiny_media)], check=True)
    response = _admin_add(admin_client, noise_png(330 if fault == "full" else 60))

    assert response.status_code == 200
    assert ADMIN_NOT_STORED in response.content.decode()
    assert not Image.objects.exists()
    assert files_under(tiny_media) == []

    if fault == "read-only":
        subprocess.run(["mount", "-o", "remount,rw", str(tiny_media)], check=True)
    assert _admin_add(admin_client, noise_png(60)).status_code == 302
    assert Image.objects.count() == 1
