"""Sign-in protection (issue 10, point 9): the admin's login over HTTP, with django-axes."""

import pytest
from axes.models import AccessAttempt

from tests.factories import EditorFactory, JournalistFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PAUSED = "Too many failed sign-ins"


def sign_in(client, username, password, address="203.0.113.5", **headers):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def test_five_failures_for_one_user_name_lock_it_out(client):
    # Measured: 200 wrong passwords in 24 s, no lockout, no slowdown.
    JournalistFactory(username="jo")
    for attempt in range(4):
        assert sign_in(client, "jo", f"wrong-{attempt}").status_code == 200

    locked = sign_in(client, "jo", "wrong-5")
    assert locked.status_code == 429
    assert PAUSED in locked.content.decode()
    assert "try again in 15 minutes" in locked.content.decode()

    # Even the right password is refused now, from any address.
    refused = sign_in(client, "jo", "secret-password", address="198.51.100.7")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_twenty_failures_from_one_address_lock_it_out(client):
    JournalistFactory(username="jo")
    for attempt in range(19):
        assert sign_in(client, f"guess{attempt}", "wrong").status_code == 200

    assert sign_in(client, "guess-last", "wrong").status_code == 429
    assert sign_in(client, "jo", "secret-password").status_code == 429
    # Another address, and that user name, still sign in.
    assert sign_in(client, "jo", "secret-password", address="198.51.100.7").status_code == 302


def test_a_few_failures_then_the_right_password_signs_in(client):
    JournalistFactory(username="jo")
    for _attempt in range(4):
        sign_in(client, "jo", "wrong")
    assert sign_in(client, "jo", "secret-password").status_code == 302


def test_behind_the_proxy_addresses_come_from_x_forwarded_for(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    JournalistFactory(username="jo")
    for attempt in range(20):
        sign_in(client, f"guess{attempt}", "wrong", address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")

    # The attacker behind the proxy is locked out; a colleague behind the same proxy is not.
    attacker = sign_in(
        client, "jo", "secret-password", address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    colleague = sign_in(
        client, "jo", "secret-password", address="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20"
    )
    assert attacker.status_code == 429
    assert colleague.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_an_editor_unlocks_an_account(client):
    JournalistFactory(username="jo")
    for _attempt in range(5):
        sign_in(client, "jo", "wrong")
    assert sign_in(client, "jo", "secret-password").status_code == 429

    editor_client = client.__class__()
    editor_client.force_login(EditorFactory())
    listing = editor_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    attempts = list(AccessAttempt.objects.filter(username="jo").values_list("pk", flat=True))
    response = editor_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    assert response.status_code == 302

    assert sign_in(client, "jo", "secret-password").status_code == 302


def test_journalists_cannot_unlock(client):
    client.force_login(JournalistFactory())
    assert client.get("/admin/axes/accessattempt/").status_code == 403
