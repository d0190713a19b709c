"""Images: uploads refused or accepted by their bytes, stored clean, served as renditions.

Every file here is made in the test with Pillow or raw bytes. Uploads go through the admin's image
form, the editor's upload URL or Image(...).save() (the way load_demo and the factories store
pictures); media goes to a fresh folder per test so "nothing left in storage" can be checked.
"""

import io
import os
import re
import subprocess
import sys
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import IntegrityError, connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import ExifTags
from PIL import Image as PILImage

from articles.models import Image, Rendition
from articles.renditions import body_picture_name
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    JournalistFactory,
    UserFactory,
    image_bytes,
    png_header,
)

pytestmark = pytest.mark.django_db

ADMIN_ADD = "/admin/articles/image/add/"
EDITOR_UPLOAD = "/ckeditor5/image-upload/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def stored_files(root):
    found = set()
    for folder, _dirs, files in os.walk(root):
        found.update(os.path.relpath(os.path.join(folder, name), root) for name in files)
    return found


def upload(name, data, content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def black_png(width, height):
    """A whole, valid PNG of black pixels: a few hundred kilobytes, made without holding its pixels."""
    compressor = zlib.compressobj()
    row = b"\0" * (1 + 3 * width)  # filter byte, then RGB
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return png_header(width, height, pixels)


def halves_jpeg(orientation=None, **save_options):
    """60x40 pixels, left half red and right half blue, with the given EXIF orientation."""
    picture = PILImage.new("RGB", (60, 40), (255, 0, 0))
    picture.paste((0, 0, 255), (30, 0, 60, 40))
    exif = PILImage.Exif()
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif, quality=95, **save_options)
    return buffer.getvalue()


def admin_post(client, data, user=None):
    client.force_login(user or JournalistFactory())
    fields = {"alt_text": "A harbour at dawn", "caption": "The harbour", "credit": "Jo Photo"}
    fields.update(file=data)
    return client.post(ADMIN_ADD, fields)


def form_errors(response):
    return response.context["adminform"].form.errors


# Refusals -------------------------------------------------------------------------------------


REFUSED = {
    "svg named .png": (
        "logo.png",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10"/></svg>',
        "SVG or script code",
    ),
    "svg without a namespace named .png": (
        "logo.png",
        b'<?xml version="1.0"?><svg width="10" height="10"><rect width="10"/></svg>',
        "not a JPEG, PNG, WebP or GIF",
    ),
    "html named .jpg": ("page.jpg", b"<!doctype html><html><body>hi</body></html>", "SVG or script code"),
    "plain text": ("notes.png", b"just some words, no picture at all", "not a JPEG, PNG, WebP or GIF"),
    "truncated jpeg": (
        "cut.jpg",
        image_bytes(300, 200, "JPEG")[: len(image_bytes(300, 200, "JPEG")) // 2],
        "damaged or incomplete",
    ),
    "gif with a script appended": (
        "anim.gif",
        image_bytes(20, 20, "GIF") + b"<script>alert(document.cookie)</script>",
        "SVG or script code",
    ),
    "png that is also an html page": (
        "poly.png",
        image_bytes(20, 20, "PNG") + b"<html><body onload=alert(1)></body></html>",
        "SVG or script code",
    ),
    "20000x20000 bomb declared in the header": (
        "bomb.png",
        png_header(20000, 20000),
        "decompression bomb",
    ),
    "48 megapixels declared in the header": ("big.png", png_header(8000, 6000), "8000 × 6000 pixels"),
}


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_admin_refuses_bad_files_with_the_reason_and_stores_nothing(client, media, case):
    name, data, reason = case

    response = admin_post(client, upload(name, data))

    assert response.status_code == 200
    assert reason in " ".join(form_errors(response)["file"])
    assert reason in response.content.decode()
    assert not Image.objects.exists()
    assert stored_files(media) == set()


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_saving_a_bad_file_through_the_model_stores_nothing(media, case):
    name, data, reason = case
    image = Image(file=ContentFile(data, name=name), alt_text="Anything")

    with pytest.raises(ValidationError, match=reason):
        image.save()

    assert not Image.objects.exists()
    assert stored_files(media) == set()


def test_file_over_the_byte_limit_is_refused(client, settings, media):
    settings.IMAGE_MAX_UPLOAD_BYTES = 1000
    data = image_bytes(200, 200, "PNG", color=(1, 2, 3)) + b"\0" * 1000

    response = admin_post(client, upload("large.png", data))

    assert "images may be at most 1000" in " ".join(form_errors(response)["file"])
    assert stored_files(media) == set()


MEASURE_UPLOAD = """
import resource, sys, django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from articles.images import prepare_upload
from tests.factories import image_bytes

prepare_upload(ContentFile(image_bytes(), name="warm-up.png"))  # Pillow's plugins loaded
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    prepare_upload(ContentFile(data, name="upload.png"))
    print("accepted")
except ValidationError as refusal:
    print(refusal.messages[0])
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


def test_picture_over_the_pixel_limit_is_refused_from_its_header_without_decoding(settings, tmp_path):
    # A real 48-megapixel PNG: over the site's 40 megapixels but under Pillow's own bomb limits,
    # so only the site's check stands between it and 190 MB of decoded pixels. The peak memory of
    # a fresh process (resident set size, kilobytes from getrusage) shows whether it was decoded.
    assert 8000 * 6000 < PILImage.MAX_IMAGE_PIXELS
    picture = tmp_path / "big.png"
    picture.write_bytes(black_png(8000, 6000))

    measured = subprocess.run(
        [sys.executable, "-c", MEASURE_UPLOAD, str(picture)],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings_test",
            "IMAGE_MAX_PIXELS": "40000000",
        },
        capture_output=True,
        text=True,
        check=True,
    )

    message, grown_mb = measured.stdout.splitlines()
    assert "8000 × 6000 pixels, more than the 40 megapixels allowed" in message
    assert int(grown_mb) < 20, f"the upload grew the process by {grown_mb} MB"


def test_failure_while_making_renditions_leaves_nothing_stored(settings, media):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.test_images.DiskFullAfterThreeFiles"},
    }
    DiskFullAfterThreeFiles.saved = 0

    with pytest.raises(OSError, match="No space left"):
        ImageFactory(file=upload("photo.jpg", image_bytes(900, 600, "JPEG"), "image/jpeg"))

    assert DiskFullAfterThreeFiles.saved == 3  # the original and two renditions were written...
    assert stored_files(media) == set()  # ...and removed again
    assert not Image.objects.exists() and not Rendition.objects.exists()


class DiskFullAfterThreeFiles(FileSystemStorage):
    saved = 0

    def save(self, name, content, max_length=None):
        if DiskFullAfterThreeFiles.saved >= 3:
            raise OSError(28, "No space left on device")
        DiskFullAfterThreeFiles.saved += 1
        return super().save(name, content, max_length=max_length)


def test_alt_text_is_required(client):
    response = admin_post(client, upload("photo.png", image_bytes()))
    assert response.status_code == 302  # with alt text the upload works...

    response = client.post(ADMIN_ADD, {"file": upload("photo.png", image_bytes()), "alt_text": " "})
    assert "alt_text" in form_errors(response)  # ...without it, it is a form error
    assert Image.objects.count() == 1

    with pytest.raises(IntegrityError):
        Image(file=ContentFile(image_bytes(), name="x.png"), alt_text="").save()


# What is accepted, and how it is stored ---------------------------------------------------------


def test_png_named_jpg_is_accepted_as_png_under_a_generated_name(client, media):
    response = admin_post(client, upload("../../Holiday Snap.jpg", image_bytes(64, 48, "PNG"), "image/jpeg"))

    assert response.status_code == 302
    image = Image.objects.get()
    assert image.format == "PNG"
    assert (image.width, image.height) == (64, 48)
    assert re.fullmatch(r"images/\d{4}/\d{2}/[0-9a-f]{32}\.png", image.file.name)
    assert image.file_size == os.path.getsize(media / image.file.name)
    assert image.uploaded_by is not None and image.uploaded_at is not None
    assert not any("Holiday" in name for name in stored_files(media))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_the_four_formats_are_accepted(fmt):
    image = ImageFactory(file=upload(f"picture.{fmt.lower()}", image_bytes(50, 30, fmt)))
    assert image.format == fmt
    assert PILImage.open(image.file.path).format == fmt


def test_exif_orientation_is_applied_to_the_pixels(media):
    image = ImageFactory(file=upload("phone.jpg", halves_jpeg(orientation=6), "image/jpeg"))

    # Orientation 6: the camera was turned a quarter; readers must see it upright (40x60, red on top).
    assert (image.width, image.height) == (40, 60)
    with PILImage.open(image.file.path) as stored:
        assert stored.size == (40, 60)
        assert stored.getexif().get(ExifTags.Base.Orientation) in (None, 1)
        red, _g, blue = stored.convert("RGB").getpixel((20, 5))
        assert red > 200 and blue < 60
        red, _g, blue = stored.convert("RGB").getpixel((20, 55))
        assert blue > 200 and red < 60
    full = image.rendition(9999, formats=("JPEG",))
    assert (full.width, full.height) == (40, 60)


def test_exif_gps_and_other_metadata_are_stripped_from_everything_served(media):
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.Base.BodySerialNumber] = "SERIAL-123456"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update({1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)})
    buffer = io.BytesIO()
    PILImage.new("RGB", (120, 80), (10, 120, 200)).save(
        buffer, "JPEG", exif=exif, xmp=b"<x:xmpmeta>home-address</x:xmpmeta>", comment=b"private note"
    )
    data = buffer.getvalue()
    assert b"SERIAL-123456" in data and b"home-address" in data  # the test file does carry them

    image = ImageFactory(file=upload("gps.jpg", data, "image/jpeg"))

    files = stored_files(media)
    assert len(files) == 2 + image.renditions.values("file").distinct().count()  # and the body picture
    for name in files:
        stored = (media / name).read_bytes()
        for secret in (b"SERIAL-123456", b"SpyCam", b"home-address", b"private note"):
            assert secret not in stored, (name, secret)
        with PILImage.open(media / name) as picture:
            assert not picture.getexif().get_ifd(ExifTags.IFD.GPSInfo)
            assert "xmp" not in picture.info and "exif" not in picture.info


# Renditions -----------------------------------------------------------------------------------


def test_renditions_sizes_and_formats(media):
    image = ImageFactory(file=upload("wide.jpg", image_bytes(2000, 1000, "JPEG"), "image/jpeg"))

    made = {(r.crop, r.format, r.width, r.height) for r in image.renditions.all()}

    widths = {crop: sorted({w for c, _f, w, _h in made if c == crop}) for crop in ("", "16:9", "1:1", "4:3")}
    assert widths == {
        "": [200, 400, 800, 1200, 1600],
        "16:9": [200, 400, 800, 1200, 1600],
        "1:1": [200, 400, 800, 1000],
        "4:3": [1200],  # only search engines' structured data asks for it: the share width alone
    }
    assert ("", "WEBP", 1600, 800) in made and ("", "JPEG", 400, 200) in made
    assert ("16:9", "WEBP", 800, 450) in made
    assert ("1:1", "JPEG", 1000, 1000) in made  # the square is as tall as the picture: never upscaled
    assert ("4:3", "JPEG", 1200, 900) in made
    # What one upload stores: the original, the body picture and each rendition in two formats.
    assert len(stored_files(media)) == 2 + 2 * (5 + 5 + 4 + 1)
    assert {f for _c, f, _w, _h in made} == {"WEBP", "JPEG"}
    for rendition in image.renditions.all():
        with PILImage.open(media / rendition.file.name) as picture:
            assert picture.format == rendition.format
            assert picture.size == (rendition.width, rendition.height)


def test_small_images_are_never_upscaled():
    image = ImageFactory(file=upload("small.png", image_bytes(300, 200, "PNG")))

    assert {(r.crop, r.format, r.width, r.height) for r in image.renditions.all()} == {
        ("", "WEBP", 300, 200),
        ("", "PNG", 300, 200),
        ("", "WEBP", 200, 133),
        ("", "PNG", 200, 133),
        ("16:9", "WEBP", 300, 169),
        ("16:9", "PNG", 300, 169),
        ("16:9", "WEBP", 200, 113),
        ("16:9", "PNG", 200, 113),
        ("1:1", "WEBP", 200, 200),
        ("1:1", "PNG", 200, 200),
        ("4:3", "WEBP", 267, 200),
        ("4:3", "PNG", 267, 200),
    }


def test_a_crop_the_picture_already_has_shares_its_files(media):
    image = ImageFactory(file=upload("a.png", image_bytes(400, 300, "PNG")))

    four_three = image.renditions.get(crop="4:3", format="PNG")
    assert four_three.file.name == image.renditions.get(crop="", width=400, format="PNG").file.name
    assert image.renditions.filter(crop="4:3").count() == 2  # at the share width only: never upscaled
    # The original, the body picture, the whole picture and 16:9 at 200 and 400, the square at 200
    # and 300, each in two formats; the 4:3 rows point at the whole picture's files.
    assert len(stored_files(media)) == 2 + 2 * (2 + 2 + 2)


def test_check_refuses_crops_the_code_names_but_are_not_made(settings):
    settings.IMAGE_CROPS = ["1:1", "3:2"]

    with pytest.raises(SystemCheckError, match="16:9"):
        call_command("check")


def test_webp_original_falls_back_to_jpeg_or_png_with_transparency():
    opaque = ImageFactory(file=upload("a.webp", image_bytes(50, 50, "WEBP"), "image/webp"))
    buffer = io.BytesIO()
    PILImage.new("RGBA", (50, 50), (0, 0, 0, 0)).save(buffer, "WEBP", lossless=True)
    clear = ImageFactory(file=upload("b.webp", buffer.getvalue(), "image/webp"))

    assert {r.format for r in opaque.renditions.all()} == {"WEBP", "JPEG"}
    assert {r.format for r in clear.renditions.all()} == {"WEBP", "PNG"}


def test_crops_keep_the_focal_point_in_frame(media):
    picture = PILImage.new("RGB", (900, 300), (0, 0, 255))
    picture.paste((255, 0, 0), (0, 0, 150, 300))  # the subject: a red band on the far left
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")

    centred = ImageFactory(file=upload("a.png", buffer.getvalue()))
    focused = ImageFactory(file=upload("b.png", buffer.getvalue()), focal_x=0.05, focal_y=0.5)

    def square_pixel(image):
        square = image.rendition(300, crop="1:1", formats=("PNG",))
        with PILImage.open(media / square.file.name) as stored:
            return stored.convert("RGB").getpixel((square.width // 4, square.height // 2))

    assert square_pixel(centred)[2] > 200  # a centred square misses the red band
    assert square_pixel(focused)[0] > 200  # the focal point keeps it in frame


def test_moving_the_focal_point_remakes_the_crops(media, django_capture_on_commit_callbacks):
    image = ImageFactory(file=upload("a.png", image_bytes(400, 200, "PNG")))
    before = set(image.renditions.values_list("file", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        image = Image.objects.get(pk=image.pk)
        image.focal_x = 0.9
        image.save()

    after = set(image.renditions.values_list("file", flat=True))
    assert after and not (before & after)
    assert stored_files(media) == {image.file.name, body_picture_name(image.stored_stem)} | after


def test_deleting_an_image_deletes_its_files(media, django_capture_on_commit_callbacks):
    image = ImageFactory()
    assert len(stored_files(media)) > 1

    with django_capture_on_commit_callbacks(execute=True):
        image.delete()

    assert stored_files(media) == set()


# Pages ----------------------------------------------------------------------------------------


def test_story_page_serves_a_picture_with_srcset_and_dimensions(client):
    image = ImageFactory(
        file=upload("hero.jpg", image_bytes(1700, 170, "JPEG"), "image/jpeg"),
        alt_text="John Legend and Chrissy Teigen at the premiere",
        caption="John Legend & Chrissy Teigen",
        credit="Twitter",
    )
    story = ArticleFactory(hero_image=image)

    html = client.get(story.get_absolute_url()).content.decode()

    figure = re.search(r'<figure class="picture picture--hero">.*?</figure>', html, re.S).group(0)
    source = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', figure)
    assert [part.rsplit(" ", 1)[1] for part in source.group(1).split(", ")] == [
        "200w",
        "400w",
        "800w",
        "1200w",
        "1600w",
    ]
    assert all(url.split(" ")[0].endswith(".webp") for url in source.group(1).split(", "))
    img = re.search(r"<img [^>]+>", figure).group(0)
    assert 'alt="John Legend and Chrissy Teigen at the premiere"' in img
    assert 'width="800" height="80"' in img  # the aspect ratio is known before the picture loads
    assert 'fetchpriority="high"' in img and "loading=" not in img
    assert re.search(r'srcset="[^"]+\.jpg 400w, [^"]+\.jpg 800w', img)
    assert 'sizes="' in img
    assert "<figcaption>John Legend &amp; Chrissy Teigen <span" in figure
    assert "(Twitter)" in figure


def test_story_can_override_the_caption_of_a_shared_image(client):
    image = ImageFactory(caption="The library's caption")
    first = ArticleFactory(hero_image=image, hero_caption="This story's own caption")
    second = ArticleFactory(hero_image=image)

    assert "This story&#x27;s own caption" in client.get(first.get_absolute_url()).content.decode()
    assert "The library&#x27;s caption" in client.get(second.get_absolute_url()).content.decode()


def test_cards_are_lazy_cropped_pictures(client):
    ArticleFactory(hero_image=ImageFactory(file=upload("a.png", image_bytes(1000, 600, "JPEG"))))
    ArticleFactory(hero_image=ImageFactory(file=upload("b.png", image_bytes(1000, 600, "JPEG"))))

    html = client.get(reverse("articles:home")).content.decode()

    lazy = re.findall(r'<img [^>]*loading="lazy"[^>]*>', html)
    assert lazy
    assert all('width="800" height="450"' in img for img in lazy)  # cut to 16:9


def test_second_page_view_creates_no_files(client, media):
    story = ArticleFactory(hero_image=ImageFactory())
    client.get(story.get_absolute_url())
    client.get(reverse("articles:home"))
    before = stored_files(media)
    renditions = Rendition.objects.count()

    for url in (story.get_absolute_url(), reverse("articles:home")):
        assert client.get(url).status_code == 200

    assert stored_files(media) == before
    assert Rendition.objects.count() == renditions


def test_pictures_cost_no_query_per_card(client):
    def home_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("articles:home")).status_code == 200
        return len(queries)

    ArticleFactory(hero_image=ImageFactory())
    with_one = home_queries()
    for _ in range(5):
        ArticleFactory(hero_image=ImageFactory())

    assert home_queries() == with_one


# The editor's upload --------------------------------------------------------------------------


def test_anonymous_and_non_staff_uploads_are_refused(client, media):
    data = image_bytes()

    anonymous = client.post(EDITOR_UPLOAD, {"upload": upload("a.png", data)})
    client.force_login(UserFactory(is_staff=False))
    reader = client.post(EDITOR_UPLOAD, {"upload": upload("a.png", data)})
    client.force_login(UserFactory(username="staff-without-rights", is_staff=True))
    no_permission = client.post(EDITOR_UPLOAD, {"upload": upload("a.png", data)})

    for response in (anonymous, reader, no_permission):
        assert response.status_code == 403
        assert "error" in response.json()
    assert not Image.objects.exists()
    assert stored_files(media) == set()


def test_staff_upload_in_the_editor_stores_a_reusable_image(client, media):
    journalist = JournalistFactory()
    client.force_login(journalist)

    response = client.post(
        EDITOR_UPLOAD,
        {"upload": upload("harbour_at-dawn.jpg", image_bytes(1300, 100, "JPEG"), "image/jpeg")},
    )

    assert response.status_code == 200
    image = Image.objects.get()
    assert image.uploaded_by == journalist
    assert "harbour at dawn" in image.alt_text
    url = response.json()["url"]
    assert url == f"/media/images/renditions/{image.stored_stem}/body.webp"
    with PILImage.open(media / url.removeprefix("/media/")) as body_picture:
        assert (body_picture.format, body_picture.width) == ("WEBP", 1200)


def test_editor_upload_refusals_are_json_errors(client, media):
    client.force_login(JournalistFactory())

    response = client.post(
        EDITOR_UPLOAD, {"upload": upload("evil.gif", image_bytes(10, 10, "GIF") + b"<script>x</script>")}
    )

    assert response.status_code == 400
    assert "SVG or script code" in response.json()["error"]["message"]
    assert stored_files(media) == set()


def test_editor_upload_needs_post(client):
    client.force_login(JournalistFactory())
    assert client.get(EDITOR_UPLOAD).status_code == 405


def test_editor_widget_posts_to_our_upload_view():
    from django_ckeditor_5.widgets import CKEditor5Widget

    assert EDITOR_UPLOAD in CKEditor5Widget().render("body", "", attrs={"id": "id_body"})


# The admin ------------------------------------------------------------------------------------


def test_image_list_shows_thumbnails_and_searches_caption_credit_and_alt(client):
    ImageFactory(caption="Harbour at dawn", credit="Jo Photo", alt_text="Boats")
    ImageFactory(caption="Council meeting", credit="Newsroom", alt_text="A long table")
    client.force_login(JournalistFactory())

    html = client.get("/admin/articles/image/").content.decode()
    assert len(re.findall(r'<img src="/media/images/renditions/[^"]+\.webp"', html)) == 2

    for term in ("harbour", "jo photo", "boats"):
        found = client.get("/admin/articles/image/", {"q": term}).content.decode()
        assert "Harbour at dawn" in found and "Council meeting" not in found


def test_image_change_form_shows_a_preview_and_metadata(client):
    image = ImageFactory(file=upload("p.jpg", image_bytes(640, 480, "JPEG"), "image/jpeg"))
    client.force_login(JournalistFactory())

    html = client.get(f"/admin/articles/image/{image.pk}/change/").content.decode()

    assert re.search(r'<img src="/media/images/renditions/[^"]+" alt="" width="\d+" height="200">', html)
    assert "640 × 480" in html and "JPEG" in html


def test_story_form_picks_an_existing_image(client):
    image = ImageFactory(caption="Harbour at dawn")
    client.force_login(JournalistFactory())

    found = client.get(
        "/admin/autocomplete/",
        {"term": "harbour", "app_label": "articles", "model_name": "article", "field_name": "hero_image"},
    ).json()

    assert [result["id"] for result in found["results"]] == [str(image.pk)]


def test_editing_an_image_without_a_new_file_keeps_its_renditions(client, media):
    image = ImageFactory(file=upload("a.png", image_bytes(400, 200, "PNG")))
    files = stored_files(media)
    client.force_login(JournalistFactory())

    response = client.post(
        f"/admin/articles/image/{image.pk}/change/",
        {"alt_text": "New description", "caption": "New caption", "credit": "", "focal_x": "", "focal_y": ""},
    )

    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.alt_text, image.caption) == ("New description", "New caption")
    assert stored_files(media) == files


def test_focal_point_set_in_the_admin_moves_the_crops(client, media):
    image = ImageFactory(file=upload("a.png", image_bytes(400, 200, "PNG")))
    before = set(image.renditions.filter(crop="1:1").values_list("file", flat=True))
    client.force_login(JournalistFactory())

    response = client.post(
        f"/admin/articles/image/{image.pk}/change/",
        {"alt_text": image.alt_text, "caption": "", "credit": "", "focal_x": "0.1", "focal_y": "0.5"},
    )

    assert response.status_code == 302
    after = set(image.renditions.filter(crop="1:1").values_list("file", flat=True))
    assert after and not (before & after)


def test_focal_point_outside_the_picture_is_a_form_error(client):
    client.force_login(JournalistFactory())
    response = client.post(
        ADMIN_ADD, {"file": upload("a.png", image_bytes()), "alt_text": "A picture", "focal_x": "1.5"}
    )
    assert "focal_x" in form_errors(response)
    assert not Image.objects.exists()


def test_image_uploaded_in_the_editor_shows_in_the_story_body(client):
    client.force_login(JournalistFactory())
    url = client.post(EDITOR_UPLOAD, {"upload": upload("a.png", image_bytes(500, 300, "PNG"))}).json()["url"]
    client.logout()
    story = ArticleFactory(
        body=f'<figure class="image"><img src="{url}" alt="Boats in the harbour"></figure>'
    )

    html = client.get(story.get_absolute_url()).content.decode()

    assert f'<img src="{url}" alt="Boats in the harbour">' in html


def test_rendition_url_gives_a_shareable_size_in_the_original_format():
    image = ImageFactory(file=upload("a.jpg", image_bytes(1700, 100, "JPEG"), "image/jpeg"))

    url = Template("{% load pictures %}{% rendition_url image 1200 %}").render(Context({"image": image}))

    assert url == image.renditions.get(crop="", width=1200, format="JPEG").file.url


def test_make_renditions_command_fills_in_missing_and_remakes_all(
    settings, media, django_capture_on_commit_callbacks
):
    image = ImageFactory(file=upload("a.png", image_bytes(500, 250, "PNG")))
    with django_capture_on_commit_callbacks(execute=True):
        Rendition.objects.filter(image=image).delete()  # e.g. stored before renditions existed
    body = body_picture_name(image.stored_stem)
    assert stored_files(media) == {image.file.name, body}
    out = io.StringIO()

    call_command("make_renditions", stdout=out)

    assert "1 image" in out.getvalue()
    assert {r.width for r in image.renditions.filter(crop="")} == {200, 400, 500}
    assert {r.width for r in image.renditions.filter(crop="4:3")} == {333}

    settings.IMAGE_RENDITION_WIDTHS = [200]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_renditions", "--all", stdout=io.StringIO())
    assert {r.width for r in image.renditions.filter(crop="")} == {200}
    assert stored_files(media) == {image.file.name, body} | set(
        image.renditions.values_list("file", flat=True)
    )


def test_bytes_after_the_picture_never_reach_readers(media):
    data = image_bytes(20, 20, "GIF") + b"TRAILING-PAYLOAD alert(1)"

    image = ImageFactory(file=upload("a.gif", data, "image/gif"))

    assert image.format == "GIF"
    for name in stored_files(media):
        assert b"TRAILING-PAYLOAD" not in (media / name).read_bytes()
