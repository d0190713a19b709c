"""Every reader page type is valid HTML: 0 errors from the Nu HTML Checker (npm vnu-jar, run with
Debian's Java), including a standing page, a story showing "Updated" with every element the
editor offers, search results and the 404 page."""

import json
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import Page
from tests.e2e.conftest import BASE_DIR
from tests.factories import ArticleFactory, ImageFactory

# Like every browser test: the flush after it must leave the rows data migrations made, for the next.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VNU_JAR = Path(os.environ.get("E2E_VNU_JAR", BASE_DIR / "var/e2e/node_modules/vnu-jar/build/dist/vnu.jar"))

EVERY_ELEMENT = (
    '<p>Plain, <strong>bold</strong>, <b>b</b>, <em>em</em>, <i>i</i>, <a href="https://example.com/">a link'
    "</a>,<br>a line break.</p><h2>A heading</h2><h3>A smaller heading</h3>"
    "<ul><li>One</li><li>Two</li></ul><ol><li>First</li><li>Second</li></ol>"
    "<blockquote><p>A quotation.</p></blockquote>"
    '<figure class="image"><img src="{src}" alt="A picture in the body" width="800" height="450">'
    "<figcaption>A caption</figcaption></figure>"
    '<figure class="media"><oembed url="https://www.youtube.com/watch?v=dQw4w9WgXcQ"></oembed></figure>'
)


def nu_errors(paths):
    """The Nu checker's errors for these files, one JVM for all of them."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.fail(f"Java or {VNU_JAR} is missing: run `make test-e2e`, which installs both.")
    done = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    return [message for message in messages if message["type"] in ("error", "non-document-error")]


def test_every_reader_page_type_is_valid_html(page, live_server, site, tmp_path):
    picture = ImageFactory()
    story = ArticleFactory(
        title="Every element “the editor” offers",
        slug="every-element",
        section=site["lead"].section,
        body=EVERY_ELEMENT.format(src=picture.file.url),
        hero_image=site["lead"].hero_image,
        tags=list(site["lead"].tags.all()),
        published_at=timezone.now() - timedelta(days=1),
        updated_note="Adds the minister’s reply.",
    )
    Page.objects.update_or_create(slug="terms", defaults={"title": "Terms", "body": "<p>The terms.</p>"})
    tag = story.tags.first()
    urls = {
        "home": "/",
        "story": story.get_absolute_url(),
        "lead story": site["lead"].get_absolute_url(),
        "section": story.section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": story.authors.first().get_absolute_url(),
        "standing page": "/pages/terms/",
        "search": "/search/?q=bridge",
        "search, nothing found": "/search/?q=zzzz",
        "search form": "/search/",
        "newsletter": "/newsletter/",
        "404": "/no/such/page/",
    }
    paths = {}
    for name, url in urls.items():
        response = page.request.get(live_server.url + url)
        assert response.status == (404 if name == "404" else 200), name
        path = tmp_path / (name.replace(" ", "-").replace(",", "") + ".html")
        path.write_bytes(response.body())
        paths[path.name] = name
    found = nu_errors([tmp_path / name for name in paths])
    errors = [(paths[Path(error["url"]).name], error.get("lastLine"), error["message"]) for error in found]
    assert errors == []
