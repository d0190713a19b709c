"""Mail as Celery tasks, and editions delivered exactly once, against a real SMTP server (aiosmtpd).

Without a broker (the tests' default, like `make run`) tasks run in-process once the transaction
commits, retries included; the `broker` fixture gives Celery an in-memory broker instead, so a
test sees what a web request queues and runs it like a worker would.
"""

import email
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from newsletter import services
from newsletter.models import Delivery, Edition, Newsletter, Subscriber
from newsroom.celery import app as celery_app
from tests.factories import ArticleFactory, EditionFactory, NewsletterFactory, SubscriberFactory
from tests.test_newsletter import JSON, read_form
from tests.test_settings import manage
from tests.worker.smtp import CrashAfterHandOff, HangingServer, SMTPServer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.NEWSLETTER_MIN_SUBMIT_SECONDS = 0
    settings.NEWSLETTER_DOUBLE_OPT_IN = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp(settings):
    """A real SMTP server that Django sends to."""
    with SMTPServer() as server:
        settings.EMAIL_PORT = server.port
        yield server.handler


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """The test's transaction never commits: run what would run on commit (tasks queued or run)."""

    def run(callable_, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return callable_(*args, **kwargs)

    return run


class Broker:
    """Celery with an in-memory broker: tasks are queued, and run() plays the worker."""

    def queued(self):
        """Take every queued task off the queue: [(task name, args)]."""
        tasks = []
        with celery_app.connection_for_read() as connection:
            queue = connection.SimpleQueue("celery")
            while True:
                try:
                    message = queue.get(block=False)
                except queue.Empty:
                    break
                message.ack()
                tasks.append((message.headers["task"], message.payload[0]))
            queue.close()
        return tasks

    def run(self, tasks):
        for name, args in tasks:
            celery_app.tasks[name].apply(args=args)


@pytest.fixture
def broker():
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager, conf.broker_url = False, "memory://"
    celery_app._pool = celery_app.amqp._producer_pool = None  # connect anew, to the memory broker
    helper = Broker()
    helper.queued()  # nothing left over from another test
    yield helper
    helper.queued()
    conf.task_always_eager, conf.broker_url = saved
    celery_app._pool = celery_app.amqp._producer_pool = None


def sign_up(client, address, page="/newsletter/"):
    action, fields = read_form(client, page)
    fields["email"] = address
    return client.post(action, fields, **JSON)


def edition_for(newsletter):
    return EditionFactory(newsletter=newsletter, articles=[ArticleFactory()])


def statuses(edition):
    return dict(edition.deliveries.values_list("subscriber__email", "status"))


# --- Confirmation and welcome mail ---


def test_a_confirmation_is_retried_after_a_temporary_smtp_failure(client, smtp, on_commit):
    smtp.temporary_failures = 1  # "421 Try again later", then accepted

    response = on_commit(sign_up, client, "reader@example.com")

    assert response.status_code == 201
    assert smtp.temporary_failures == 0  # the server did answer 421 once
    assert smtp.recipients == ["reader@example.com"]
    assert b"/newsletter/confirm/" in smtp.received[0][2]
    assert Subscriber.objects.get().confirmation_sent_at is not None


def test_the_resend_wait_counts_from_a_send_that_worked(client, smtp, on_commit):
    smtp.temporary_failures = 100  # the mail server is refusing for now: every retry fails

    on_commit(sign_up, client, "reader@example.com")

    assert smtp.recipients == []
    assert Subscriber.objects.get().confirmation_sent_at is None

    smtp.temporary_failures = 0  # back; the reader tries again at once and gets the email
    on_commit(sign_up, client, "reader@example.com")
    sent_at = Subscriber.objects.get().confirmation_sent_at

    assert smtp.recipients == ["reader@example.com"]
    assert sent_at is not None

    on_commit(sign_up, client, "reader@example.com")  # within the wait: no second email

    assert smtp.recipients == ["reader@example.com"]
    assert Subscriber.objects.get().confirmation_sent_at == sent_at


def test_the_welcome_mail_is_a_task_too(client, smtp, on_commit, settings):
    settings.NEWSLETTER_DOUBLE_OPT_IN = False
    smtp.temporary_failures = 1

    on_commit(sign_up, client, "reader@example.com")

    assert smtp.recipients == ["reader@example.com"]
    assert b"Welcome" in smtp.received[0][2]


def test_with_a_broker_a_signup_only_queues_its_mail_while_the_server_hangs(
    client, broker, on_commit, settings
):
    with HangingServer() as stuck:
        settings.EMAIL_PORT = stuck.port

        response = on_commit(sign_up, client, "reader@example.com")

        assert response.status_code == 201
        assert stuck.accepted == []  # the request never opened a connection to the mail server
        queued = broker.queued()
    subscriber = Subscriber.objects.get()
    assert queued == [("newsletter.tasks.send_confirmation", [subscriber.pk])]

    with SMTPServer() as server:  # a worker sends it once a server answers
        settings.EMAIL_PORT = server.port
        broker.run(queued)

    assert server.handler.recipients == ["reader@example.com"]


def test_without_a_broker_a_hanging_server_costs_one_retry_at_most(client, on_commit, settings):
    """The newcomer's default runs mail inside the request: two attempts, then the reader's answer."""
    settings.EMAIL_TIMEOUT = 1
    with HangingServer() as stuck:
        settings.EMAIL_PORT = stuck.port

        response = on_commit(sign_up, client, "reader@example.com")

        assert response.status_code == 201
        assert len(stuck.accepted) == 2
    assert Subscriber.objects.get().confirmation_sent_at is None  # nothing went: the next signup resends


# --- Editions ---


def test_an_edition_fans_out_in_batches_each_over_one_connection(smtp, broker, on_commit, settings):
    settings.NEWSLETTER_BATCH_SIZE = 3
    newsletter = NewsletterFactory()
    readers = SubscriberFactory.create_batch(7, newsletter=newsletter)
    SubscriberFactory(newsletter=newsletter, status=Subscriber.Status.PENDING)
    SubscriberFactory(newsletter=newsletter, status=Subscriber.Status.UNSUBSCRIBED)
    SubscriberFactory(email="other@example.com")  # another newsletter's
    edition = edition_for(newsletter)

    assert on_commit(services.send_edition, edition) == 7

    tasks = broker.queued()
    assert [name for name, _args in tasks] == ["newsletter.tasks.send_edition_batch"] * 3
    assert smtp.recipients == []  # nothing sent in the request
    edition.refresh_from_db()
    assert (edition.status, edition.recipients, edition.finished_at) == (Edition.Status.SENDING, 7, None)

    broker.run(tasks)

    assert sorted(smtp.recipients) == sorted(reader.email for reader in readers)
    assert len(smtp.connections) == 3
    assert len({message_id for _rcpt, message_id, *_ in smtp.received}) == 7
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT and edition.finished_at is not None
    assert set(statuses(edition).values()) == {Delivery.Status.SENT}


def test_a_second_send_of_an_edition_is_refused(smtp, on_commit):
    edition = edition_for(SubscriberFactory().newsletter)
    on_commit(services.send_edition, edition)

    with pytest.raises(services.EditionError):
        on_commit(services.send_edition, edition)

    assert len(smtp.recipients) == 1


def test_a_batch_that_dies_between_hand_off_and_record_resends_nothing(smtp, on_commit, settings):
    settings.EMAIL_BACKEND = "tests.worker.smtp.CrashAfterHandOff"
    settings.NEWSLETTER_BATCH_SIZE = 10
    newsletter = NewsletterFactory()
    readers = SubscriberFactory.create_batch(6, newsletter=newsletter)
    edition = edition_for(newsletter)
    CrashAfterHandOff.handed, CrashAfterHandOff.crash_after = 0, 3

    with pytest.raises(SystemExit):  # the worker dies right after the 3rd message went
        on_commit(services.send_edition, edition)

    assert len(smtp.recipients) == 3
    assert list(statuses(edition).values()).count(Delivery.Status.SENDING) == 1
    delivery = edition.deliveries.get(status=Delivery.Status.SENDING)

    # The batch runs again (its task was given back to the queue) once the claim is stale.
    settings.NEWSLETTER_CLAIM_TIMEOUT = 0
    services.delivery.fan_out(edition.pk, services.delivery.batches([delivery.pk - 2, delivery.pk + 3]))

    assert sorted(smtp.recipients) == sorted(reader.email for reader in readers)  # each exactly once
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.UNKNOWN
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT
    counts = {status: list(statuses(edition).values()).count(status) for status in Delivery.Status.values}
    assert counts[Delivery.Status.SENT] == 5 and counts[Delivery.Status.UNKNOWN] == 1

    services.delivery.fan_out(edition.pk, [(delivery.pk - 2, delivery.pk + 3)])  # and again: nothing
    assert len(smtp.recipients) == 6


def test_a_batch_still_claimed_by_another_run_waits_for_the_claim_to_go_stale(
    smtp, broker, on_commit, settings
):
    settings.EMAIL_BACKEND = "tests.worker.smtp.CrashAfterHandOff"
    settings.NEWSLETTER_CLAIM_TIMEOUT = 600
    newsletter = NewsletterFactory()
    SubscriberFactory.create_batch(3, newsletter=newsletter)
    edition = edition_for(newsletter)
    on_commit(services.send_edition, edition)
    [(name, args)] = broker.queued()
    CrashAfterHandOff.handed, CrashAfterHandOff.crash_after = 0, 1
    with pytest.raises(SystemExit):
        broker.run([(name, args)])

    celery_app.tasks[name].apply(args=args)  # redelivered at once: the claim is fresh

    assert len(smtp.recipients) == 3  # the others went; the claimed one is left alone
    assert list(statuses(edition).values()).count(Delivery.Status.SENDING) == 1
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENDING

    settings.NEWSLETTER_CLAIM_TIMEOUT = 0  # later, the sweep (every minute) finds the claim stale
    celery_app.tasks["newsletter.tasks.send_scheduled_editions"].apply()

    assert list(statuses(edition).values()).count(Delivery.Status.UNKNOWN) == 1
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT
    assert len(smtp.recipients) == 3


def test_a_temporary_failure_mid_batch_queues_the_rest_for_a_retry(smtp, on_commit, settings):
    newsletter = NewsletterFactory()
    SubscriberFactory.create_batch(4, newsletter=newsletter)
    greylisted = SubscriberFactory(newsletter=newsletter, email="grey@example.com")
    smtp.greylist = {greylisted.email}
    smtp.temporary_failures = 1  # and "421" to the very first message
    settings.NEWSLETTER_MAIL_RETRIES = 8  # a worker's default (with a broker)
    edition = edition_for(newsletter)

    on_commit(services.send_edition, edition)

    assert sorted(smtp.recipients) == sorted(s.email for s in newsletter.subscribers.all())
    assert set(statuses(edition).values()) == {Delivery.Status.SENT}


def test_an_address_that_unsubscribes_during_a_send_gets_nothing_more(
    client, smtp, broker, on_commit, settings
):
    settings.NEWSLETTER_BATCH_SIZE = 2
    newsletter = NewsletterFactory()
    readers = SubscriberFactory.create_batch(4, newsletter=newsletter)
    first = edition_for(newsletter)
    on_commit(services.send_edition, first)
    broker.run(broker.queued())
    leaving = readers[-1]  # in the second batch
    message = next(raw for rcpt, _id, raw, _peer in smtp.received if rcpt == leaving.email)
    unsubscribe = re.search(r"<([^>]+)>", email.message_from_bytes(message)["List-Unsubscribe"]).group(1)

    second = edition_for(newsletter)
    on_commit(services.send_edition, second)
    first_batch, second_batch = broker.queued()
    broker.run([first_batch])
    assert client.post(urlsplit(unsubscribe).path).status_code == 200  # one-click, RFC 8058
    broker.run([second_batch])

    got_second = smtp.recipients[4:]
    assert sorted(got_second) == sorted(reader.email for reader in readers[:3])
    assert statuses(second)[leaving.email] == Delivery.Status.SKIPPED
    second.refresh_from_db()
    assert second.status == Edition.Status.SENT


def test_three_refused_editions_in_a_row_make_an_address_bouncing(admin_client, smtp, on_commit):
    newsletter = NewsletterFactory()
    fine = SubscriberFactory(newsletter=newsletter, email="fine@example.com")
    gone = SubscriberFactory(newsletter=newsletter, email="gone@example.com")
    flaky = SubscriberFactory(newsletter=newsletter, email="flaky@example.com")
    smtp.refuse = {gone.email, flaky.email}

    for number in range(3):
        if number == 1:
            smtp.refuse = {gone.email}  # flaky's mailbox works again: its count starts over
        edition = edition_for(newsletter)
        on_commit(services.send_edition, edition)
        assert statuses(edition)[gone.email] == Delivery.Status.FAILED

    gone.refresh_from_db()
    flaky.refresh_from_db()
    assert (gone.status, gone.failed_editions) == (Subscriber.Status.BOUNCING, 3)
    assert (flaky.status, flaky.failed_editions) == (Subscriber.Status.ACTIVE, 0)

    fourth = edition_for(newsletter)
    assert on_commit(services.send_edition, fourth) == 2  # no more mail to the bouncing address
    assert smtp.recipients.count(gone.email) == 0
    assert smtp.recipients.count(fine.email) == 4

    listing = admin_client.get(
        reverse("admin:newsletter_subscriber_changelist"), {"status__exact": "bouncing"}
    )
    assert [row.email for row in listing.context["cl"].result_list] == [gone.email]


def test_a_bouncing_address_that_signs_up_again_starts_over(client, smtp, on_commit):
    daily = Newsletter.objects.get(is_default=True)
    gone = SubscriberFactory(
        newsletter=daily, email="gone@example.com", status=Subscriber.Status.BOUNCING, failed_editions=3
    )

    on_commit(sign_up, client, gone.email)

    gone.refresh_from_db()
    assert (gone.status, gone.failed_editions) == (Subscriber.Status.PENDING, 0)
    assert smtp.recipients == [gone.email]  # a confirmation: proof that the mailbox works again


def test_a_scheduled_edition_goes_out_when_its_time_comes(smtp, on_commit):
    subscriber = SubscriberFactory()
    edition = edition_for(subscriber.newsletter)
    services.schedule_edition(edition, when=timezone.now() + timezone.timedelta(minutes=5))

    on_commit(celery_app.tasks["newsletter.tasks.send_scheduled_editions"].apply)
    assert smtp.recipients == []

    Edition.objects.filter(pk=edition.pk).update(scheduled_at=timezone.now())
    on_commit(celery_app.tasks["newsletter.tasks.send_scheduled_editions"].apply)

    assert smtp.recipients == [subscriber.email]
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT


def test_a_test_send_goes_to_the_editors_address_only(smtp, on_commit):
    subscriber = SubscriberFactory()
    edition = edition_for(subscriber.newsletter)

    on_commit(services.send_test, edition, to="editor@example.com")

    assert smtp.recipients == ["editor@example.com"]
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT and not edition.deliveries.exists()


def test_a_cancelled_edition_cannot_be_sent_or_scheduled(smtp, on_commit):
    edition = edition_for(SubscriberFactory().newsletter)
    services.cancel_edition(edition)

    with pytest.raises(services.EditionError):
        on_commit(services.send_edition, edition)
    with pytest.raises(services.EditionError):
        services.schedule_edition(edition, when=timezone.now())
    assert smtp.recipients == []


def test_a_refused_confirmation_is_not_retried(client, smtp, on_commit):
    smtp.refuse = {"nobody@example.com"}

    response = on_commit(sign_up, client, "nobody@example.com")

    assert response.status_code == 201  # the signup is kept; the address can be fixed by signing up again
    assert smtp.refused == ["nobody@example.com"]
    assert Subscriber.objects.get().confirmation_sent_at is None


# --- Configuration ---


def test_production_without_a_broker_gets_a_warning():
    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "news.example.com",
    }

    without = manage("check", **production)
    with_broker = manage("check", CELERY_BROKER_URL="redis://127.0.0.1:6379/0", **production)

    assert "newsletter.W001" in without.stderr
    assert "newsletter.W001" not in with_broker.stderr + with_broker.stdout
