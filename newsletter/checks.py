from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility)
def check_broker(app_configs, **kwargs):
    """In production, mail without a broker would be sent inside web requests."""
    if settings.DEBUG or settings.CELERY_BROKER_URL:
        return []
    return [
        checks.Warning(
            "No CELERY_BROKER_URL: emails are sent inside web requests, and a slow mail server slows "
            "the site.",
            hint="Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) and run a Celery worker.",
            id="newsletter.W001",
        )
    ]
