"""Story revisions (django-reversion): what changed between two saved versions, word by word.

ArticleAdmin records a revision at every save in the admin (VersionAdmin) and in its actions;
this module turns two of them into a readable difference for the history page.
"""

import difflib
import html
import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .models import Article, ArticleAuthor, Author, Image, Section, Tag

IMG = re.compile(r"<img\b[^>]*?\balt=\"([^\"]*)\"[^>]*>", re.IGNORECASE)

# The fields compared, in the order of the story form.
FIELDS = [
    ("title", _("headline")),
    ("subtitle", _("dek")),
    ("slug", _("slug")),
    ("section", _("section")),
    ("byline", _("byline")),
    ("hero_image", _("hero image")),
    ("hero_caption", _("hero caption override")),
    ("body", _("body")),
    ("tags", _("tags")),
    ("status", _("status")),
    ("published_at", _("publish time")),
    ("updated_note", _("update note")),
]


def readable(version):
    """The words a person reads in each field of a story's version."""
    data = version.field_dict
    names = {
        "section": lambda pk: str(Section.objects.filter(pk=pk).first() or ""),
        "hero_image": lambda pk: str(Image.objects.filter(pk=pk).first() or "") if pk else "",
    }
    bylines = sorted(
        (v.field_dict["position"], v.field_dict["author_id"])
        for v in version.revision.version_set.all()
        if v.content_type.model_class() is ArticleAuthor
    )
    authors = {a.pk: a.name for a in Author.objects.filter(pk__in=[pk for _position, pk in bylines])}
    body = IMG.sub(lambda m: f" [{_('picture')}: {m[1]}] ", data.get("body") or "")
    return {
        "title": data.get("title", ""),
        "subtitle": data.get("subtitle", ""),
        "slug": data.get("slug", ""),
        "section": names["section"](data.get("section_id")),
        "byline": ", ".join(authors.get(pk, "?") for _position, pk in bylines),
        "hero_image": names["hero_image"](data.get("hero_image_id")),
        "hero_caption": data.get("hero_caption", ""),
        "body": html.unescape(strip_tags(body.replace("</p>", "</p>\n"))),
        "tags": ", ".join(Tag.objects.filter(pk__in=data.get("tags") or []).values_list("name", flat=True)),
        "status": str(Article.Status(data["status"]).label) if data.get("status") else "",
        "published_at": str(data.get("published_at") or ""),
        "updated_note": data.get("updated_note", ""),
    }


def word_diff(old, new):
    """`new` against `old`, word by word: removed words in <del>, added ones in <ins>."""
    old_words, new_words = old.split(), new.split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            parts.append(escape(" ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(' '.join(old_words[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(' '.join(new_words[b1:b2]))}</ins>")
    return mark_safe(" ".join(parts))


def compare(old_version, new_version):
    """[(field label, diff)] for each field that differs between two versions of a story."""
    old, new = readable(old_version), readable(new_version)
    return [(label, word_diff(old[name], new[name])) for name, label in FIELDS if old[name] != new[name]]
