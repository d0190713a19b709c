"""Storing an Image's files together with its rows: all of them, or none.

Image.save and Image.make_renditions call these. A file storage (disk or S3) has no transactions:
a file written inside a transaction that rolls back would stay behind, read by nothing, and a file
deleted inside one that rolls back would be missing under a row that still names it. So:

- files written during the transaction are deleted if it fails (a full disk, a read-only
  storage, a rendition that cannot be made), and the database changes roll back with it;
- files the rows no longer name (a replaced original, deleted renditions) are deleted only once
  the transaction commits (transaction.on_commit), never before.

"All or none" holds for the save's own transaction. Inside a larger one (the admin's form) that
rolls back after the image was saved, the new files stay in storage, named by no row: space lost,
never a row without its file.
"""

from contextlib import contextmanager

from django.db import transaction

from .images import prepare_upload
from .renditions import render


def remember_stored(image):
    """Note what the database holds for `image` (Image.from_db, and after each save): a save then
    knows whether its file or focal point changed, and which file it replaces."""
    file = image.__dict__.get("file")  # the name as loaded, a FieldFile once used; absent if deferred
    image._stored_file_name = getattr(file, "name", file)
    # A focal point left out by only()/defer() reads (None, None): any focal point then counts as
    # moved, and the renditions are made again rather than left wrong.
    image._stored_focal_point = (image.__dict__.get("focal_x"), image.__dict__.get("focal_y"))
    return image


def save_image(image, save_row):
    """Save `image` with `save_row` (the model's own save), with its files: all or nothing.

    A new file is checked and cleaned by prepare_upload first (ValidationError if refused, before
    anything is stored). A new file or a moved focal point makes the renditions again. The old
    original of a replaced file is deleted once the new one is committed.
    """
    new_file = bool(image.file) and not image.file._committed
    if new_file:
        prepared = prepare_upload(image.file.file)
        image.format, image.width, image.height = prepared.format, prepared.width, prepared.height
        image.file_size = prepared.size
        image.file = prepared
    moved_focus = (
        not new_file
        and hasattr(image, "_stored_focal_point")
        and image._stored_focal_point != (image.focal_x, image.focal_y)
    )
    if not (new_file or moved_focus):
        save_row()
        return
    written = []
    adding = image._state.adding
    try:
        with _files_kept_only_on_commit(image.file.storage, written):
            try:
                save_row()
            finally:
                if new_file and image.file._committed:
                    written.append(image.file.name)  # stored, even if the row's INSERT then failed
            _replace_renditions(image, written)
    except BaseException:
        if adding:  # the INSERT was rolled back: the object is unsaved again
            image.pk, image._state.adding = None, True
        raise
    replaced = getattr(image, "_stored_file_name", None)
    if new_file and replaced and replaced != image.file.name:
        storage = image.file.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    remember_stored(image)


def remake_renditions(image):
    """Make `image`'s renditions again from its stored file: the new ones, or the old ones."""
    written = []
    with _files_kept_only_on_commit(image.file.storage, written):
        _replace_renditions(image, written)


@contextmanager
def _files_kept_only_on_commit(storage, written):
    """A transaction whose files (the names appended to `written`) are deleted if it fails."""
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for name in written:
            storage.delete(name)
        raise


def _replace_renditions(image, written):
    """Store new renditions and their rows in place of the old rows, whose files go on commit
    (the rows' post_delete signal in models.py)."""
    Rendition = image.renditions.model
    Rendition.objects.filter(image=image).delete()
    Rendition.objects.bulk_create(render(image, written))
    image._prefetched_objects_cache = {}
