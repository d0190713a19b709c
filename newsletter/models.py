import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .validation import validate_single_line, validate_subscriber_email


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

    def with_latest_edition(self):
        """Annotate latest_edition_id: the last sent edition's id (a subquery, no extra query)."""
        latest = Edition.objects.filter(newsletter=models.OuterRef("pk"), status=Edition.Status.SENT)
        latest = latest.order_by("-finished_at", "-created_at", "-pk").values("pk")[:1]
        return self.annotate(latest_edition_id=models.Subquery(latest))


class Newsletter(models.Model):
    class Digest(models.TextChoices):
        OFF = "off", _("Off")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

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
    digest = models.CharField(
        _("automatic digest"),
        max_length=6,
        choices=Digest.choices,
        default=Digest.OFF,
        help_text=_("Build and send an edition of the stories published since the last one, by itself."),
    )
    digest_time = models.TimeField(
        _("digest time"),
        default=datetime.time(7, 0),
        help_text=_("Local time (the site's time zone) at which the digest goes out."),
    )
    digest_weekday = models.PositiveSmallIntegerField(
        _("digest weekday"),
        choices=Weekday.choices,
        default=Weekday.MONDAY,
        help_text=_("The day a weekly digest goes out."),
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
        BOUNCING = "bouncing", _("Bouncing")

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
        help_text=_(
            "Only active subscribers receive the newsletter. Bouncing: mail to it failed for "
            "several editions in a row and stopped."
        ),
    )
    failed_editions = models.PositiveSmallIntegerField(
        _("failed editions"),
        default=0,
        help_text=_(
            "Editions in a row that the mail server refused for this address; at 3 it becomes bouncing. "
            "A delivered edition resets it."
        ),
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
                condition=Q(status__in=["pending", "active", "unsubscribed", "bouncing"]),
                name="newsletter_subscriber_status_valid",
            ),
        ]

    def __str__(self):
        return self.email


class Edition(models.Model):
    """One mailing of a newsletter: composed by an editor or built as a digest, sent once."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.PROTECT, related_name="editions", verbose_name=_("newsletter")
    )
    subject = models.CharField(
        _("subject"),
        max_length=200,
        validators=[validate_single_line],
        help_text=_("The email's subject line."),
    )
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Optional text above the stories."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    scheduled_at = models.DateTimeField(
        _("scheduled for"), null=True, blank=True, help_text=_("When a scheduled edition goes out.")
    )
    is_digest = models.BooleanField(
        _("automatic digest"), default=False, editable=False, help_text=_("Built by the automatic digest.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("sending finished"), null=True, blank=True)
    recipients = models.PositiveIntegerField(
        _("recipients"), default=0, help_text=_("Deliveries queued when sending started.")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        permissions = [("send_edition", _("Can send an edition to the subscribers"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "scheduled", "sending", "sent", "cancelled"]),
                name="newsletter_edition_status_valid",
            ),
        ]

    def __str__(self):
        return self.subject


class EditionStoryQuerySet(models.QuerySet):
    def public_stories_of(self, edition_id):
        """An edition's public stories, in order, with the edition and each story's section."""
        from articles.models import Article

        return (
            self.filter(edition_id=edition_id, article__in=Article.objects.published())
            .select_related("edition", "article__section")
            .order_by("position", "id")
        )


class EditionStory(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="items", verbose_name=_("edition")
    )
    article = models.ForeignKey(
        "articles.Article", on_delete=models.PROTECT, related_name="+", verbose_name=_("story")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = EditionStoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        constraints = [
            models.UniqueConstraint(fields=["edition", "article"], name="newsletter_editionstory_unique"),
        ]

    def __str__(self):
        return str(self.article)


class Delivery(models.Model):
    """One edition to one subscriber. Claimed (sending) before SMTP, marked sent right after."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        UNKNOWN = "unknown", _("Unknown")  # a worker died between SMTP and the record: never resent
        SKIPPED = "skipped", _("Skipped")  # the address left, or bounces, before its turn

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("edition")
    )
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("subscriber")
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["edition", "subscriber"], name="newsletter_delivery_unique"),
        ]
        indexes = [models.Index(fields=["edition", "status"], name="newsletter_delivery_status")]

    def __str__(self):
        return f"{self.edition} → {self.subscriber}"
