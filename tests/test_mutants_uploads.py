"""Image upload checks, to the letter: what `make mutate` found the image tests let through.

The refusal a journalist reads is the whole sentence, with the site's limit in it, and each
refusal carries its reason as the error code; the editor's upload names the picture after its file.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat

from articles.models import Image
from tests.factories import JournalistFactory, image_bytes, png_header

pytestmark = pytest.mark.django_db

ADMIN_ADD = "/admin/articles/image/add/"
EDITOR_UPLOAD = "/ckeditor5/image-upload/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def admin_upload(client, name, data, refused=True):
    """The admin's image form's errors for the file; with refused=False, check it was stored."""
    client.force_login(JournalistFactory())
    response = client.post(
        ADMIN_ADD,
        {"file": SimpleUploadedFile(name, data), "alt_text": "A harbour", "caption": "", "credit": ""},
    )
    if not refused:
        assert response.status_code == 302
        return []
    assert response.status_code == 200
    return response.context["adminform"].form.errors.as_data()["file"]


def test_a_picture_over_the_pixel_limit_is_refused_with_its_size_and_the_limit(client, settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000

    [error] = admin_upload(client, "wide.png", png_header(2000, 1000))

    assert error.code == "pixels"
    assert error.messages == [
        "This image is 2000 × 1000 pixels, more than the 1 megapixels allowed: it could be a "
        "decompression bomb, so it was not opened. Resize it and upload it again."
    ]
    assert not Image.objects.exists()


def test_a_header_declaring_a_bomb_is_refused_with_the_limit(client, settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000

    [error] = admin_upload(client, "bomb.png", png_header(20000, 20000))  # over Pillow's own limit

    assert error.code == "pixels"
    assert error.messages == [
        "This image declares more than 1 megapixels: it could be a decompression bomb, so it was not opened."
    ]


@pytest.mark.parametrize(
    "name, data, code, message",
    [
        (
            "page.png",
            b"<!doctype html><p>hi</p>",
            "polyglot",
            "This file contains web page, SVG or script code as well as (or instead of) a picture, "
            "so it is refused.",
        ),
        ("notes.png", b"just some words", "format", "This file is not a JPEG, PNG, WebP or GIF image."),
        ("old.bmp", image_bytes(20, 20, "BMP"), "format", "This file is not a JPEG, PNG, WebP or GIF image."),
        (
            "cut.jpg",
            image_bytes(300, 200, "JPEG")[:1000],
            "truncated",
            "This image file is damaged or incomplete (truncated).",
        ),
    ],
)
def test_each_refusal_says_why_and_carries_its_reason_as_the_error_code(client, name, data, code, message):
    [error] = admin_upload(client, name, data)

    assert (error.code, error.messages) == (code, [message])
    assert not Image.objects.exists()


def test_a_file_over_the_byte_limit_is_refused_with_its_size_and_the_limit(client, settings):
    data = image_bytes(64, 48)
    settings.IMAGE_MAX_UPLOAD_BYTES = len(data) - 1

    [error] = admin_upload(client, "big.png", data)

    assert error.code == "size"
    assert error.messages == [
        f"This file is {filesizeformat(len(data))}; images may be at most {filesizeformat(len(data) - 1)}."
    ]


def test_a_file_of_exactly_the_byte_limit_is_accepted(client, settings):
    data = image_bytes(64, 48)
    settings.IMAGE_MAX_UPLOAD_BYTES = len(data)

    admin_upload(client, "exact.png", data, refused=False)

    assert Image.objects.get().width == 64


def test_a_picture_of_exactly_the_pixel_limit_is_accepted(client, settings):
    settings.IMAGE_MAX_PIXELS = 64 * 48

    admin_upload(client, "exact.png", image_bytes(64, 48), refused=False)

    assert Image.objects.get().height == 48


def editor_upload(client, name):
    client.force_login(JournalistFactory())
    response = client.post(EDITOR_UPLOAD, {"upload": SimpleUploadedFile(name, image_bytes(20, 20))})
    assert response.status_code == 200
    return Image.objects.get()


def test_an_editor_upload_without_a_file_is_refused_in_words(client):
    """Coverage found this branch untested (mutmut cannot mutate the decorated view)."""
    client.force_login(JournalistFactory())

    response = client.post(EDITOR_UPLOAD, {})

    assert (response.status_code, response.json()) == (400, {"error": {"message": "No file was sent."}})


def test_an_empty_file_sent_by_the_editor_is_refused_in_words(client):
    client.force_login(JournalistFactory())

    response = client.post(EDITOR_UPLOAD, {"upload": SimpleUploadedFile("empty.png", b"")})

    assert (response.status_code, response.json()) == (400, {"error": {"message": "This file is empty."}})
    assert not Image.objects.exists()


def test_an_editor_upload_is_described_by_its_file_name_until_the_journalist_writes_one(client):
    image = editor_upload(client, "harbour_at-dawn.png")

    assert image.alt_text == "Picture uploaded in the story editor: harbour at dawn"


def test_an_editor_upload_whose_name_has_no_words_gets_the_plain_description(client):
    image = editor_upload(client, "__-__.png")

    assert image.alt_text == "Picture uploaded in the story editor"


def test_the_file_name_in_the_description_stops_at_200_characters(client):
    image = editor_upload(client, "a" * 199 + "bc.png")

    assert image.alt_text == "Picture uploaded in the story editor: " + "a" * 199 + "b"


# Through the model, as an import script or a management command would store a picture: the file
# may be a stream whose size nothing knows beforehand, or one its caller has already read from.


class Stream:
    """A stream read once, front to back (a pipe, a download): no size, no name, no seek."""

    def __init__(self, data):
        self._bytes = io.BytesIO(data)

    def read(self, size=-1):
        return self._bytes.read(size)


def save_through_the_model(file):
    image = Image(file=file, alt_text="A harbour")
    image.save()
    return image


def test_a_stream_of_unknown_size_one_byte_over_the_limit_is_refused_when_read(settings):
    data = image_bytes(64, 48)
    settings.IMAGE_MAX_UPLOAD_BYTES = len(data) - 1

    with pytest.raises(ValidationError) as refusal:
        save_through_the_model(File(Stream(data), name="big.png"))

    assert refusal.value.code == "size"
    assert refusal.value.messages == [
        f"This file is larger than {filesizeformat(len(data) - 1)}, the most an image may be."
    ]
    assert not Image.objects.exists()


def test_a_stream_of_unknown_size_within_the_limit_is_stored(settings):
    data = image_bytes(64, 48)
    settings.IMAGE_MAX_UPLOAD_BYTES = len(data)

    image = save_through_the_model(File(Stream(data), name="exact.png"))

    assert (image.format, image.width, image.height) == ("PNG", 64, 48)


def test_a_file_its_caller_has_already_read_from_is_read_from_its_start():
    stream = io.BytesIO(image_bytes(64, 48))
    stream.read(8)  # an import script sniffing the signature first

    image = save_through_the_model(File(stream, name="sniffed.png"))

    assert (image.format, image.width) == ("PNG", 64)


def test_an_empty_file_saved_through_the_model_is_refused_as_empty():
    with pytest.raises(ValidationError) as refusal:
        save_through_the_model(File(Stream(b""), name="empty.png"))

    assert (refusal.value.code, refusal.value.messages) == ("empty", ["This file is empty."])
    assert not Image.objects.exists()
