"""The newsletter against real services: simultaneous signups on PostgreSQL, the rate limit in Redis."""

import threading
import uuid

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from newsletter.models import Subscriber
from tests.factories import NewsletterFactory
from tests.test_newsletter import ALREADY, JSON, SUCCESS, read_form, sign_up

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(autouse=True)
def _fast_form(settings):
    settings.NEWSLETTER_MIN_SUBMIT_SECONDS = 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("double_opt_in", [False, True], ids=["active-at-once", "double-opt-in"])
def test_simultaneous_signups_of_one_address_make_one_row(settings, double_opt_in):
    if connection.vendor != "postgresql":
        pytest.skip(
            "PostgreSQL only: the SQLite test database lives in memory with a shared cache, where a "
            "second writer fails at once ('table is locked') instead of waiting its turn as it does "
            "on the site's file database (transaction_mode IMMEDIATE). Runs in the PostgreSQL pass "
            "of .ci/run, or with DATABASE_URL set to a PostgreSQL database."
        )
    settings.NEWSLETTER_DOUBLE_OPT_IN = double_opt_in
    settings.NEWSLETTER_RATE_LIMIT = 100
    newsletter = NewsletterFactory()
    page = f"/newsletter/{newsletter.slug}/"
    threads_count = 8
    start = threading.Barrier(threads_count)
    answers, errors = [], []

    def reader(n):
        try:
            client = Client()
            action, fields = read_form(client, page)
            fields["email"] = "Same.Reader@Example.com" if n % 2 else "same.reader@example.com "
            start.wait(timeout=10)
            response = client.post(action, fields, **JSON)
            answers.append((response.status_code, response.json()))
        except Exception as error:  # a 500 raises here: the test client re-raises view errors
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors
    assert len(answers) == threads_count
    statuses = sorted(status for status, _body in answers)
    [subscriber] = Subscriber.objects.filter(newsletter=newsletter)
    if double_opt_in:
        # Only pending: every reader is told the same truth, never "already subscribed".
        assert statuses == [201] * threads_count
        assert {body["message"] for _status, body in answers} == {SUCCESS}
        assert subscriber.status == Subscriber.Status.PENDING
        assert mail.outbox and {tuple(message.to) for message in mail.outbox} == {(subscriber.email,)}
    else:
        # The winner is active at once: every other answer is 409.
        assert statuses == [201] + [409] * (threads_count - 1)
        for status, body in answers:
            assert body["message"] == (SUCCESS if status == 201 else ALREADY)
        assert subscriber.status == Subscriber.Status.ACTIVE
        assert len(mail.outbox) == 1


@pytest.fixture
def redis_cache(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: start it to test the rate limit against it.")
    prefix = f"newsroom-test-{uuid.uuid4().hex}"
    redis_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    settings.CACHES = {
        "default": {**redis_cache, "KEY_PREFIX": prefix},
        "pages": {**redis_cache, "KEY_PREFIX": f"{prefix}-pages"},  # as with REDIS_URL set
    }
    yield redis.Redis.from_url(REDIS_URL), prefix
    # Remove only this test's keys: the Redis may be shared with a running site.
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)


@pytest.mark.django_db
def test_rate_limit_with_redis(client, settings, redis_cache):
    redis_client, prefix = redis_cache
    settings.NEWSLETTER_RATE_LIMIT = 10
    settings.NEWSLETTER_RATE_WINDOW = 60

    answers = [sign_up(client, f"reader{n}@example.com", json=True).status_code for n in range(11)]

    assert answers == [201] * 10 + [429]
    [counter] = [key for key in redis_client.scan_iter(f"{prefix}:*") if b"newsletter:signups" in key]
    assert int(redis_client.get(counter)) == 11
    assert 0 < redis_client.ttl(counter) <= 60
    assert Subscriber.objects.count() == 10
    assert sign_up(client, "reader11@example.com", json=True, remote_addr="10.0.0.3").status_code == 201
