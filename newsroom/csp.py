"""Content-Security-Policy (django-csp): one policy for reader pages, a wider one for the admin.

Reader pages load nothing from other sites and run no inline script: ``default-src 'self'``,
``frame-ancestors 'none'`` (settings.CONTENT_SECURITY_POLICY). The admin (and the editor's upload
URL) adds what CKEditor 5 needs: the styles it injects into the page, and data:/blob: pictures
while a picture is being pasted or uploaded (settings.CONTENT_SECURITY_POLICY_ADMIN).
"""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

ADMIN_PREFIXES = ("/admin/", "/ckeditor5/")


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if parts.update is not None:
            return parts
        if request.path_info.startswith(ADMIN_PREFIXES):
            return PolicyParts(
                parts.config, settings.CONTENT_SECURITY_POLICY_ADMIN, parts.replace, parts.nonce
            )
        if response.status_code == 500:
            # templates/500.html carries its own styles: it must render without the database.
            return PolicyParts(parts.config, {"style-src": [UNSAFE_INLINE]}, parts.replace, parts.nonce)
        return parts
