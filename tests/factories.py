"""factory_boy factories: the one place tests make their data."""

import io
import struct
import zlib
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article, ArticleAuthor, Author, Image, Section, Tag


def png_header(width, height, pixels=None):
    """A PNG that declares its size, followed by `pixels` (compressed rows): by default a few
    bytes, though decoding it would need width*height*4 bytes."""
    pixels = zlib.compress(b"\0" * 64) if pixels is None else pixels

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def image_bytes(width=64, height=48, fmt="PNG", color=(200, 80, 40)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, fmt)
    return buffer.getvalue()


def uploaded_image(name="photo.png", width=64, height=48, fmt="PNG"):
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}[fmt]
    return SimpleUploadedFile(name, image_bytes(width, height, fmt), content_type=content_type)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("secret-password")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    position = factory.Sequence(lambda n: n)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    file = factory.LazyFunction(lambda: uploaded_image())
    format = "PNG"
    alt_text = factory.Sequence(lambda n: f"A test picture number {n}")
    caption = factory.Sequence(lambda n: f"Caption {n}")
    credit = "Newsroom"


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Writer {n}")
    slug = factory.Sequence(lambda n: f"writer-{n}")
    role = "Staff writer"
    bio = "Writes about things."


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published story by one author. Pass authors=[...] or tags=[...] to set them."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Story number {n}")
    subtitle = "A short dek for the story."
    slug = factory.Sequence(lambda n: f"story-{n}")
    section = factory.SubFactory(SectionFactory)
    body = "<p>The first paragraph of the story.</p>"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, published_at=None)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
        )

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create:
            return
        for position, author in enumerate(extracted if extracted is not None else [AuthorFactory()]):
            ArticleAuthor.objects.create(article=self, author=author, position=position)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


def story_bylined_out_of_order(**fields):
    """A story by three authors whose byline, BYLINE, follows ArticleAuthor.position alone: neither
    the authors' names, nor the order they or the byline rows were made in, give that order."""
    zoe, ana, mia = (AuthorFactory(name=name) for name in ("Zoe Zamora", "Ana Abreu", "Mia Moreno"))
    story = ArticleFactory(authors=[], **fields)
    for author, position in [(ana, 2), (zoe, 1), (mia, 0)]:
        ArticleAuthor.objects.create(article=story, author=author, position=position)
    return story


BYLINE = ["Mia Moreno", "Zoe Zamora", "Ana Abreu"]


def _join_group(user, create, name):
    if create:
        user.groups.add(Group.objects.get(name=name))


class JournalistFactory(UserFactory):
    """A staff user in the Journalists group (made by migration 0002): writes, cannot publish."""

    is_staff = True

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def group(self, create, extracted, **kwargs):
        _join_group(self, create, "Journalists")


class EditorFactory(UserFactory):
    """A staff user in the Editors group: publishes, schedules, unpublishes and deletes."""

    is_staff = True

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def group(self, create, extracted, **kwargs):
        _join_group(self, create, "Editors")


class NewsletterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "newsletter.Newsletter"

    name = factory.Sequence(lambda n: f"Newsletter {n}")
    slug = factory.Sequence(lambda n: f"newsletter-{n}")
    description = factory.Sequence(lambda n: f"What newsletter {n} is about.")


class SubscriberFactory(factory.django.DjangoModelFactory):
    """An active subscriber; pass status="pending" or "unsubscribed" for the others."""

    class Meta:
        model = "newsletter.Subscriber"

    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    newsletter = factory.SubFactory(NewsletterFactory)
    status = "active"
    confirmed_at = factory.LazyFunction(timezone.now)


class EditionFactory(factory.django.DjangoModelFactory):
    """A draft edition; pass articles=[...] to give it stories in that order."""

    class Meta:
        model = "newsletter.Edition"
        skip_postgeneration_save = True

    newsletter = factory.SubFactory(NewsletterFactory)
    subject = factory.Sequence(lambda n: f"Edition number {n}")

    @factory.post_generation
    def articles(self, create, extracted, **kwargs):
        if create and extracted:
            for position, article in enumerate(extracted):
                self.items.create(article=article, position=position)
