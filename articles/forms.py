from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from .models import Article, ArticleRedirect, Tag
from .sanitize import images_without_alt


class ArticleAdminForm(forms.ModelForm):
    """The story form of the admin. Only users allowed to publish may make or change a public story.

    ArticleAdmin.get_form sets `can_publish` from the logged-in user's permissions.
    """

    can_publish = False

    loaded_version = forms.CharField(
        widget=forms.HiddenInput,
        required=False,
        help_text=_(
            "When the story was last saved as this form was opened: a later save is not overwritten."
        ),
    )

    class Meta:
        model = Article
        fields = [
            "title", "subtitle", "slug", "section", "hero_image", "hero_caption", "body", "tags",
            "status", "published_at", "updated_note", "seo_title", "seo_description",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["loaded_version"] = self.instance.updated_at.isoformat()
        status = self.fields.get("status")
        if status is not None and not self.can_publish:
            # A journalist moves a story between Draft and Ready for review; editors publish.
            status.choices = [
                (value, label) for value, label in status.choices if value != Article.Status.PUBLISHED
            ]
            status.help_text = _("Ready for review puts the story in the editors' queue; they publish it.")
            status.error_messages["invalid_choice"] = _(
                "You can save this story as a draft or ready for review only: an editor publishes and "
                "schedules stories."
            )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        owner = ArticleRedirect.public_owner(slug, exclude=self.instance)
        if owner is not None:
            # Its old address would show this story instead of redirecting to the published one.
            raise forms.ValidationError(
                _(
                    "“%(slug)s” is an old address of the published story “%(title)s”, which readers "
                    "and search engines still follow: pick another slug."
                ),
                code="redirected",
                params={"slug": slug, "title": owner.title},
            )
        return slug

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
        self._refuse_stale_save(cleaned_data.get("loaded_version"))
        # A published story's form is read-only for journalists (ArticleAdmin.has_change_permission);
        # this refuses a post made anyway. self.instance still holds the saved values here.
        if not self.can_publish and self.instance.pk and self.instance.status == Article.Status.PUBLISHED:
            raise forms.ValidationError(
                _("This story is published or scheduled: only an editor can change it."), code="published"
            )
        return cleaned_data

    def _refuse_stale_save(self, loaded_version):
        """Someone saved the story after this form was opened: refuse, name them, keep the text."""
        if (
            not self.instance.pk
            or not loaded_version
            or loaded_version == self.instance.updated_at.isoformat()
        ):
            return
        latest = Version.objects.get_for_object(self.instance).select_related("revision__user").first()
        user = latest.revision.user if latest else None
        raise forms.ValidationError(
            _(
                "%(who)s saved this story at %(when)s, after you opened it, so your save was stopped "
                "to keep their changes. Everything you typed is still below: copy what you need, open "
                "the story again in a new tab, and add your changes to theirs."
            ),
            code="stale",
            params={
                "who": (user.get_full_name() or user.get_username()) if user else _("Someone"),
                "when": date_format(timezone.localtime(self.instance.updated_at), "DATETIME_FORMAT"),
            },
        )


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
