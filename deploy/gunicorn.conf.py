"""gunicorn settings for Newsroom (`gunicorn -c deploy/gunicorn.conf.py newsroom.wsgi`).

Every value can be changed from the environment (README, "Running in production"). The timeout
is longer than the database's client-side deadline (DATABASE_STATEMENT_TIMEOUT + 2 s), so a
request stuck on a database that does not answer gets the site's 503 page, not a killed worker.
"""

import multiprocessing
import os

from gunicorn.glogging import Logger

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# nginx keeps connections to gunicorn short; a browser never talks to gunicorn directly.
keepalive = 5
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# No control socket in the home directory: one per deploy is not needed.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
# Who asked, for what, the answer and its time in microseconds (nginx logs the reader's address).
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1")


class QuietHealthLogger(Logger):
    """The access log without the load balancer's health checks (/healthz, /readyz)."""

    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") in ("/healthz", "/readyz"):
            return
        super().access(resp, req, environ, request_time)


logger_class = QuietHealthLogger
