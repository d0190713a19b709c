from django import template

from .. import tokens
from ..models import Newsletter
from ..views import CONSENT_TEXT, FLASH_SESSION_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def newsletter_box(context):
    """What the signup box needs: which newsletter, the stamp, and the message left by a redirect.

    The newsletter is the one in the context (the /newsletter/ page), else the story's section's
    or the default one: a single query either way. The message and the typed address, left in
    the session by the redirect back to this page, are shown once, then forgotten.
    """
    request = context.get("request")
    newsletter = context.get("newsletter")
    if not isinstance(newsletter, Newsletter):
        article = context.get("article")
        newsletter = Newsletter.objects.for_section(getattr(article, "section_id", None))
    flash = {}
    if request is not None and hasattr(request, "session") and FLASH_SESSION_KEY in request.session:
        flash = request.session.pop(FLASH_SESSION_KEY) or {}
        if flash.get("page") != request.get_full_path():
            flash = {}  # left for another page: stale here
    return {
        "newsletter": newsletter,
        "rendered_token": tokens.form_rendered_token(),
        "next": request.get_full_path() if request is not None else "",
        "message": flash.get("message", ""),
        "status": flash.get("status", ""),
        "email": flash.get("email", ""),
        "consent_text": CONSENT_TEXT,
    }
