import csv

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from articles.models import Article

from . import editions, services
from .models import Delivery, Edition, EditionStory, Newsletter, Subscriber
from .validation import validate_single_line

CSV_COLUMNS = [
    ("email", _("email")),
    ("newsletter", _("newsletter")),
    ("status", _("status")),
    ("created_at", _("signed up")),
    ("confirmed_at", _("confirmed")),
    ("unsubscribed_at", _("unsubscribed")),
    ("source_url", _("signup page")),
    ("consent_version", _("consent version")),
]


def _csv_cell(value):
    """Spreadsheets run cells starting with = + - @ as formulas; quote them (OWASP CSV injection)."""
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class NewsletterForm(forms.ModelForm):
    """The name goes into every email's subject and sender, the description next to it: one line each."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "description"):
            self.fields[name].validators.append(validate_single_line)


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    form = NewsletterForm
    list_display = ["name", "section", "is_default", "active", "active_subscribers", "pending_subscribers"]
    list_filter = ["active", "section"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["section"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                active_count=Count("subscribers", filter=Q(subscribers__status=Subscriber.Status.ACTIVE)),
                pending_count=Count("subscribers", filter=Q(subscribers__status=Subscriber.Status.PENDING)),
            )
        )

    @admin.display(description=_("active subscribers"), ordering="active_count")
    def active_subscribers(self, obj):
        return obj.active_count

    @admin.display(description=_("awaiting confirmation"), ordering="pending_count")
    def pending_subscribers(self, obj):
        return obj.pending_count


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Readers sign up themselves (their consent is recorded), so staff list, export and delete."""

    # Status "Bouncing" (filter and column): mail to the address failed for editions in a row.
    list_display = [
        "email",
        "newsletter",
        "status",
        "failed_editions",
        "created_at",
        "confirmed_at",
        "source_url",
    ]
    list_filter = ["status", "newsletter", "created_at", "source_url"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    list_select_related = ["newsletter"]
    show_facets = admin.ShowFacets.ALWAYS  # the count of subscribers next to every filter choice
    actions = ["export_csv"]
    readonly_fields = [
        "email",
        "newsletter",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "confirmation_sent_at",
        "failed_editions",
        "source_url",
        "consent_text",
        "consent_version",
    ]
    fields = ["email", "newsletter", "status", *readonly_fields[2:]]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Export the selected subscribers as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"subscribers-{timezone.now():%Y%m%d-%H%M}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        writer = csv.writer(response)
        writer.writerow([str(label) for _field, label in CSV_COLUMNS])
        for subscriber in queryset.select_related("newsletter").order_by("created_at", "pk"):
            writer.writerow([_csv_cell(getattr(subscriber, field)) for field, _label in CSV_COLUMNS])
        return response


class EditionStoryInline(admin.TabularInline):
    model = EditionStory
    fields = ["position", "article"]
    autocomplete_fields = ["article"]
    extra = 0
    verbose_name_plural = _("stories, in the order of the email")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["queryset"] = Article.objects.published()
            kwargs["help_text"] = _("Only published stories can be chosen.")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "position":
            kwargs["help_text"] = _("Lower numbers come first; to reorder, change the numbers.")
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "article":  # choose a story here; writing one is done in Stories
            widget = field.widget
            widget.can_add_related = widget.can_change_related = widget.can_delete_related = False
        return field

    def has_add_permission(self, request, obj=None):
        return editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return editable(obj) and super().has_delete_permission(request, obj)


def editable(edition):
    """Drafts and scheduled editions can change; once sending starts an edition is a record."""
    return edition is None or edition.status in (Edition.Status.DRAFT, Edition.Status.SCHEDULED)


# Buttons of the edition's change page: each saves the form, then does this.
SEND_TEST, SCHEDULE, SEND_NOW, CANCEL = "_send_test", "_schedule", "_send_now", "_cancel"
SEND_PERMISSION = "newsletter.send_edition"


def requested_action(request):
    return next((name for name in (SEND_TEST, SCHEDULE, SEND_NOW, CANCEL) if name in request.POST), None)


def require_stories(edition):
    if not edition.items.exists():
        raise services.EditionError(_("Add at least one story first."))


def active_subscribers(edition):
    return edition.newsletter.subscribers.filter(status=Subscriber.Status.ACTIVE).count()


DELIVERY_COUNTS = {
    "queued": [Delivery.Status.QUEUED, Delivery.Status.SENDING],
    "sent": [Delivery.Status.SENT],
    "failed": [Delivery.Status.FAILED],
    "unknown": [Delivery.Status.UNKNOWN],
    "skipped": [Delivery.Status.SKIPPED],
}


def delivery_count(statuses=None):
    """An edition's deliveries (of these statuses), counted per listed row on the (edition, status) index."""
    deliveries = Delivery.objects.filter(edition=OuterRef("pk"))
    if statuses is not None:
        deliveries = deliveries.filter(status__in=statuses)
    return Coalesce(Subquery(deliveries.values("edition").annotate(n=Count("pk")).values("n")), 0)


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    """Compose (stories prefilled from the newsletter's new ones), preview, test, then send or schedule."""

    list_display = ["subject", "newsletter", "status", "scheduled_at", "started_at", "progress"]
    list_filter = ["status", "newsletter", "is_digest"]
    search_fields = ["subject"]
    list_select_related = ["newsletter"]
    date_hierarchy = "created_at"
    inlines = [EditionStoryInline]
    readonly_fields = ["status", "is_digest", "progress", "created_by", "sent_by", "started_at"]
    change_form_template = "admin/newsletter/edition/change_form.html"

    def get_queryset(self, request):
        counts = {f"{name}_count": delivery_count(statuses) for name, statuses in DELIVERY_COUNTS.items()}
        return super().get_queryset(request).annotate(total_count=delivery_count(), **counts)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "scheduled_at":
            kwargs["help_text"] = _(
                'Site time. To send the edition then, press "Schedule at the time above" under the stories.'
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["newsletter", "subject", "intro", "scheduled_at"]
        return ["newsletter", "subject", "intro", "scheduled_at", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "newsletter"] if obj is not None else []

    def has_change_permission(self, request, obj=None):
        return editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        unsent = obj is None or obj.status in (Edition.Status.DRAFT, Edition.Status.CANCELLED)
        return unsent and super().has_delete_permission(request, obj)

    @admin.display(description=_("progress"))
    def progress(self, obj):
        if not getattr(obj, "total_count", 0):
            return "—"
        done = obj.total_count - obj.queued_count
        counts = _("queued %(queued)s · sent %(sent)s · failed %(failed)s · unknown %(unknown)s") % {
            name: getattr(obj, f"{name}_count") for name in DELIVERY_COUNTS
        }
        if obj.skipped_count:
            counts += " · " + _("skipped %(skipped)s") % {"skipped": obj.skipped_count}
        total = obj.total_count
        return format_html(
            '<progress value="{}" max="{}">{}/{}</progress> {}', done, total, done, total, counts
        )

    def get_urls(self):
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="newsletter_edition_preview",
        )
        send = path(
            "<path:object_id>/send/",
            self.admin_site.admin_view(require_POST(self.send_view)),
            name="newsletter_edition_send",
        )
        return [preview, send, *super().get_urls()]

    def preview_view(self, request, object_id):
        """The email's HTML part (or ?format=text) as the subscribers will get it."""
        edition = self.get_object(request, unquote(object_id))
        if edition is None:
            raise Http404
        if not self.has_view_permission(request, edition):
            raise PermissionDenied
        html, text = editions.render_edition(edition).fill("#")
        if request.GET.get("format") == "text":
            return HttpResponse(text, content_type="text/plain; charset=utf-8")
        return HttpResponse(html)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None:
            edition = self.get_object(request, unquote(object_id))
            action = requested_action(request)
            if action in (SCHEDULE, SEND_NOW, CANCEL) and not request.user.has_perm(SEND_PERMISSION):
                raise PermissionDenied
            if edition is not None and action and not editable(edition):
                # A second send, e.g. from a page left open in another tab: say so, change nothing.
                status = edition.get_status_display().lower()
                messages.error(
                    request,
                    _("This edition is %(status)s: it cannot be sent or changed again.") % {"status": status},
                )
                return redirect("admin:newsletter_edition_change", edition.pk)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            can_send=request.user.has_perm(SEND_PERMISSION),
            editable=editable(obj),
            active_subscribers=active_subscribers(obj) if obj is not None else 0,
            refresh_seconds=5 if obj is not None and obj.status == Edition.Status.SENDING else None,
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        edition = form.instance
        if not change and not edition.items.exists():
            stories = editions.candidate_stories(edition.newsletter)
            EditionStory.objects.bulk_create(
                EditionStory(edition=edition, article=article, position=position)
                for position, article in enumerate(stories, start=1)
            )

    def response_add(self, request, obj, post_url_continue=None):
        """A new edition always continues on its own page, to review the prefilled stories."""
        count = obj.items.count()
        messages.success(
            request,
            ngettext(
                "The edition was created with %(count)d story published since the last edition: "
                "reorder or remove stories, preview, then send.",
                "The edition was created with %(count)d stories published since the last edition: "
                "reorder or remove stories, preview, then send.",
                count,
            )
            % {"count": count}
            if count
            else _("No story has been published since the last edition: add stories below."),
        )
        return redirect("admin:newsletter_edition_change", obj.pk)

    def response_change(self, request, obj):
        action = requested_action(request)
        if action is None:
            return super().response_change(request, obj)
        try:
            response = self._act(request, obj, action)
        except services.EditionError as error:
            messages.error(request, str(error))
            response = None
        return response or redirect("admin:newsletter_edition_change", obj.pk)

    def send_view(self, request, object_id):
        """The confirmed "Send now": the edition goes to every active subscriber, once."""
        if not request.user.has_perm(SEND_PERMISSION):
            raise PermissionDenied
        edition = self.get_object(request, unquote(object_id))
        if edition is None:
            raise Http404
        try:
            require_stories(edition)
            queued = services.send_edition(edition, by=request.user)
        except services.EditionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext("Sending to %(count)d subscriber.", "Sending to %(count)d subscribers.", queued)
                % {"count": queued},
            )
        return redirect("admin:newsletter_edition_change", edition.pk)

    def _act(self, request, edition, action):
        if action == CANCEL:
            services.cancel_edition(edition, by=request.user)
            messages.success(request, _("The edition is cancelled; it will not be sent."))
            return
        require_stories(edition)
        if action == SEND_TEST:
            if not request.user.email:
                raise services.EditionError(
                    _("Your account has no email address for the test: ask an administrator to add one.")
                )
            services.send_test(edition, to=request.user.email)
            messages.success(request, _("A test is on its way to %(email)s.") % {"email": request.user.email})
        elif action == SCHEDULE:
            if edition.scheduled_at is None or edition.scheduled_at <= timezone.now():
                raise services.EditionError(_('Choose a future time in "Scheduled for" first.'))
            services.schedule_edition(edition, when=edition.scheduled_at, by=request.user)
            messages.success(
                request,
                _("The edition will be sent at %(when)s.")
                % {"when": date_format(timezone.localtime(edition.scheduled_at), "DATETIME_FORMAT")},
            )
        elif action == SEND_NOW:
            # Sending cannot be undone: the editor confirms on a page that says to how many.
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "edition": edition,
                "title": _("Send this edition now?"),
                "active_subscribers": active_subscribers(edition),
            }
            return TemplateResponse(request, "admin/newsletter/edition/send_confirmation.html", context)
