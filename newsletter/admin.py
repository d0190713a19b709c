import csv

from django.contrib import admin
from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Newsletter, Subscriber

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


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
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

    list_display = ["email", "newsletter", "status", "created_at", "confirmed_at", "source_url"]
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
