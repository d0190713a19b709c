# Load the Celery app with Django, so @shared_task uses it (in the web process too).
from .celery import app as celery_app

__all__ = ["celery_app"]
