"""Production behaviour through HTTP: health checks, malformed requests, readers behind a proxy."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from newsletter.models import Newsletter, Subscriber
from tests.factories import SectionFactory
from tests.test_newsletter import BROWSER, JSON, read_form

pytestmark = pytest.mark.django_db

BAD_REQUEST = "This request could not be understood"
LATIN1 = "application/x-www-form-urlencoded; charset=latin-1"


@pytest.fixture(autouse=True)
def _fast_form(settings):
    settings.NEWSLETTER_MIN_SUBMIT_SECONDS = 0


def _request_logs(caplog):
    return [
        r for r in caplog.records if r.name in ("django.request", "newsroom.middleware", "django.security")
    ]


def test_healthz_answers_without_cookie_cache_or_log(client, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert not _request_logs(caplog)


def test_healthz_is_not_redirected_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/").status_code == 301


def test_readyz_checks_database_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database:default": "ok", "cache": "ok"}}
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_503_when_the_cache_fails(client, settings, caplog):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing answers
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("error")
    assert response.json()["checks"]["database:default"] == "ok"
    assert "readyz: not ready" in caplog.text


@pytest.mark.parametrize("path", ["/", "/admin/login/", "/newsletter/", "/no-such-page/"])
def test_latin1_form_is_a_400_page_with_one_log_line(path, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.generic(
            "POST",
            path,
            "email=a\xe9b@example.com".encode("latin-1"),
            content_type=LATIN1,
            HTTP_COOKIE="csrftoken=" + "a" * 32,
        )
    assert response.status_code == 400
    assert BAD_REQUEST in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    logs = _request_logs(caplog)
    assert len(logs) == 1 and "not UTF-8" in logs[0].getMessage()


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%00",
        "/search/?q=a%00b",
        "/?page=1%00",
        "/admin/autocomplete/?app_label=articles&model_name=article&field_name=tags&term=%00",
    ],
)
def test_nul_in_a_query_is_a_400_page(url, caplog, superuser):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    response = client.get(url)
    assert response.status_code == 400
    assert BAD_REQUEST in response.content.decode()
    assert len(_request_logs(caplog)) == 1


def test_nul_in_a_signup_is_a_400_and_saves_nothing(caplog):
    client = Client(raise_request_exception=False)
    action, fields = read_form(client, "/newsletter/")
    fields.update(email="reader@example.com", next="/\x00evil")
    response = client.post(action, fields, **BROWSER)
    assert response.status_code == 400
    assert BAD_REQUEST in response.content.decode()
    assert not Subscriber.objects.exists()
    assert len(_request_logs(caplog)) == 1


def test_nul_in_a_multipart_upload_field_is_a_400(superuser):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    response = client.post("/admin/articles/section/add/", {"name": "A\x00B", "slug": "a"})
    assert response.status_code == 400
    assert not SectionFactory._meta.model.objects.filter(slug="a").exists()


def _sign_up(client, email, remote_addr, forwarded=None):
    action, fields = read_form(client, "/newsletter/")
    fields.update(email=email)
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(action, fields, REMOTE_ADDR=remote_addr, **BROWSER, **JSON, **extra)


def test_rate_limit_counts_readers_behind_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.NEWSLETTER_RATE_LIMIT = 1
    client = Client()
    # Two readers through the same proxy: each has a limit of its own.
    assert _sign_up(client, "one@example.com", "127.0.0.1", "198.51.100.7").status_code == 201
    assert _sign_up(client, "two@example.com", "127.0.0.1", "198.51.100.8").status_code == 201
    # The first reader again, even with a made-up address put in front by the client: limited.
    assert _sign_up(client, "three@example.com", "127.0.0.1", "203.0.113.1, 198.51.100.7").status_code == 429


def test_forwarded_for_is_ignored_from_anyone_else(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.NEWSLETTER_RATE_LIMIT = 1
    client = Client()
    assert _sign_up(client, "one@example.com", "192.0.2.50", "198.51.100.7").status_code == 201
    # Same client, another claimed address: still the same reader.
    assert _sign_up(client, "two@example.com", "192.0.2.50", "198.51.100.9").status_code == 429
    assert Newsletter.objects.exists()


def test_replica_router_with_a_replica_configured():
    """Runs tests/test_production_replica.py with DATABASE_REPLICA_URL set (settings are read once)."""
    url = os.environ.get("DATABASE_URL", "sqlite:///var/db.sqlite3")
    if not url.startswith("sqlite"):
        url += "_replica"  # its own test database: this run's is in use
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_REPLICA_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_production_replica.py", "-q", "-p", "no:cacheprovider"],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "4 passed" in result.stdout


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_large_picture_is_reduced_before_its_renditions_are_cut(fmt, settings, tmp_path):
    """Reduced first (less memory), the renditions are still every width of every crop."""
    from articles.models import Image
    from tests.factories import uploaded_image

    settings.MEDIA_ROOT = str(tmp_path)
    image = Image(file=uploaded_image(f"big.{fmt.lower()}", 5000, 3400, fmt), alt_text="big")
    image.save()
    sizes = {(r.crop, r.width, r.height) for r in image.renditions.all()}
    assert ("", 1600, 1088) in sizes
    assert ("16:9", 1600, 900) in sizes
    assert ("1:1", 1600, 1600) in sizes
    assert {w for crop, w, h in sizes} == set(settings.IMAGE_RENDITION_WIDTHS)


def test_reader_pages_have_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no inline script, nothing from elsewhere
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_the_admin_policy_lets_ckeditor_work(client, superuser):
    client.force_login(superuser)
    policy = client.get("/admin/articles/article/add/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_a_script_gets_the_400_as_json():
    client = Client(raise_request_exception=False)
    action, fields = read_form(client, "/newsletter/")
    fields.update(email="reader@example.com", next="/\x00evil")
    response = client.post(action, fields, **BROWSER, **JSON)
    assert response.status_code == 400
    assert response.json()["status"] == "invalid"
    assert not Subscriber.objects.exists()
