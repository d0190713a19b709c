"""The newcomer's demo: `load_demo` content and `demo_superuser` logins."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import Article, Author
from tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_renditions(settings):
    """One rendition width instead of four: the demo pictures are made in a fraction of the time."""
    settings.IMAGE_RENDITION_WIDTHS = [400]


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def row_counts():
    """Rows of every model of the articles app, through tables included."""
    models = apps.get_app_config("articles").get_models(include_auto_created=True)
    return {model._meta.label: model.objects.count() for model in models}


def test_load_demo_twice_leaves_the_same_rows():
    load_demo()
    first = row_counts()
    output = load_demo()

    assert row_counts() == first
    assert "nothing changed" in output
    assert first["articles.Section"] == 4
    assert first["articles.Author"] == 5
    assert first["articles.Tag"] == 20
    assert first["articles.Article"] == 24
    assert first["articles.Image"] == 24 + 5  # a hero per story, a portrait per author
    assert Article.objects.drafts().count() == 1
    assert Article.objects.scheduled().count() == 1
    assert Article.objects.published().count() == 22


def test_demo_stories_are_complete_and_readable(client):
    load_demo()
    now = timezone.now()

    for story in Article.objects.select_related("hero_image").prefetch_related("authors", "tags"):
        assert story.hero_image is not None, story.slug
        assert story.hero_image.alt_text, story.slug
        assert story.hero_image.caption and story.hero_image.credit, story.slug
        assert (story.hero_image.width, story.hero_image.height) == (1600, 900)
        assert 1 <= len(story.authors.all()) <= 2, story.slug
        assert 2 <= len(story.tags.all()) <= 5, story.slug
        assert story.body.count("<p>") >= 3, story.slug
    assert all(author.photo_id for author in Author.objects.all())

    bodies = "".join(Article.objects.values_list("body", flat=True))
    for element in ("<h2>", "<blockquote>", "<ul>", "<ol>", "<a href="):
        assert element in bodies

    public = list(Article.objects.published())
    published = [story.published_at for story in public]
    assert min(published) > now - timedelta(days=29)
    assert max(published) - min(published) > timedelta(days=21)

    # A reader can open every public story, and each has something under "Keep reading".
    for story in public:
        response = client.get(story.get_absolute_url())
        assert response.status_code == 200, story.slug
        html = response.content.decode()
        assert "/media/images/renditions/" in html, story.slug  # the hero, in its stored sizes
        keep_reading = html.partition('class="keep-reading"')[2].partition("</section>")[0]
        assert 'class="story-card' in keep_reading, story.slug
    hidden = Article.objects.exclude(pk__in=[story.pk for story in public])
    for story in hidden:
        assert client.get(story.get_absolute_url()).status_code == 404


def test_demo_superuser_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("demo_superuser", stdout=StringIO())

    assert not get_user_model().objects.filter(username="admin").exists()


def printed_password(output, username):
    return re.search(rf"username: {username}\s+password: (\S+)", output).group(1)


def test_demo_superuser_prints_working_logins_and_resets_them(settings, client):
    settings.DEBUG = True
    editor_author = AuthorFactory(slug="nadia-ferreira", name="Nadia Ferreira")
    out = StringIO()
    call_command("demo_superuser", stdout=out)
    output = out.getvalue()

    assert "http://127.0.0.1:8000/admin/" in output
    first_password = printed_password(output, "admin")
    assert client.login(username="admin", password=first_password)
    assert client.get("/admin/").status_code == 200

    editor = get_user_model().objects.get(username="editor")
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert not editor.is_superuser
    editor_author.refresh_from_db()
    assert editor_author.user == editor
    journalist = get_user_model().objects.get(username="journalist")
    assert list(journalist.groups.values_list("name", flat=True)) == ["Journalists"]
    assert client.login(username="journalist", password=printed_password(output, "journalist"))

    again = StringIO()
    call_command("demo_superuser", stdout=again)
    client.logout()
    assert not client.login(username="admin", password=first_password)
    assert client.login(username="admin", password=printed_password(again.getvalue(), "admin"))
    assert get_user_model().objects.filter(username="admin").count() == 1
