from django.conf import settings

from .models import Section


def site(request):
    """Site name and the sections for the navigation, on every page."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "nav_sections": Section.objects.all(),
    }
