"""Media storage on local disk that leaves nothing behind when a write fails.

Django's FileSystemStorage creates the file and then writes it; when the disk fills up (or the
folder turns read-only) half-way, the partial file stays, and its name never reaches the caller,
who therefore cannot delete it. This one deletes it, so a failed upload leaves no file behind
(Image.save deletes the files it was told about: the original and the renditions before it).
"""

import contextlib
import os

from django.core.files.storage import FileSystemStorage


class CleanFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        full_path = self.path(name)
        existed = os.path.lexists(full_path)
        try:
            return super()._save(name, content)
        except OSError:
            if not existed:
                with contextlib.suppress(OSError):
                    os.remove(full_path)
            raise
