from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .validation import validate_subscriber_email


class NewsletterQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def for_section(self, section_id):
        """The newsletter shown with a story: its section's, else the default, else any active one.

        One query whatever the number of newsletters; None when the site has no active newsletter.
        """
        whens = [When(is_default=True, then=Value(1))]
        if section_id is not None:
            whens.insert(0, When(section_id=section_id, then=Value(0)))
        rank = Case(*whens, default=Value(2))
        return self.active().alias(rank=rank).order_by("rank", "pk").first()

    def default(self):
        return self.for_section(None)


class Newsletter(models.Model):
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Shown in the emails' subject and sender.")
    )
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, help_text=_("Used in the newsletter's signup address.")
    )
    description = models.CharField(
        _("description"),
        max_length=300,
        help_text=_('Shown in the signup box under "Get all the news in your email".'),
    )
    section = models.ForeignKey(
        "articles.Section",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletters",
        verbose_name=_("section"),
        help_text=_("Stories of this section show this newsletter's signup box. Empty: no section."),
    )
    is_default = models.BooleanField(
        _("default"),
        default=False,
        help_text=_(
            "Shown on the /newsletter/ page and on stories whose section has no newsletter of its own. "
            "Only one newsletter can be the default."
        ),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive newsletters are hidden and take no new signups.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = NewsletterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="newsletter_single_default",
                violation_error_message=_("Another newsletter is already the default."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("newsletter:detail", kwargs={"slug": self.slug})


class SubscriberQuerySet(models.QuerySet):
    def for_address(self, email, newsletter):
        """The row of this (normalized) address, compared case-insensitively like the constraint."""
        return self.alias(email_lower=Lower("email")).filter(email_lower=email.lower(), newsletter=newsletter)


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        ACTIVE = "active", _("Active")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(
        _("email"),
        max_length=254,
        validators=[validate_subscriber_email],
        help_text=_("Stored with the domain lower-cased and IDNA-encoded; unique per newsletter, any case."),
    )
    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.PROTECT, related_name="subscribers", verbose_name=_("newsletter")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.PENDING,
        help_text=_("Only active subscribers receive the newsletter."),
    )
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation email sent"), null=True, blank=True)
    source_url = models.CharField(
        _("signup page"), max_length=500, blank=True, help_text=_("The page the reader signed up on.")
    )
    consent_text = models.TextField(_("consent text"), blank=True, help_text=_("Shown under the form."))
    consent_version = models.CharField(_("consent version"), max_length=50, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            # The truth about duplicates: one row per address and newsletter, whatever the case.
            models.UniqueConstraint(
                Lower("email"),
                "newsletter",
                name="newsletter_subscriber_email_ci_unique",
                violation_error_message=_("This address is already subscribed to this newsletter."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "active", "unsubscribed"]),
                name="newsletter_subscriber_status_valid",
            ),
        ]

    def __str__(self):
        return self.email
