"""The rich-text editor's image upload: staff only, the same checks as the admin, an Image row.

CKEditor 5 posts the file as ``upload`` (with the CSRF token in a header) to the URL named by
``settings.CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME`` and expects ``{"url": ...}`` or
``{"error": {"message": ...}}``. The picture is stored as an ``Image`` (so it is in the image
library, can be reused as a hero and has renditions); the editor gets the URL of its body picture
(at most 1200 pixels wide, WebP, under a name that never changes: articles/renditions.py). The
editor does not send a description, so the image's alt text starts as one made from the file's
name; the journalist writes the real one in the editor (its "text alternative" button) and can
correct the library's in the admin.
"""

import logging
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Image

logger = logging.getLogger(__name__)


def _error(message, status):
    return JsonResponse({"error": {"message": str(message)}}, status=status)


def _alt_text_from(filename):
    words = " ".join(PurePath(filename or "").stem.replace("_", " ").replace("-", " ").split())
    if not words:
        return _("Picture uploaded in the story editor")
    return _("Picture uploaded in the story editor: %(name)s") % {"name": words[:200]}


@require_POST
def editor_upload(request):
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("articles.add_image")):
        return _error(_("Only staff members who may add images can upload them."), 403)
    upload = request.FILES.get("upload")
    if upload is None:
        return _error(_("No file was sent."), 400)
    image = Image(file=upload, alt_text=_alt_text_from(upload.name), uploaded_by=user)
    try:
        image.save()
    except ValidationError as error:
        return _error(" ".join(error.messages), 400)
    except OSError as error:  # the storage refused the write (disk full, read-only): nothing is kept
        logger.error("Editor upload not stored: %s", error)
        return _error(
            _("The picture could not be stored just now. Nothing was saved; please try again later."), 503
        )
    return JsonResponse({"url": image.body_url})
