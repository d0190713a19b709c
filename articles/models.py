import uuid
from datetime import datetime, timedelta
from functools import partial
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models.functions import Lower
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.fields import CKEditor5Field

from .cache import pages_changed
from .renditions import CARD_CROP, body_picture_name, body_pictures
from .sanitize import sanitize_html
from .services import remake_renditions, remember_stored, save_image

# Edits within this time of publication are corrections of the moment, not "Updated" news.
UPDATE_GRACE = timedelta(minutes=10)

RESERVED_SECTION_SLUGS = {
    "admin",
    "author",
    "tag",
    "pages",
    "newsletter",
    "search",
    "static",
    "media",
    "ckeditor5",
    "feed",
    "sitemap.xml",
    "robots.txt",
    "preview",
}


def validate_section_slug(value):
    if value.lower() in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is used by another page of the site; pick another slug."), params={"slug": value}
        )


class KeepsOldSlug(models.Model):
    """A renamed section, tag or author keeps its old address: its page answers it with a 301.

    The old slug is recorded in SlugRedirect (articles.redirects.follows_renames answers it); a
    slug in use again by the same kind of object is no longer redirected.
    """

    redirect_kind = None  # a SlugRedirect.Kind

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        old_slug = None
        if self.pk:
            old_slug = type(self).objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        super().save(*args, **kwargs)
        if old_slug and old_slug != self.slug:
            SlugRedirect.objects.update_or_create(
                kind=self.redirect_kind, old_slug=old_slug, defaults={"target_id": self.pk}
            )
            SlugRedirect.objects.filter(kind=self.redirect_kind, old_slug=self.slug).delete()


class Section(KeepsOldSlug):
    redirect_kind = "section"

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        validators=[validate_section_slug],
        help_text=_("Used in the URLs of the section page and of its stories."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Shown at the top of the section page.")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in the site navigation: lower comes first.")
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class Tag(KeepsOldSlug):
    """A person or topic; listed under "In this Story" and given a page of its stories."""

    redirect_kind = "tag"

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, help_text=_("Used in the tag's URL."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [models.UniqueConstraint(Lower("slug"), name="articles_tag_slug_ci_unique")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})

    def is_used_publicly(self):
        """On a published or scheduled story: only editors may change it then."""
        return self.articles.filter(status=Article.Status.PUBLISHED).exists()


def image_upload_to(instance, filename):
    """Store uploads under a generated name: the uploader's file name never becomes a path."""
    extension = (instance.format or "").lower().replace("jpeg", "jpg") or "img"
    now = timezone.now()
    return f"images/{now:%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Image(models.Model):
    file = models.ImageField(
        _("file"),
        upload_to=image_upload_to,
        max_length=255,
        help_text=_(
            "JPEG, PNG, WebP or GIF. Location data and other camera metadata are removed; "
            "the site serves it in several sizes."
        ),
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_("Required: describes the picture for blind readers and search engines."),
    )
    caption = models.CharField(
        _("caption"), max_length=300, blank=True, help_text=_("Shown under the picture.")
    )
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_("Photographer or source, shown after the caption in brackets."),
    )
    width = models.PositiveIntegerField(_("width"), editable=False, null=True)
    height = models.PositiveIntegerField(_("height"), editable=False, null=True)
    file_size = models.PositiveIntegerField(_("file size in bytes"), editable=False, null=True)
    format = models.CharField(_("format"), max_length=10, editable=False, blank=True)
    focal_x = models.FloatField(
        _("focal point x"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 is the left edge, 1 the right: crops keep this point in frame."),
    )
    focal_y = models.FloatField(
        _("focal point y"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 is the top edge, 1 the bottom: crops keep this point in frame."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.CheckConstraint(condition=~models.Q(alt_text=""), name="articles_image_alt_text_required")
        ]

    def __str__(self):
        return self.caption or self.alt_text

    def save(self, *args, **kwargs):
        """Save the row with its new file and renditions, or nothing at all (services.save_image)."""
        save_image(self, partial(super().save, *args, **kwargs))

    @classmethod
    def from_db(cls, db, field_names, values):
        return remember_stored(super().from_db(db, field_names, values))

    @property
    def stored_stem(self):
        """The generated name its files share (articles.renditions names every rendition after it)."""
        return PurePosixPath(self.file.name).stem if self.file else ""

    @property
    def body_url(self):
        """The URL a story body uses for this picture: its name never changes (renditions.py)."""
        return self.file.storage.url(body_picture_name(self.stored_stem))

    def stories_using(self):
        """Stories showing this image: as their hero or inside their body."""
        query = models.Q(hero_image=self)
        if self.stored_stem:
            query |= models.Q(body__contains=f"/{self.stored_stem}")
        return Article.objects.filter(query)

    def is_used_publicly(self):
        """Shown by a published or scheduled story: only editors may change it then."""
        return self.stories_using().filter(status=Article.Status.PUBLISHED).exists()

    def make_renditions(self):
        """Make the renditions again from the stored file, e.g. after IMAGE_RENDITION_WIDTHS changed.

        The old files are deleted once the new rows are committed; if anything fails, the new
        files are deleted and the old renditions stay (services.remake_renditions).
        """
        remake_renditions(self)

    def rendition(self, width, *, crop="", formats=("WEBP",)):
        """The stored rendition closest to `width` (the widest one not wider, else the narrowest)."""
        candidates = [r for r in self.renditions.all() if r.crop == crop and r.format in formats]
        if not candidates:
            return None
        narrower = [r for r in candidates if r.width <= width]
        if narrower:
            return max(narrower, key=lambda r: r.width)
        return min(candidates, key=lambda r: r.width)


class Rendition(models.Model):
    """One stored size and format of an Image, made when the image was uploaded."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    crop = models.CharField(
        max_length=10, blank=True, help_text=_('An aspect ratio such as "16:9", or empty.')
    )
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=10)
    file = models.FileField(max_length=255)

    class Meta:
        ordering = ["image", "crop", "width", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["image", "crop", "width", "format"], name="articles_rendition_unique"
            )
        ]

    def __str__(self):
        return self.file.name


@receiver(post_delete, sender=Image)
@receiver(post_delete, sender=Rendition)
def _delete_stored_file(sender, instance, **kwargs):
    """A deleted image or rendition takes its file with it, once the deletion is committed."""
    if instance.file:
        names, storage = [instance.file.name], instance.file.storage
        if sender is Image:
            names.append(body_picture_name(instance.stored_stem))
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


class Author(KeepsOldSlug):
    redirect_kind = "author"

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True, help_text=_("Used in the author's URL."))
    role = models.CharField(
        _("role"), max_length=100, blank=True, help_text=_('Shown on the author page, e.g. "Staff writer".')
    )
    bio = models.TextField(_("bio"), blank=True, help_text=_("A few sentences shown on the author page."))
    photo = models.ForeignKey(
        Image,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        verbose_name=_("user account"),
        help_text=_("The journalist's login: stories by this author count as theirs in the admin."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


def public_q(now=None):
    """The one definition of "public", as a query: published, and its publish time has come.

    `now` defaults to the current time. Article.is_public applies the same rule to one story in
    Python; tests/test_story_state.py holds the two (and the admin's status column) together.
    """
    return models.Q(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())


class ArticleQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """Update the rows, keeping their copies of the publish time (TaggedStory, ArticleAuthor)
        in step, and invalidate the cached pages: update() sends no signals."""
        moved = list(self.values_list("pk", flat=True)) if {"status", "published_at"} & kwargs.keys() else []
        rows = super().update(**kwargs)
        # in_bulk: read in batches, within SQLite's limit of query parameters.
        for article in Article.objects.only("status", "published_at").in_bulk(moved).values():
            article.copy_publish_time()
        pages_changed()
        return rows

    def bulk_create(self, *args, **kwargs):
        """Create the rows, and invalidate the cached pages: bulk_create() sends no signals."""
        created = super().bulk_create(*args, **kwargs)
        pages_changed()
        return created

    def published(self):
        """The public stories (public_q)."""
        return self.filter(public_q())

    def visible_to(self, user):
        """The stories `user` may read on the site: all of them (as previews) for those who may
        change stories, only the public ones for everyone else."""
        return self if user.has_perm("articles.change_article") else self.published()

    def moved_from(self, section_slug, slug):
        """The story whose old address (ArticleRedirect) is /`section_slug`/`slug`/, if any."""
        return self.select_related("section").filter(
            redirects__section_slug=section_slug, redirects__slug=slug
        )

    def search(self, query):
        """The stories matching `query`, best match first, each with `snippet` (articles/search.py).

        The end of a chain: it returns a SearchResults for Paginator (a count and slices), not a
        queryset, so filter before calling it.
        """
        from .search import search_stories  # search.py imports this module

        return search_stories(self, query)

    def scheduled(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def drafts(self):
        return self.filter(status=Article.Status.DRAFT)

    def in_review(self):
        """Stories their journalists marked "Ready for review": the editors' queue, oldest first."""
        return self.filter(status=Article.Status.REVIEW).order_by("updated_at", "id")

    def owned_by(self, user):
        """Stories `user` created or is bylined on."""
        return self.filter(models.Q(created_by=user) | models.Q(authors__user=user)).distinct()

    def _with_byline(self):
        return self.select_related("section", "hero_image").prefetch_related(
            models.Prefetch(
                "article_authors",
                queryset=ArticleAuthor.objects.select_related("author").order_by("position"),
            )
        )

    def _with_hero_renditions(self, crop):
        """The hero's <picture> sizes in one query for the whole list, only those of `crop`."""
        return self.prefetch_related(
            models.Prefetch("hero_image__renditions", queryset=Rendition.objects.filter(crop=crop))
        )

    def for_cards(self):
        """What a story card shows: section, hero picture cut to CARD_CROP, and the byline."""
        return self._with_byline()._with_hero_renditions(CARD_CROP)

    def for_detail(self):
        """What the story page shows: the byline, the tags and the hero picture, with every crop's
        renditions (the page shows the whole picture; its JSON-LD lists each aspect ratio)."""
        return self._with_byline().prefetch_related("hero_image__renditions", "tags")

    def newest_first(self):
        return self.order_by("-published_at", "-id")

    def in_section(self, section):
        """The section's stories, newest first, read in order from articles_section_public_idx."""
        return self.filter(section=section).newest_first()

    def tagged(self, tag):
        """The tag's stories, newest first, read in order from TaggedStory's index by tag and time.

        Ordered by TaggedStory's copies of the publish time and id (the same values), so that the
        database walks that index instead of sorting all the tag's stories.
        """
        return self.filter(tagged_stories__tag=tag).order_by(
            "-tagged_stories__published_at", "-tagged_stories__article_id"
        )

    def by_author(self, author):
        """The author's stories, newest first, read in order from articles_author_newest_idx."""
        return self.filter(article_authors__author=author).order_by(
            "-article_authors__published_at", "-article_authors__article_id"
        )

    def front_page(self, top_count, per_section):
        """The home page's stories: the `top_count` newest, then each section's `per_section` latest.

        Returns (top, [(section, stories), ...]) in the sections' order, a section's stories never
        repeating one of the top ones. Chain it after published(). Whatever the archive's size it
        reads at most `top_count` + sections × (`top_count` + `per_section`) rows, each through an
        index (articles_public_idx, articles_section_public_idx): one indexed, limited query per
        section, all combined in a UNION ALL, so the page runs the same queries for any number of
        sections.
        """
        newest = self.newest_first()
        section_ids = Section.objects.values_list("pk", flat=True)
        ids = _union_of_ids(
            [newest[:top_count]]
            + [newest.filter(section_id=pk)[: top_count + per_section] for pk in section_ids]
        )
        stories = list(Article.objects.for_cards().filter(pk__in=ids).newest_first())
        top = stories[:top_count]
        shown = {story.pk for story in top}
        blocks = {}
        for story in stories:
            if story.pk not in shown and len(blocks.setdefault(story.section, [])) < per_section:
                blocks[story.section].append(story)
        sections = sorted(blocks, key=lambda section: (section.position, section.name))
        return top, [(section, blocks[section]) for section in sections if blocks[section]]

    def reading_lists(self, article, count):
        """The story page's "Keep reading" and "More on <Section>" lists, each of `count` stories.

        "Keep reading": the newest stories sharing a tag with `article`, topped up with its
        section's latest when fewer than `count` share one. "More on": the section's latest not
        already shown. Never `article` itself. Chain it after published().

        It reads a bounded set of candidates, whatever the archive's size: each tag's `count` + 1
        newest public stories, from TaggedStory's index by tag then publish time, and the
        section's 2 × `count`
        latest, from articles_section_public_idx. The newest `count` sharing a tag are among
        them: leaving out `article` costs each tag one story at most.
        """
        tag_ids = [tag.pk for tag in article.tags.all()]
        now = timezone.now()
        by_tag = [
            TaggedStory.objects.filter(tag_id=tag_id, published_at__lte=now)
            .order_by("-published_at", "-article_id")
            .values("article_id")[: count + 1]
            for tag_id in tag_ids
        ]
        in_section = self.newest_first().filter(section_id=article.section_id).exclude(pk=article.pk)
        ids = _union_of_ids([in_section[: 2 * count], *by_tag])
        shares_tag = models.Exists(
            Article.tags.through.objects.filter(article=models.OuterRef("pk"), tag_id__in=tag_ids)
        )
        candidates = (
            Article.objects.for_cards()
            .filter(pk__in=ids)
            .exclude(pk=article.pk)
            .annotate(shares_tag=shares_tag)
            .newest_first()
        )
        # is_public: the tags' candidates were chosen by TaggedStory's copy of the publish time.
        candidates = [story for story in candidates if story.is_public]
        tagged = [story for story in candidates if story.shares_tag][:count]
        section_latest = [story for story in candidates if story.section_id == article.section_id]
        keep_reading = (tagged + [story for story in section_latest if story not in tagged])[:count]
        more = [story for story in section_latest if story not in keep_reading][:count]
        return keep_reading, more


def _union_of_ids(querysets):
    """The ids of the stories of each sliced queryset, in one UNION ALL, to use in pk__in.

    Each limited query is wrapped in "id IN (…)": SQLite allows no LIMIT inside a compound
    SELECT, and the outer query then reads its few rows by primary key.
    """
    parts = [
        Article.objects.filter(pk__in=queryset.values("pk") if queryset.model is Article else queryset)
        .order_by()
        .values("pk")
        for queryset in querysets
    ]
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("Ready for review")
        PUBLISHED = "published", _("Published")

    title = models.CharField(
        _("headline"),
        max_length=250,
        help_text=_("The story's headline: the big title at the top of its page and on story cards."),
    )
    subtitle = models.TextField(
        _("dek"), blank=True, help_text=_("One or two sentences shown under the headline and on story cards.")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=250,
        unique=True,
        help_text=_("The last part of the story's URL. Changing it later redirects the old URL."),
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles", verbose_name=_("section")
    )
    authors = models.ManyToManyField(
        Author, through="ArticleAuthor", related_name="articles", verbose_name=_("authors")
    )
    tags = models.ManyToManyField(
        Tag,
        blank=True,
        related_name="articles",
        verbose_name=_("tags"),
        help_text=_('People and topics, listed as "In this Story" and used for "Keep reading".'),
    )
    body = CKEditor5Field(_("body"), blank=True)
    hero_image = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hero_of",
        verbose_name=_("hero image"),
        help_text=_("The big picture under the byline, also used when the story is shared."),
    )
    hero_caption = models.CharField(
        _("hero caption override"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty to use the image's own caption."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("Only published stories whose publish time has come are public."),
    )
    published_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("A future time schedules the story: it appears by itself then. Empty means now."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)
    revised_at = models.DateTimeField(
        _("revised after publication"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When its words or pictures last changed while it was public: shown as “Updated”."),
    )
    updated_note = models.CharField(
        _("update note"),
        max_length=300,
        blank=True,
        help_text=_('Shown as "Updated" under the byline, e.g. "Adds the minister\'s reply."'),
    )
    notes = models.JSONField(
        _("correction and update notes"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("A copy of its notes, newest first, so the page and feed read them with the story."),
    )
    seo_title = models.CharField(
        _("SEO title"),
        max_length=70,
        blank=True,
        help_text=_("For search engines; defaults to the headline."),
    )
    seo_description = models.CharField(
        _("SEO description"),
        max_length=200,
        blank=True,
        help_text=_("For search engines and shares; defaults to the dek."),
    )
    # The site search's words (articles/search.py keeps it current): used on PostgreSQL only,
    # with its GIN index made by migration 0007; SQLite searches an FTS5 table instead.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        permissions = [("publish_article", _("Can publish, schedule and unpublish stories"))]
        indexes = [
            models.Index(fields=["status", "published_at"], name="articles_public_idx"),
            # A section's latest public stories (home page, "More on", section page).
            models.Index(fields=["section", "status", "published_at"], name="articles_section_public_idx"),
        ]

    def __str__(self):
        return self.title

    # What readers see changing: an edit of these while public makes the story "Updated".
    REVISED_FIELDS = ["title", "subtitle", "body", "hero_image_id", "hero_caption", "updated_note"]

    def save(self, *args, **kwargs):
        self.body = body_pictures(sanitize_html(self.body))
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        old_url = None
        if self.pk:
            old_url = Article.objects.filter(pk=self.pk).values_list("section__slug", "slug").first()
            self._note_revision(kwargs)
        super().save(*args, **kwargs)
        self.copy_publish_time()
        if old_url and old_url != (self.section.slug, self.slug):
            # The old address keeps working: the story page answers it with a 301 to the new one.
            ArticleRedirect.keep(self, *old_url)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"section": self.section.slug, "slug": self.slug})

    def copy_publish_time(self):
        """Bring the copies of when the story is public (tag and author listings' indexes) in step."""
        TaggedStory.refresh(self)
        ArticleAuthor.objects.filter(article=self).update(published_at=self.public_from)

    def _note_revision(self, save_kwargs):
        """Stamp revised_at when a story already public changes what readers see."""
        saved = Article.objects.filter(public_q(), pk=self.pk).values(*self.REVISED_FIELDS).first()
        if saved and any(saved[name] != getattr(self, name) for name in self.REVISED_FIELDS):
            self.revised_at = timezone.now()
            if save_kwargs.get("update_fields") is not None:
                save_kwargs["update_fields"] = {*save_kwargs["update_fields"], "revised_at"}

    def refresh_notes(self):
        """Copy the story's notes onto it (newest first) and mark it changed now."""
        self.notes = [
            {
                "kind": note.kind,
                "label": str(note.get_kind_display()),
                "text": note.text,
                "at": note.created_at.isoformat(),
            }
            for note in self.corrections.order_by("-created_at", "-pk")
        ]
        now = timezone.now()
        Article.objects.filter(pk=self.pk).update(notes=self.notes, updated_at=now, revised_at=now)

    @property
    def notes_for_display(self):
        """The notes, newest first, with their times as datetimes."""
        return [{**note, "at": datetime.fromisoformat(note["at"])} for note in self.notes]

    @property
    def is_updated(self):
        """Show "Updated" under the byline: an update note, or a real edit made 10+ minutes after the
        story went public. A backdated publish time alone never counts (revised_at stays empty)."""
        if self.updated_note or self.notes:
            return True
        if self.revised_at is None or self.published_at is None:
            return False
        went_public = max(self.published_at, self.created_at or self.published_at)
        return self.revised_at - went_public > UPDATE_GRACE

    def can_be_changed_by(self, user):
        """Editors change every story; others only their own (created or bylined) while not public."""
        if user.has_perm("articles.publish_article"):
            return True
        if not user.has_perm("articles.change_article") or self.status == self.Status.PUBLISHED:
            return False
        return self.created_by_id == user.pk or self.article_authors.filter(author__user=user).exists()

    @property
    def public_from(self):
        """When the story is or becomes public: its publish time if published, else None."""
        return self.published_at if self.status == self.Status.PUBLISHED else None

    @property
    def is_public(self):
        """public_q() for this one story: published, and its publish time has come."""
        return self.public_from is not None and self.public_from <= timezone.now()

    @property
    def state(self):
        """Its state as the admin lists it: Draft, Ready for review, Scheduled or Published.

        "Scheduled" is every published story not yet public (is_public), whatever its publish time.
        """
        if self.status == self.Status.PUBLISHED and not self.is_public:
            return _("Scheduled")
        return self.get_status_display()


class Correction(models.Model):
    """A dated correction or update note an editor adds to a published story, shown at its end.

    Saving or deleting one copies the story's notes onto it (Article.notes) and records a revision
    of the story, so a removed note stays in its history.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        _("note"),
        help_text=_("What was wrong or what is new, e.g. “An earlier version misnamed the minister.”"),
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("correction or update note")
        verbose_name_plural = _("corrections and updates")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


@receiver(post_save, sender=Correction)
@receiver(post_delete, sender=Correction)
def _copy_notes(sender, instance, **kwargs):
    article = Article.objects.filter(pk=instance.article_id).first()
    if article is not None:
        article.refresh_notes()


class PreviewLink(models.Model):
    """A link that shows a story not yet public to someone without an account (articles/preview.py)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.article}: {self.created_at:%Y-%m-%d %H:%M}"


class ArticleAuthor(models.Model):
    """Orders a story's byline: the first author is named first.

    published_at copies the story's publish time while it is published (else None), so that an
    author's page reads their newest stories from the index (author, published_at).
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="article_authors")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("author")
        verbose_name_plural = _("authors (in byline order)")
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="articles_articleauthor_unique")
        ]
        indexes = [
            models.Index(fields=["author", "published_at", "article"], name="articles_author_newest_idx"),
        ]

    def __str__(self):
        return str(self.author)

    def save(self, *args, **kwargs):
        self.published_at = self.article.public_from
        super().save(*args, **kwargs)

    @classmethod
    def count_public(cls, author):
        """How many public stories `author` has, counted in the index (author, published_at) alone."""
        return cls.objects.filter(author=author, published_at__lte=timezone.now()).count()


class TaggedStory(models.Model):
    """A published (or scheduled) story under one of its tags, with its publish time.

    A copy of the tag links of published stories, kept in step with them by Article.save() and
    the tag changes (signal below), so that a tag's newest stories are read from the index
    (tag, published_at) without touching the tag's other stories: the candidates of "Keep
    reading". The tag links themselves stay Django's own table, which the admin edits.
    """

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="tagged_stories")
    published_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "tag"], name="articles_taggedstory_unique"),
        ]
        indexes = [
            models.Index(fields=["tag", "published_at", "article"], name="articles_tag_newest_idx"),
        ]

    def __str__(self):
        return f"{self.tag}: {self.article_id}"

    @classmethod
    def count_public(cls, tag):
        """How many public stories `tag` has, counted in this table's index alone."""
        return cls.objects.filter(tag=tag, published_at__lte=timezone.now()).count()

    @classmethod
    def refresh(cls, article):
        """Rewrite `article`'s rows from its status, publish time and tags."""
        cls.objects.filter(article=article).delete()
        if article.public_from is not None:
            cls.objects.bulk_create(
                cls(tag_id=tag_id, article=article, published_at=article.public_from)
                for tag_id in Article.tags.through.objects.filter(article=article).values_list(
                    "tag_id", flat=True
                )
            )


@receiver(m2m_changed, sender=Article.tags.through)
def _refresh_tagged_stories(sender, instance, action, reverse, pk_set, **kwargs):
    """Tags added to or removed from a story, from either side (article.tags, tag.articles)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        TaggedStory.refresh(instance)
    elif action == "post_clear":
        TaggedStory.objects.filter(tag=instance).delete()
    else:
        for article in Article.objects.filter(pk__in=pk_set):
            TaggedStory.refresh(article)


class ArticleRedirect(models.Model):
    """An old URL of a story, kept when its slug or section changes so links keep working."""

    section_slug = models.SlugField(max_length=100)
    slug = models.SlugField(max_length=250)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["section_slug", "slug"], name="articles_redirect_unique")
        ]

    def __str__(self):
        return f"/{self.section_slug}/{self.slug}/"

    @classmethod
    def keep(cls, article, section_slug, slug):
        """Point an old address at `article`, unless it already leads to another published story:
        an address belongs to the public story it came from, never to a draft or a newer story."""
        redirect, created = cls.objects.select_related("article").get_or_create(
            section_slug=section_slug, slug=slug, defaults={"article": article}
        )
        if not created and redirect.article_id != article.pk:
            if redirect.article.status != Article.Status.PUBLISHED:
                redirect.article = article
                redirect.save(update_fields=["article"])

    @classmethod
    def public_owner(cls, slug, exclude=None):
        """The published story an old address with this slug leads to, other than `exclude`."""
        redirects = cls.objects.filter(slug=slug, article__status=Article.Status.PUBLISHED)
        if exclude is not None and exclude.pk:
            redirects = redirects.exclude(article=exclude)
        redirect = redirects.select_related("article").first()
        return redirect.article if redirect else None


class SlugRedirect(models.Model):
    """An old slug of a section, tag or author, kept when it is renamed: its old pages answer 301."""

    class Kind(models.TextChoices):
        SECTION = "section", _("section")
        TAG = "tag", _("tag")
        AUTHOR = "author", _("author")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    old_slug = models.SlugField(max_length=150)
    target_id = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "old_slug"], name="articles_slugredirect_unique")
        ]

    def __str__(self):
        return f"{self.kind}: {self.old_slug} → {self.target_id}"


class Page(models.Model):
    """A standing page such as Terms and Conditions or Privacy, edited in the admin."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, help_text=_("The page's URL: /pages/<slug>/.")
    )
    body = CKEditor5Field(_("body"), blank=True)
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:page", kwargs={"slug": self.slug})
