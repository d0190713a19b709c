from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Article, Tag
from .sanitize import images_without_alt


class ArticleAdminForm(forms.ModelForm):
    """The story form of the admin. Only users allowed to publish may make or change a public story.

    ArticleAdmin.get_form sets `can_publish` from the logged-in user's permissions.
    """

    can_publish = False

    class Meta:
        model = Article
        fields = [
            "title", "subtitle", "slug", "section", "hero_image", "hero_caption", "body", "tags",
            "status", "published_at", "updated_note", "seo_title", "seo_description",
        ]  # fmt: skip

    def clean_body(self):
        body = self.cleaned_data["body"]
        if images_without_alt(body):
            raise forms.ValidationError(
                _(
                    "Every picture in the body needs a text alternative for blind readers: click the "
                    "picture, then the “Change image text alternative” button, and describe it."
                ),
                code="image_alt",
            )
        return body

    def clean(self):
        cleaned_data = super().clean()
        if self.can_publish:
            return cleaned_data
        # self.instance still holds the saved values here: the form copies its data in later.
        if self.instance.pk and self.instance.status == Article.Status.PUBLISHED:
            self.add_error(
                "status",
                _(
                    "This story is published or scheduled: only an editor can change it. "
                    "Ask an editor to make your changes or to unpublish it."
                ),
            )
        elif cleaned_data.get("status") == Article.Status.PUBLISHED:
            self.add_error(
                "status",
                _(
                    "You can save this story as a draft only: an editor publishes and schedules stories. "
                    "Set the status to Draft and save."
                ),
            )
        return cleaned_data


class TagAdminForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_slug(self):
        # The database refuses slugs that differ only in case; say so in words.
        slug = self.cleaned_data["slug"]
        clash = Tag.objects.filter(slug__iexact=slug).exclude(pk=self.instance.pk).first()
        if clash:
            raise forms.ValidationError(
                _("The tag “%(name)s” already uses the slug “%(slug)s” (slugs ignore case). Pick another."),
                code="unique",
                params={"name": clash.name, "slug": clash.slug},
            )
        return slug
