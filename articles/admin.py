from django.conf import settings
from django.contrib import admin
from django.db.models import Count, F, Prefetch, Q
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forms import ArticleAdminForm, TagAdminForm
from .image_forms import ImageForm
from .models import Article, ArticleAuthor, Author, Image, Page, Section, Tag

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", _("Draft")), ("scheduled", _("Scheduled")), ("published", _("Published"))]

    def queryset(self, request, queryset):
        if self.value() == "draft":
            return queryset.drafts()
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
            return queryset.filter(authors__user=request.user)
        return queryset


class BylineFormSet(BaseInlineFormSet):
    default_error_messages = {"too_few_forms": _("Add at least one author: every story has a byline.")}


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    formset = BylineFormSet
    fields = ["author", "position"]
    autocomplete_fields = ["author"]
    extra = 0
    min_num = 1

    def get_formset(self, request, obj=None, **kwargs):
        # A byline needs an author: InlineModelAdmin only shows min_num forms, it does not require them.
        return super().get_formset(request, obj, validate_min=True, **kwargs)


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
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [ArticleAuthorInline]
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
    actions = ["publish_now", "unpublish"]
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

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.can_publish = self.has_publish_permission(request)
        return form

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def save_formset(self, request, form, formset, change):
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
        if obj.status == Article.Status.DRAFT:
            return _("Draft")
        if obj.published_at and obj.published_at > timezone.now():
            return _("Scheduled")
        return _("Published")

    @admin.action(description=_("Publish now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        # Stories already public keep their publish time.
        stories = queryset.filter(
            Q(status=Article.Status.DRAFT) | Q(published_at__isnull=True) | Q(published_at__gt=now)
        )
        count = 0
        for story in stories:
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
class TagAdmin(admin.ModelAdmin):
    form = TagAdminForm
    list_display = ["name", "slug", "story_count"]
    ordering = ["name"]  # Meta.ordering is ignored once story_count groups the query
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("articles"))

    @admin.display(description=_("stories"), ordering="story_count")
    def story_count(self, obj):
        return obj.story_count


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
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

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("picture"))
    def thumbnail(self, obj):
        return image_thumbnail(obj)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return image_thumbnail(obj, height=200) if obj.pk else "—"

    @admin.display(description=_("size in pixels"))
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}" if obj.width else "—"
