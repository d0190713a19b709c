import pytest
from django.core.cache import caches

from tests.factories import EditorFactory, JournalistFactory, UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached pages live in the caches: every test starts with them empty."""
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture
def superuser(db):
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


@pytest.fixture
def journalist(db, client):
    """A journalist ("jo"), signed in on the test client."""
    user = JournalistFactory(username="jo")
    client.force_login(user)
    return user


@pytest.fixture
def editor(db, client):
    """An editor ("ed"), signed in on the test client."""
    user = EditorFactory(username="ed")
    client.force_login(user)
    return user
