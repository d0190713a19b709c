"""Settings come from the environment: each test starts `manage.py` with a controlled one."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

MANAGE = Path(__file__).resolve().parent.parent / "manage.py"

# What each subprocess prints about the settings it ended up with.
SHOW_SETTINGS = """
import json
from django.conf import settings
from django.db import connection
print(json.dumps({
    "vendor": connection.vendor,
    "name": str(connection.settings_dict["NAME"]),
    "host": connection.settings_dict["HOST"],
    "debug": settings.DEBUG,
    "allowed_hosts": settings.ALLOWED_HOSTS,
}))
"""


def manage(*args, **env):
    """Run manage.py with only PATH, HOME and the given variables in its environment."""
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, str(MANAGE), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def show_settings(**env):
    result = manage("shell", "--no-imports", "-c", SHOW_SETTINGS, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = manage("check", DJANGO_DEBUG="0")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_runs_without_a_secret_key():
    assert manage("check", DJANGO_DEBUG="1").returncode == 0


def test_production_environment_passes_the_deployment_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="news.example.com",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_database_url_selects_the_database(tmp_path):
    sqlite_file = tmp_path / "chosen.sqlite3"
    sqlite = show_settings(DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{sqlite_file}")
    postgres = show_settings(
        DJANGO_DEBUG="1", DATABASE_URL="postgres://reader@db.example.com:5432/newsroom_prod"
    )

    assert (sqlite["vendor"], sqlite["name"]) == ("sqlite", str(sqlite_file))
    assert (postgres["vendor"], postgres["name"], postgres["host"]) == (
        "postgresql",
        "newsroom_prod",
        "db.example.com",
    )


def test_allowed_hosts_come_from_a_comma_separated_list():
    shown = show_settings(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="news.example.com, www.news.example.com",
    )

    assert shown["debug"] is False
    assert shown["allowed_hosts"] == ["news.example.com", "www.news.example.com"]
