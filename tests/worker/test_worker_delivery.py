"""An edition to 5,000 subscribers through real Celery workers, Redis and an SMTP server: every
recipient exactly once, even when the worker is killed mid-send."""

from collections import Counter

import pytest

from newsletter import services
from newsletter.models import Delivery, Edition, Newsletter, Subscriber
from tests.factories import ArticleFactory, EditionFactory
from tests.worker.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SUBSCRIBERS = 5000


@pytest.fixture
def edition():
    newsletter = Newsletter.objects.create(name="Workers", slug="workers", description="Sent by workers")
    Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n}@example.com", newsletter=newsletter, status=Subscriber.Status.ACTIVE)
        for n in range(SUBSCRIBERS)
    )
    return EditionFactory(newsletter=newsletter, articles=ArticleFactory.create_batch(3))


def sent(edition):
    return Edition.objects.get(pk=edition.pk).status == Edition.Status.SENT


def test_a_worker_sends_an_edition_to_every_subscriber_once(edition, workers, smtp):
    workers.start()

    assert services.send_edition(edition) == SUBSCRIBERS
    wait_for(lambda: sent(edition), timeout=600, what=f"the edition to be sent\n{workers.logs()}")

    received = Counter(smtp.handler.recipients)
    assert len(received) == SUBSCRIBERS
    assert set(received.values()) == {1}
    assert edition.deliveries.filter(status=Delivery.Status.SENT).count() == SUBSCRIBERS


def test_a_worker_killed_mid_send_and_restarted_sends_nobody_twice_and_skips_nobody(edition, workers, smtp):
    first = workers.start()
    services.send_edition(edition)
    wait_for(lambda: len(smtp.handler.recipients) >= 1000, timeout=300, what="a thousand messages")

    workers.kill(first)
    at_kill = len(smtp.handler.recipients)
    assert at_kill < SUBSCRIBERS, "the edition went out before the worker could be killed"
    workers.start()
    wait_for(lambda: sent(edition), timeout=600, what=f"the edition to be sent\n{workers.logs()}")

    received = Counter(smtp.handler.recipients)
    assert set(received.values()) == {1}, "someone got the edition twice"
    statuses = Counter(edition.deliveries.values_list("status", flat=True))
    assert set(statuses) <= {Delivery.Status.SENT, Delivery.Status.UNKNOWN}
    assert statuses[Delivery.Status.UNKNOWN] <= 2  # at most one message in flight per pool process
    unknown = set(
        edition.deliveries.filter(status=Delivery.Status.UNKNOWN).values_list("subscriber__email", flat=True)
    )
    everyone = {f"reader{n}@example.com" for n in range(SUBSCRIBERS)}
    assert everyone - set(received) <= unknown, "someone was skipped"
    assert set(received) | unknown == everyone
