import logging

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch
from django.forms.models import BaseInlineFormSet
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin
from reversion.models import Version

from .editing import mark_editing
from .forms import ArticleAdminForm, TagAdminForm
from .image_forms import ImageForm
from .models import Article, ArticleAuthor, Author, Correction, Image, Page, Section, Tag, public_q
from .preview import create_link, link_path
from .revisions import compare

logger = logging.getLogger(__name__)

# Fields only editors see in the story form: publishing and the public "Updated" note.
EDITOR_ONLY_FIELDS = {"published_at", "updated_note"}

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME


def is_editor(request):
    return request.user.has_perm("articles.publish_article")


class ReadOnlyReasonMixin:
    """Where a user may look but not change, the change form says why instead of failing on save.

    templates/admin/articles/change_form.html shows `readonly_reason` above the form.
    """

    def readonly_reason(self, request, obj):
        return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and not self.has_change_permission(request, obj):
            extra_context = {**(extra_context or {}), "readonly_reason": self.readonly_reason(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("review", _("Ready for review")),
            ("scheduled", _("Scheduled")),
            ("published", _("Published")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "draft":
            return queryset.drafts()
        if self.value() == "review":
            return queryset.in_review()
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "published":
            return queryset.published()
        return queryset


class MineFilter(admin.SimpleListFilter):
    title = _("byline")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", _("Mine"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.owned_by(request.user)
        return queryset


class BylineFormSet(BaseInlineFormSet):
    default_error_messages = {"too_few_forms": _("Add at least one author: every story has a byline.")}


class ArticleAuthorInline(admin.TabularInline):
    # The byline follows the story's rule without code of its own: Django's admin offers an inline's
    # rows for editing only where the story itself may be changed (can_edit_parent, and a POST to a
    # story the user may not change is refused before any formset is read).
    model = ArticleAuthor
    formset = BylineFormSet
    fields = ["author", "position"]
    autocomplete_fields = ["author"]
    extra = 0
    min_num = 1

    def get_formset(self, request, obj=None, **kwargs):
        # A byline needs an author: InlineModelAdmin only shows min_num forms, it does not require them.
        return super().get_formset(request, obj, validate_min=True, **kwargs)


class CorrectionInline(admin.StackedInline):
    """Correction and update notes: editors add them to published stories; removing one is an
    editor's act too, and stays in the story's history (a revision without it)."""

    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    verbose_name = _("correction or update note")

    def _editor_on_public(self, request, obj):
        return is_editor(request) and obj is not None and obj.status == Article.Status.PUBLISHED

    def has_add_permission(self, request, obj=None):
        return self._editor_on_public(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editor_on_public(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editor_on_public(request, obj)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article")


def image_thumbnail(image, height=60):
    """A small <img> of an image for admin lists and forms, from its smallest stored rendition."""
    if not image or not image.file:
        return "—"
    rendition = image.rendition(0)  # the narrowest
    url = rendition.file.url if rendition else image.file.url
    width, full_height = (rendition.width, rendition.height) if rendition else (image.width, image.height)
    width = round((width or height) * height / (full_height or height))
    return format_html('<img src="{}" alt="" width="{}" height="{}">', url, width, height)


@admin.register(Article)
class ArticleAdmin(ReadOnlyReasonMixin, VersionAdmin):
    """Stories. Every save here and in the actions records a revision (django-reversion): the
    history page lists them, compares any two word by word, and restores one as a new revision.
    Restoring needs the right to change the story, so restoring a published one is an editor's act.
    """

    form = ArticleAdminForm
    inlines = [ArticleAuthorInline, CorrectionInline]

    save_on_top = True
    list_display = ["hero_thumbnail", "title", "section", "byline", "state", "published_at"]
    list_display_links = ["hero_thumbnail", "title"]
    list_select_related = ["section", "hero_image"]
    list_filter = [
        StatusFilter,
        MineFilter,
        "section",
        ("authors", admin.RelatedOnlyFieldListFilter),
        ("tags", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "subtitle", "slug", "authors__name"]
    date_hierarchy = "published_at"
    # Drafts (no publish time yet) first, on SQLite and PostgreSQL alike, then the newest.
    ordering = [F("published_at").desc(nulls_first=True), "-id"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags", "hero_image"]
    actions = ["submit_for_review", "back_to_draft", "publish_now", "unpublish"]
    readonly_fields = ["hero_preview"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "subtitle",
                    "slug",
                    "section",
                    ("hero_image", "hero_caption"),
                    "hero_preview",
                    "body",
                    "tags",
                    "loaded_version",
                ]
            },
        ),
        (_("Publishing"), {"fields": ["status", "published_at", "updated_note"]}),
        (_("Search engines"), {"classes": ["collapse"], "fields": ["seo_title", "seo_description"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("article_authors", queryset=ArticleAuthor.objects.select_related("author")),
                "hero_image__renditions",
            )
        )

    object_history_template = "admin/articles/article/object_history.html"

    def get_urls(self):
        compare_url = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="articles_article_compare",
        )
        editing_url = path(
            "<path:object_id>/editing/",
            self.admin_site.admin_view(self.editing_view),
            name="articles_article_editing",
        )
        preview_urls = [
            path(
                "<path:object_id>/preview-links/",
                self.admin_site.admin_view(self.create_preview_link),
                name="articles_article_preview_link",
            ),
            path(
                "<path:object_id>/preview-links/<int:link_id>/revoke/",
                self.admin_site.admin_view(self.revoke_preview_link),
                name="articles_article_revoke_preview_link",
            ),
        ]
        return [compare_url, editing_url, *preview_urls, *super().get_urls()]

    def _story_for_preview(self, request, object_id):
        """The story whose preview links `request.user` may manage: its author or an editor."""
        story = self.get_object(request, unquote(object_id))
        if request.method != "POST" or story is None or not story.can_be_changed_by(request.user):
            raise PermissionDenied
        return story

    def create_preview_link(self, request, object_id):
        story = self._story_for_preview(request, object_id)
        _link, link_path = create_link(story, request.user)
        self.message_user(
            request,
            format_html(
                _("Preview link made, valid for {} hours: {}"),
                settings.PREVIEW_LINK_HOURS,
                request.build_absolute_uri(link_path),
            ),
        )
        return redirect("admin:articles_article_change", story.pk)

    def revoke_preview_link(self, request, object_id, link_id):
        story = self._story_for_preview(request, object_id)
        story.preview_links.filter(pk=link_id, revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, _("The preview link was revoked: it now leads nowhere."))
        return redirect("admin:articles_article_change", story.pk)

    def editing_view(self, request, object_id):
        """The open form's minute ping: who else has this story open (JSON, POST only)."""
        story = self.get_object(request, unquote(object_id))
        if request.method != "POST" or story is None or not self.has_change_permission(request, story):
            raise PermissionDenied
        return JsonResponse({"others": mark_editing(story.pk, request.user)})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        story = self.get_object(request, unquote(object_id))
        if story is not None and self.has_change_permission(request, story):
            links = story.preview_links.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
            extra_context = {
                **(extra_context or {}),
                "also_editing": mark_editing(story.pk, request.user),
                "preview_links": [(link, request.build_absolute_uri(link_path(link))) for link in links],
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        # reversion's list, with each version's id for the compare form's choices.
        versions = Version.objects.get_for_object_reference(self.model, unquote(object_id)).select_related(
            "revision__user"
        )
        action_list = [
            {
                "revision": version.revision,
                "version_id": version.pk,
                "url": reverse(
                    "admin:articles_article_revision", args=(quote(version.object_id), version.pk)
                ),
            }
            for version in versions.order_by("-revision__date_created", "-pk")
        ]
        return super().history_view(request, object_id, {"action_list": action_list, **(extra_context or {})})

    def compare_view(self, request, object_id):
        """Two revisions of a story side by side, as a word-level difference of each changed field."""
        story = self.get_object(request, unquote(object_id))
        if story is None or not self.has_view_or_change_permission(request, story):
            raise PermissionDenied
        versions = Version.objects.get_for_object(story).select_related("revision__user")
        try:
            old = get_object_or_404(versions, pk=int(request.GET.get("old", "")))
            new = get_object_or_404(versions, pk=int(request.GET.get("new", "")))
        except ValueError:
            raise PermissionDenied from None
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": story,
            "title": _("Changes to “%(title)s”") % {"title": story.title},
            "old": old,
            "new": new,
            "changes": compare(old, new),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def get_inlines(self, request, obj):
        # Correction notes belong to published stories only.
        if obj is None or obj.status != Article.Status.PUBLISHED:
            return [ArticleAuthorInline]
        return self.inlines

    def get_fieldsets(self, request, obj=None):
        if self.has_publish_permission(request):
            return self.fieldsets
        # Journalists get only what they may use: a status of Draft or Ready for review.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in EDITOR_ONLY_FIELDS]})
            for name, options in self.fieldsets
        ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.can_publish = self.has_publish_permission(request)
        return form

    class Media:
        css = {"all": ["admin/articles/stories.css"]}
        js = ["admin/articles/editing.js", "admin/articles/smart-typography.js"]

    def has_publish_permission(self, request):
        return is_editor(request)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.can_be_changed_by(request.user):
            return False
        return super().has_change_permission(request, obj)

    def readonly_reason(self, request, obj):
        if obj.status == Article.Status.PUBLISHED:
            return _(
                "This story is published or scheduled: only an editor can change it. "
                "Ask an editor to make your changes or to unpublish it."
            )
        return _(
            "This story is a colleague's: you can change only stories you created or are in the "
            "byline of. Ask them or an editor to add you to the byline."
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is Correction:
            for note in formset.save(commit=False):
                note.created_by = note.created_by or request.user
                note.save()
            for note in formset.deleted_objects:
                note.delete()
            return
        super().save_formset(request, form, formset, change)
        if formset.model is ArticleAuthor:
            # Byline order: by position, rows with equal positions in the order they were entered.
            for position, article_author in enumerate(form.instance.article_authors.all()):
                if article_author.position != position:
                    article_author.position = position
                    article_author.save(update_fields=["position"])

    @admin.display(description=_("picture"))
    def hero_thumbnail(self, obj):
        return image_thumbnail(obj.hero_image, height=40)

    @admin.display(description=_("hero picture as saved"))
    def hero_preview(self, obj):
        return image_thumbnail(obj.hero_image, height=120)

    @admin.display(description=_("authors"))
    def byline(self, obj):
        return ", ".join(article_author.author.name for article_author in obj.article_authors.all())

    @admin.display(description=_("status"), ordering="status")
    def state(self, obj):
        return obj.state

    def _move(self, request, queryset, from_status, to_status, message):
        """Move the selected stories the user may change from one unpublished status to another."""
        moved = 0
        for story in queryset.filter(status=from_status):
            if story.can_be_changed_by(request.user):
                with self.create_revision(request):
                    story.status = to_status
                    story.save(update_fields=["status", "updated_at"])
                    self.log_change(request, story, message)
                moved += 1
        return moved

    @admin.action(description=_("Submit for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        count = self._move(
            request, queryset, Article.Status.DRAFT, Article.Status.REVIEW, _("Submitted for review.")
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d story is waiting for an editor.",
                "%(count)d stories are waiting for an editor.",
                count,
            )
            % {"count": count},
        )

    @admin.action(description=_("Back to draft (withdraw from review)"), permissions=["change"])
    def back_to_draft(self, request, queryset):
        count = self._move(
            request, queryset, Article.Status.REVIEW, Article.Status.DRAFT, _("Withdrawn from review.")
        )
        self.message_user(
            request,
            ngettext("%(count)d story is a draft again.", "%(count)d stories are drafts again.", count)
            % {"count": count},
        )

    @admin.action(description=_("Publish now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        # Stories already public keep their publish time.
        stories = queryset.exclude(public_q(now))
        count = 0
        for story in stories:
            with self.create_revision(request):
                story.status = Article.Status.PUBLISHED
                story.published_at = now
                story.save(update_fields=["status", "published_at"])
                self.log_change(request, story, _("Published now."))
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d story published.", "%(count)d stories published.", count) % {"count": count},
        )

    @admin.action(description=_("Unpublish (back to draft)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        count = 0
        for story in queryset.exclude(status=Article.Status.DRAFT):
            with self.create_revision(request):
                story.status = Article.Status.DRAFT
                story.save(update_fields=["status"])
                self.log_change(request, story, _("Unpublished."))
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d story unpublished.", "%(count)d stories unpublished.", count)
            % {"count": count},
        )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(ReadOnlyReasonMixin, admin.ModelAdmin):
    form = TagAdminForm
    list_display = ["name", "slug", "story_count"]
    ordering = ["name"]  # Meta.ordering is ignored once story_count groups the query
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("articles"))

    def has_change_permission(self, request, obj=None):
        if obj is not None and not is_editor(request) and obj.is_used_publicly():
            return False
        return super().has_change_permission(request, obj)

    def readonly_reason(self, request, obj):
        return _("Published stories use this tag: only an editor can change it.")

    @admin.display(description=_("stories"), ordering="story_count")
    def story_count(self, obj):
        return obj.story_count


@admin.register(Author)
class AuthorAdmin(ReadOnlyReasonMixin, admin.ModelAdmin):
    list_display = ["name", "role", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]

    def readonly_reason(self, request, obj):
        return _("Authors are changed by editors: ask one to correct this author.")


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}

    class Media:
        js = ["admin/articles/smart-typography.js"]  # the body editor's extraPlugins (settings)


@admin.register(Image)
class ImageAdmin(ReadOnlyReasonMixin, admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "alt_text", "caption", "credit", "dimensions", "uploaded_at"]
    list_display_links = ["thumbnail", "alt_text"]
    list_select_related = ["uploaded_by"]
    search_fields = ["caption", "credit", "alt_text"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["preview", "dimensions", "file_size", "format", "uploaded_by", "uploaded_at"]
    fieldsets = [
        (None, {"fields": ["preview", "file", "alt_text", "caption", "credit"]}),
        (
            _("Focal point"),
            {
                "fields": [("focal_x", "focal_y")],
                "description": _(
                    "Where the subject is, as fractions of the width and height (0.5, 0.5 is the "
                    "centre). Pictures cut to a shape (story cards, author photos) keep it in frame."
                ),
            },
        ),
        (_("As uploaded"), {"fields": ["dimensions", "file_size", "format", "uploaded_by", "uploaded_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """When the storage refuses the picture (disk full, read-only, S3 error), the row is rolled
        back and Image.save removed its files: show the form again with the reason, not a 500."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except OSError as error:
            logger.error("Admin image not stored: %s", error)
            request.image_storage_error = _(
                "The picture could not be stored just now. Nothing was saved; please try again later."
            )
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if error := getattr(request, "image_storage_error", None):
            form = type(form.__name__, (form,), {"storage_error": error})
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not is_editor(request) and obj.is_used_publicly():
            return False
        return super().has_change_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        """Pictures inside story bodies protect their image like a hero does (the database only
        knows heroes): the delete page and the delete action name the stories and delete nothing."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for image in objs:
            for story in image.stories_using().exclude(hero_image=image):
                protected.append(
                    format_html(
                        "{}: {} ({})",
                        capfirst(Article._meta.verbose_name),
                        story.title,
                        _("picture in its body"),
                    )
                )
        return to_delete, model_count, perms_needed, protected

    def readonly_reason(self, request, obj):
        return _(
            "A published or scheduled story shows this picture: only an editor can change it. "
            "Upload a new picture instead."
        )

    @admin.display(description=_("picture"))
    def thumbnail(self, obj):
        return image_thumbnail(obj)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return image_thumbnail(obj, height=200) if obj.pk else "—"

    @admin.display(description=_("size in pixels"))
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}" if obj.width else "—"
