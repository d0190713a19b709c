"""PostgreSQL with a client-side deadline, so a database that stops answering fails fast.

The server's statement_timeout (``DATABASE_STATEMENT_TIMEOUT``) ends slow queries, and libpq's
connect_timeout a server that never accepts. Neither helps when the server is frozen (stopped
process, lost host) on a connection already open: the kernel still acknowledges, and the query
would wait for ever (until gunicorn kills the worker and the reader gets an empty reply). So every
wait on the socket goes through ``_wait`` (psycopg2's wait callback), which gives up after
``DATABASE_CONNECT_TIMEOUT`` while connecting or checking a kept connection, and
``DATABASE_STATEMENT_TIMEOUT`` + 2 s for a query,
shuts the socket (so the dead connection is discarded at once, never reused) and raises
OperationalError: readers get the 503 page (newsroom/middleware.py).
"""

import contextvars
import select
import socket
import time

import psycopg2
import psycopg2.extensions
from django.conf import settings
from django.db.backends.postgresql import base

_limit = contextvars.ContextVar("database_wait_limit", default=None)


def _wait(connection):
    limit = _limit.get() or settings.DATABASE_STATEMENT_TIMEOUT + 2
    deadline = time.monotonic() + limit
    while True:
        state = connection.poll()
        if state == psycopg2.extensions.POLL_OK:
            return
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            _shut(connection)
            raise psycopg2.OperationalError(f"the database did not answer within {limit:g} s")
        if state == psycopg2.extensions.POLL_READ:
            select.select([connection.fileno()], [], [], remaining)
        elif state == psycopg2.extensions.POLL_WRITE:
            select.select([], [connection.fileno()], [], remaining)
        else:
            raise psycopg2.OperationalError(f"bad poll state {state}")


def _shut(connection):
    try:
        sock = socket.socket(fileno=socket.dup(connection.fileno()))
    except (OSError, ValueError, psycopg2.Error):
        return
    with sock:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


psycopg2.extensions.set_wait_callback(_wait)


class DatabaseWrapper(base.DatabaseWrapper):
    """Connecting, and checking a kept connection before reuse, wait DATABASE_CONNECT_TIMEOUT."""

    def get_new_connection(self, conn_params):
        token = _limit.set(settings.DATABASE_CONNECT_TIMEOUT)
        try:
            return super().get_new_connection(conn_params)
        finally:
            _limit.reset(token)

    def is_usable(self):
        token = _limit.set(settings.DATABASE_CONNECT_TIMEOUT)
        try:
            return super().is_usable()
        finally:
            _limit.reset(token)
