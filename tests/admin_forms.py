"""What the admin's story form sends back, for tests that drive the admin through the test client."""

from django.urls import reverse
from django.utils import timezone

ADD = "/admin/articles/article/add/"
CHANGELIST = "/admin/articles/article/"


def change_url(obj):
    """The admin change page of any model instance."""
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def publish_time(when):
    """The two fields of the story form's publish time, set to `when` (local time)."""
    local = timezone.localtime(when)
    return {"published_at_0": local.strftime("%Y-%m-%d"), "published_at_1": local.strftime("%H:%M:%S")}


def story_form(section, authors, **fields):
    """The POST data of the story form, with its authors inline in byline order."""
    data = {
        "title": "Harbour reopens after the storm",
        "subtitle": "Boats are back in the water.",
        "slug": "harbour-reopens",
        "section": section.pk,
        "hero_image": "",
        "hero_caption": "",
        "body": "<p>The harbour reopened on Monday.</p>",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "updated_note": "",
        "seo_title": "",
        "seo_description": "",
        "article_authors-TOTAL_FORMS": str(len(authors)),
        "article_authors-INITIAL_FORMS": "0",
        "article_authors-MIN_NUM_FORMS": "1",
        "article_authors-MAX_NUM_FORMS": "1000",
        # Correction notes (an inline shown on published stories): none added.
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "corrections-MIN_NUM_FORMS": "0",
        "corrections-MAX_NUM_FORMS": "1000",
    }
    for index, author in enumerate(authors):
        data[f"article_authors-{index}-author"] = str(author.pk)
        data[f"article_authors-{index}-position"] = str(index)
    data.update(fields)
    return data


def edit_form(story, **fields):
    """The POST data of the change form of an existing story, as the admin would send it back."""
    data = story_form(
        story.section,
        [],
        title=story.title,
        subtitle=story.subtitle,
        slug=story.slug,
        body=story.body,
        status=story.status,
    )
    if story.published_at:
        data.update(publish_time(story.published_at))
    rows = list(story.article_authors.all())
    data["article_authors-TOTAL_FORMS"] = data["article_authors-INITIAL_FORMS"] = str(len(rows))
    for index, row in enumerate(rows):
        data[f"article_authors-{index}-id"] = str(row.pk)
        data[f"article_authors-{index}-article"] = str(story.pk)
        data[f"article_authors-{index}-author"] = str(row.author_id)
        data[f"article_authors-{index}-position"] = str(row.position)
    data.update(fields)
    return data


def form_errors(response):
    """The errors of the admin change form the response shows again."""
    return response.context["adminform"].form.errors
