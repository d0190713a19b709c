"""An image's files follow its row: a replaced original goes once the new one is committed."""

import pytest

from tests.factories import ImageFactory, uploaded_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.mark.parametrize("loaded", [False, True], ids=["same object", "loaded from the database"])
def test_a_replaced_original_is_deleted_once_the_new_one_is_committed(
    media, django_capture_on_commit_callbacks, loaded
):
    image = ImageFactory()
    if loaded:
        image = type(image).objects.get(pk=image.pk)
    first = image.file.name

    with django_capture_on_commit_callbacks() as callbacks:
        image.file = uploaded_image()
        image.save()
    assert (media / first).exists()  # until the commit

    for callback in callbacks:
        callback()
    assert not (media / first).exists()
    assert (media / image.file.name).exists()
