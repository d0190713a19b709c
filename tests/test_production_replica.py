"""The read replica router, run with DATABASE_REPLICA_URL set (test_production.py starts it so).

The replica is a test mirror of the primary (same data), so what is checked is where each query
is sent: connections["replica"] or connections["default"].
"""

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from newsletter.models import Subscriber
from tests.factories import ArticleFactory, NewsletterFactory
from tests.test_newsletter import BROWSER, read_form

pytestmark = [
    pytest.mark.skipif("replica" not in settings.DATABASES, reason="needs DATABASE_REPLICA_URL"),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.NEWSLETTER_MIN_SUBMIT_SECONDS = 0


def _queries(method, *args, **kwargs):
    with CaptureQueriesContext(connections["default"]) as primary:
        with CaptureQueriesContext(connections["replica"]) as replica:
            response = method(*args, **kwargs)
    return response, len(primary), len(replica)


def test_reader_pages_read_from_the_replica():
    story = ArticleFactory()
    client = Client()
    for url in ("/", story.get_absolute_url(), "/newsletter/"):
        response, primary, replica = _queries(client.get, url)
        assert response.status_code == 200
        assert primary == 0 and replica > 0, url


def test_writes_and_reads_after_them_use_the_primary():
    NewsletterFactory(is_default=True)  # a transactional test starts without the migration's
    client = Client()
    action, fields = read_form(client, "/newsletter/")
    fields.update(email="reader@example.com")
    response, primary, replica = _queries(client.post, action, fields, **BROWSER)
    assert response.status_code == 303
    assert primary > 0 and replica == 0
    assert Subscriber.objects.filter(email="reader@example.com").exists()


def test_signed_in_staff_and_the_admin_use_the_primary(superuser):
    ArticleFactory()
    client = Client()
    client.force_login(superuser)
    for url in ("/", "/admin/articles/article/"):
        response, primary, replica = _queries(client.get, url)
        assert response.status_code == 200
        assert primary > 0 and replica == 0, url


def test_outside_a_request_everything_uses_the_primary():
    ArticleFactory()
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert Subscriber.objects.count() == 0
    assert len(replica) == 0
