"""Production settings (DEBUG off), with static files collected without compression: quicker to
collect once per fault-test session, and the faults are elsewhere."""

from newsroom.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
