"""Site search on both databases: by words of the text, never of the markup; headline matches
first; only public stories; kept current on edits; every hostile query is answered 200 or 400."""

import io
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


class Results(HTMLParser):
    """The headlines of the result cards, in order, and the snippets' <mark>ed words."""

    def __init__(self, html):
        super().__init__()
        self.titles, self.marked, self._in = [], [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class", "")
        if tag == "h3" and "story-card__title" in classes:
            self._in = "title"
        elif tag == "mark":
            self._in = "mark"

    def handle_endtag(self, tag):
        if tag in ("h3", "mark"):
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.titles.append(data.strip())
        elif self._in == "mark":
            self.marked.append(data)


def search(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return Results(response.content.decode())


def test_finds_a_story_by_a_word_of_its_body_with_a_snippet(client):
    ArticleFactory(title="Council meets", body="<p>The <em>harbour</em> ferries will run at night again.</p>")
    ArticleFactory(title="Other news", body="<p>Nothing to see.</p>")
    results = search(client, "ferries")
    assert results.titles == ["Council meets"]
    assert results.marked and all(word.lower().startswith("ferr") for word in results.marked)


def test_never_finds_the_markup(client):
    ArticleFactory(
        title="Bold words",
        body='<p><strong>Loud</strong> and <a href="https://example.com/href-x">linked</a> &amp; done.</p>',
    )
    for word in ("strong", "href", "example", "amp", "p"):
        assert search(client, word).titles == [], word
    assert search(client, "loud").titles == ["Bold words"]


def test_headline_match_ranks_above_body_match(client):
    ArticleFactory(title="A quiet week", body="<p>" + "The lighthouse keeper wrote. " * 3 + "</p>")
    ArticleFactory(title="Lighthouse reopens", body="<p>Visitors are back.</p>")
    assert search(client, "lighthouse").titles == ["Lighthouse reopens", "A quiet week"]


def test_finds_by_tag_and_author_names(client):
    tag = TagFactory(name="Marisol Vance")
    author = AuthorFactory(name="Nadia Ferreira")
    ArticleFactory(title="Tagged", tags=[tag])
    ArticleFactory(title="Written", authors=[author])
    assert search(client, "marisol").titles == ["Tagged"]
    assert search(client, "ferreira").titles == ["Written"]


def test_only_public_stories(client):
    section = SectionFactory()
    ArticleFactory(title="Zebra public", section=section)
    ArticleFactory(title="Zebra draft", draft=True, section=section)
    ArticleFactory(title="Zebra scheduled", scheduled=True, section=section)
    assert search(client, "zebra").titles == ["Zebra public"]


def test_kept_current_when_a_story_tag_or_author_changes(client):
    tag = TagFactory(name="Harbour")
    author = AuthorFactory(name="Ana Ruiz")
    story = ArticleFactory(title="Ferries", body="<p>Old words.</p>", tags=[tag], authors=[author])
    story.body = "<p>Brand new wording.</p>"
    story.save()
    assert search(client, "wording").titles == ["Ferries"]
    assert search(client, "old").titles == []
    tag.name = "Seafront"
    tag.save()
    assert search(client, "seafront").titles == ["Ferries"]
    assert search(client, "harbour").titles == []
    author.name = "Ana Lindqvist"
    author.save()
    assert search(client, "lindqvist").titles == ["Ferries"]
    other = TagFactory(name="Lanterns")
    other.articles.add(story)
    assert search(client, "lanterns").titles == ["Ferries"]
    story.tags.remove(other)
    assert search(client, "lanterns").titles == []
    tag.delete()
    assert search(client, "seafront").titles == []
    story.delete()
    assert search(client, "wording").titles == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="websearch syntax is PostgreSQL's")
def test_websearch_syntax(client):
    ArticleFactory(title="Night ferries", body="<p>The harbour at night.</p>")
    ArticleFactory(title="Night buses", body="<p>The depot at night.</p>")
    assert search(client, "night -buses").titles == ["Night ferries"]
    assert search(client, '"night ferries"').titles == ["Night ferries"]
    assert sorted(search(client, "harbour or depot").titles) == ["Night buses", "Night ferries"]


HOSTILE = [
    "%",
    "_",
    "%%_%",
    "'",
    '"',
    '"unbalanced',
    "' OR 1=1 --",
    "\\",
    "\x00",
    "a\x00b",
    "%00",
    "x" * 10_000,
    "word " * 2_000,
    "ünïcödé ☃ 日本語 🙂",
    "\u202e\ufeff\u200b",
    "AND OR NOT NEAR(",
    "title:foo * ^ -",
    "<script>alert(1)</script>",
    "!!!",
    "-",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_break(client, query):
    ArticleFactory(title="Something", body="<p>Words.</p>")
    response = client.get("/search/", {"q": query})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert b"<script>alert(1)</script>" not in response.content
    response = client.get("/search/", {"q": query, "page": "2"})
    assert response.status_code in (200, 400, 404)


def test_a_very_common_word_ranks_the_newest_matches(client, monkeypatch):
    from articles import search as search_module

    monkeypatch.setattr(search_module, "CANDIDATES", 2)
    now = timezone.now()
    for hours, title in [(3, "Oldest otter"), (2, "Older otter"), (1, "Newest otter")]:
        ArticleFactory(title=title, published_at=now - timedelta(hours=hours))
    response = client.get("/search/", {"q": "otter"})
    assert Results(response.content.decode()).titles == ["Newest otter", "Older otter"]
    assert "The 2 newest matching stories" in response.content.decode()


def test_later_pages_continue_the_ranking_with_snippets(client, django_assert_max_num_queries, settings):
    settings.PAGE_CACHE_SECONDS = 0
    now = timezone.now()
    for number in range(14):  # newest first: Kelp 0 … Kelp 13; two have it in the headline
        title = f"Kelp {number}" if number in (5, 9) else f"Story {number}"
        ArticleFactory(
            title=title,
            body=f"<p>The kelp forest, part {number}.</p>",
            published_at=now - timedelta(hours=number),
        )
    first = search(client, "kelp")
    with django_assert_max_num_queries(5):  # the ranked ids, the page's stories, bylines, pictures, nav
        response = client.get("/search/", {"q": "kelp", "page": "2"})
    second = Results(response.content.decode())
    assert first.titles == ["Kelp 5", "Kelp 9"] + [f"Story {n}" for n in (0, 1, 2, 3, 4, 6, 7, 8, 10, 11)]
    assert second.titles == ["Story 12", "Story 13"]
    assert [word.lower() for word in second.marked] == ["kelp", "kelp"]
    assert "14 stories found" in response.content.decode()


def test_bench_search_refuses_a_database_that_is_not_a_seeded_archive():
    with pytest.raises(CommandError, match="No seeded archive"):
        call_command("bench_search", stdout=io.StringIO())
    ArticleFactory(slug="a-real-story")
    with pytest.raises(CommandError, match="did not generate"):
        call_command("bench_search", stdout=io.StringIO())


def test_bench_search_times_each_query_on_a_seeded_archive():
    call_command("seed_articles", "--count", "30", stdout=io.StringIO())
    out = io.StringIO()
    call_command("bench_search", "--repeat", "2", stdout=out)
    rows = {line[:24].strip(): line.split() for line in out.getvalue().splitlines()}
    festival = rows["a word in every story"]
    assert festival[-1] == "festival" and int(festival[-3]) > 0  # found, then SQL queries, then q
    assert rows["nothing matches"][-3:-1] == ["0", "2"]  # nothing found: the query and the nav


def test_search_index_rebuilds_every_entry_after_bulk_changes(client, monkeypatch):
    from articles import search as search_module

    monkeypatch.setattr(search_module, "BATCH", 2)  # several batches, the last one partly filled
    monkeypatch.setattr(search_module, "PG_BATCH", 2)
    stories = [ArticleFactory(title=f"Story {number}", body="<p>Plain words.</p>") for number in range(5)]
    Article.objects.filter(pk__in=[story.pk for story in stories]).update(body="<p>A walrus.</p>")
    assert search(client, "walrus").titles == []  # update() sends no signals
    call_command("search_index", stdout=io.StringIO())
    assert sorted(search(client, "walrus").titles) == [f"Story {number}" for number in range(5)]
    assert search(client, "plain").titles == []


@pytest.mark.parametrize("in_window", [0, 2])
def test_finds_the_newest_matches_beyond_the_newest_stories_read_first(client, monkeypatch, in_window):
    """PostgreSQL reads the newest WINDOW stories first, then the older ones: by the index when
    fewer than RARE of the first matched, newest first otherwise (articles/search.py)."""
    from articles import search as search_module

    monkeypatch.setattr(search_module, "WINDOW", 3)
    monkeypatch.setattr(search_module, "RARE", 2)
    monkeypatch.setattr(search_module, "CANDIDATES", 4)
    now = timezone.now()
    matching = [hours for hours in range(8) if hours >= 3 or hours < in_window]
    for hours in range(8):
        title = f"Narwhal {hours}" if hours in matching else f"Other {hours}"
        ArticleFactory(title=title, body="<p>Words.</p>", published_at=now - timedelta(hours=hours))
    assert search(client, "narwhal").titles == [f"Narwhal {hours}" for hours in matching[:4]]
