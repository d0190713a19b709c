from django.conf import settings
from django.core.checks import Tags, Warning, register


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
