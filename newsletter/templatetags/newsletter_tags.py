from django import template

from .. import tokens
from ..models import Newsletter
from ..views import CONSENT_TEXT

register = template.Library()


@register.simple_tag(takes_context=True)
def newsletter_box(context):
    """What the signup box shows: which newsletter, a fresh stamp, and a signup's answer.

    The newsletter is the one in the context (the /newsletter/ pages), else the story's section's
    or the default one: a single query either way. The answer (message, status, the address as
    typed) is this reader's, after a signup sent without JavaScript: `newsletter_answer` from
    newsletter.context_processors, present only on the page the reader is sent back to.
    """
    request = context.get("request")
    newsletter = context.get("newsletter")
    if not isinstance(newsletter, Newsletter):
        article = context.get("article")
        newsletter = Newsletter.objects.for_section(getattr(article, "section_id", None))
    answer = context.get("newsletter_answer") or {}
    if newsletter is None or answer.get("newsletter") != newsletter.slug:
        answer = {}
    return {
        "newsletter": newsletter,
        "rendered_token": tokens.form_rendered_token(),
        "next": request.get_full_path() if request is not None else "",
        "message": answer.get("message", ""),
        "status": answer.get("status", ""),
        "email": answer.get("email", ""),
        "consent_text": CONSENT_TEXT,
    }
