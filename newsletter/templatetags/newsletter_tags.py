from django import template

from .. import tokens
from ..models import Newsletter
from ..views import CONSENT_TEXT

register = template.Library()


@register.simple_tag(takes_context=True)
def newsletter_box(context):
    """What the signup box needs: which newsletter, the stamp, and the answer to a signup.

    The newsletter is the one in the context (the /newsletter/ page, the answer page), else the
    story's section's or the default one: a single query either way. Reader pages hold nothing
    of any one reader: the message and the typed address are only on the page that answers a
    signup sent without JavaScript (`newsletter_answer`, set by the subscribe view).
    """
    request = context.get("request")
    newsletter = context.get("newsletter")
    if not isinstance(newsletter, Newsletter):
        article = context.get("article")
        newsletter = Newsletter.objects.for_section(getattr(article, "section_id", None))
    answer = context.get("newsletter_answer") or {}
    return {
        "newsletter": newsletter,
        "rendered_token": tokens.form_rendered_token(),
        "next": answer.get("next") or (request.get_full_path() if request is not None else ""),
        "message": answer.get("message", ""),
        "status": answer.get("status", ""),
        "email": answer.get("email", ""),
        "consent_text": CONSENT_TEXT,
    }
