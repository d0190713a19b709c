"""Reads of anonymous reader pages from the read replica (DATABASE_REPLICA_URL); all else primary.

``ReplicaMiddleware`` allows the replica for a GET or HEAD without a session cookie (a reader, not
an editor who must see what they just saved) outside the admin. Within such a request, a read
still goes to the primary when it runs inside a transaction, or once the request has written
anything (the replica may not have the write yet). Management commands, Celery tasks and every
other request use the primary only.
"""

import contextvars

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_replica_allowed = contextvars.ContextVar("replica_allowed", default=False)
_wrote = contextvars.ContextVar("wrote", default=False)


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        allowed = (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path_info.startswith("/admin/")
        )
        tokens = (_replica_allowed.set(allowed), _wrote.set(False))
        try:
            return self.get_response(request)
        finally:
            _replica_allowed.reset(tokens[0])
            _wrote.reset(tokens[1])


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _replica_allowed.get() and not _wrote.get() and not connections["default"].in_atomic_block:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        _wrote.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
