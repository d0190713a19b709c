"""Media on S3-compatible storage (django-storages), against moto's S3 server on a free port.

Everything goes through the storage API: the upload and its renditions land in the bucket, pages
link to the bucket's URLs (which serve the pictures), renditions can be made again, and deleting
a picture deletes its objects.
"""

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Image
from tests.factories import ArticleFactory, JournalistFactory, image_bytes

boto3 = pytest.importorskip("boto3")

pytestmark = pytest.mark.django_db

BUCKET = "newsroom-media"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("moto's S3 server did not start")
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(10)


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    s3 = boto3.resource("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    # Readers load pictures straight from the bucket: it allows public reads (README).
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/*",
            }
        ],
    }
    s3.BucketPolicy(BUCKET).put(Policy=json.dumps(public_read))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "querystring_auth": False,
                "default_acl": None,
                "file_overwrite": False,
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        },
    }
    remote = s3.Bucket(BUCKET)
    yield remote
    remote.objects.all().delete()
    remote.delete()


def _keys(bucket):
    return {obj.key for obj in bucket.objects.all()}


def test_upload_renditions_pages_and_delete_on_s3(
    client, bucket, s3_endpoint, django_capture_on_commit_callbacks
):
    client.force_login(JournalistFactory())
    picture = SimpleUploadedFile("harbour.jpg", image_bytes(1300, 900, "JPEG"), "image/jpeg")

    response = client.post("/ckeditor5/image-upload/", {"upload": picture})

    assert response.status_code == 200, response.content
    url = response.json()["url"]
    assert url.startswith(f"{s3_endpoint}/{BUCKET}/images/renditions/")
    image = Image.objects.get()
    keys = _keys(bucket)
    assert image.file.name in keys
    assert {r.file.name for r in image.renditions.all()} <= keys
    assert all(k == image.file.name or k.startswith(f"images/renditions/{image.stored_stem}/") for k in keys)
    head = bucket.Object(image.file.name).get()
    assert head["CacheControl"] == "public, max-age=31536000, immutable"

    # A reader's page links to the bucket, and the bucket serves the picture.
    story = ArticleFactory(hero_image=image)
    client.logout()
    page = client.get(story.get_absolute_url()).content.decode()
    assert f"{s3_endpoint}/{BUCKET}/images/renditions/" in page
    with urllib.request.urlopen(url) as served:
        assert served.status == 200 and served.read()[:4] == b"RIFF"  # WebP

    # Renditions made again from the stored original: new objects, the old ones gone.
    old = {r.file.name for r in image.renditions.all()}
    with django_capture_on_commit_callbacks(execute=True):
        image.make_renditions()
    new = {r.file.name for r in image.renditions.all()}
    assert new and new <= _keys(bucket)

    # Deleting the picture deletes every object it had.
    story.delete()
    with django_capture_on_commit_callbacks(execute=True):
        Image.objects.get().delete()
    assert _keys(bucket) == set(), (old, new)
