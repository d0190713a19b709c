from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .renditions import TEMPLATE_CROPS, Crop


@register(Tags.caches, deploy=True)
def page_cache_is_shared(app_configs, **kwargs):
    """Each process has its own memory cache: an edit would invalidate the pages of one worker only."""
    backend = settings.CACHES.get("pages", {}).get("BACKEND", "")
    if settings.PAGE_CACHE_SECONDS > 0 and backend.endswith("LocMemCache"):
        return [
            Warning(
                "The page cache is in each process's memory: with several web processes, an edit "
                "reaches the others' cached pages only after PAGE_CACHE_SECONDS.",
                hint="Set REDIS_URL (or PAGE_CACHE_SECONDS=0 for no page cache).",
                id="articles.W001",
            )
        ]
    return []


@register()
def named_crops_are_made(app_configs, **kwargs):
    """The crops code and templates name (articles/renditions.py) must be cut at upload, or story
    cards and author photos would quietly show the whole picture."""
    try:
        made = {str(Crop.parse(value)) for value in settings.IMAGE_CROPS}
    except ValueError:
        return [
            Error(
                f"IMAGE_CROPS holds something that is not an aspect ratio: {settings.IMAGE_CROPS}.",
                id="articles.E001",
            )
        ]
    return [
        Error(
            f'IMAGE_CROPS lacks "{crop}", which the site shows as its "{name}" crop.',
            hint="Add it to IMAGE_CROPS in newsroom/settings.py, then run manage.py make_renditions --all.",
            id="articles.E002",
        )
        for name, crop in TEMPLATE_CROPS.items()
        if crop not in made
    ]
