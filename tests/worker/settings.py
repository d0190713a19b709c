"""Settings of the Celery workers that tests/worker starts: production settings from the
environment, with a broker that gives a dead worker's tasks back within seconds, not an hour."""

from newsroom.settings import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 10,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
