"""Who else has a story open in the admin, for the "also editing" notice.

Each open change form says so when it loads and then every minute (static/admin/articles/
editing.js posts to the story's "editing/" URL). A person who stops for EDITING_NOTICE_SECONDS
drops out of the notice by themselves. Kept in the default cache: shared by every web process
when REDIS_URL is set; if the cache is down the notice is simply missing.
"""

import logging
import time

from django.core.cache import cache

EDITING_NOTICE_SECONDS = 300

log = logging.getLogger(__name__)


def _key(story_pk):
    return f"editing:story:{story_pk}"


def mark_editing(story_pk, user):
    """Note that `user` has the story open now; return the others who had it open lately."""
    now = time.time()
    try:
        present = cache.get(_key(story_pk)) or {}
        present = {pk: seen for pk, seen in present.items() if now - seen[1] < EDITING_NOTICE_SECONDS}
        present[user.pk] = (user.get_full_name() or user.get_username(), now)
        cache.set(_key(story_pk), present, EDITING_NOTICE_SECONDS)
    except Exception:  # a cache outage costs the notice, never the form
        log.exception("Could not record who is editing story %s", story_pk)
        return []
    return sorted(name for pk, (name, _seen) in present.items() if pk != user.pk)
