"""Full-text search of public stories, ranked, with highlighted snippets of the body.

What is searched: the headline (weight A), the dek and the names of the story's tags and authors
(B), and the body's text without its markup (C), so a search for "strong" never finds bold text.

- PostgreSQL: Article.search_vector, a tsvector in the text search configuration of
  LANGUAGE_CODE, with a GIN index (migration 0007); queries in websearch syntax ("quoted
  phrases", -excluded, or), ranked by ts_rank, snippets by ts_headline. Only the newest
  CANDIDATES matches are ranked: a word found in most of a 100,000-story archive then costs
  about what a section page does instead of seconds (search results say so when it happens).
  One query finds and ranks them (their ids); the page shown then reads its own stories, and
  only theirs get a snippet, the costly part (`manage.py bench_search` times it). It reads
  the newest stories first, so a -word or a phrase found in few stories, which PostgreSQL
  wrongly expects in most, is looked up in the index instead of read story by story.
- SQLite: an FTS5 table, articles_search (rowid = the story's id), of the same four texts;
  the query's words must all match, ranked by bm25 with the same weights, snippets by snippet(),
  among the newest CANDIDATES matches too.

The signals below rewrite a story's entry when it is saved, its tags or authors change, or a
tag or author is renamed or deleted. QuerySet.update() and bulk_create() send no signals: after
those (seed_articles, imports) run `manage.py search_index`.
"""

import re
import unicodedata
from functools import cached_property

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connection, connections, transaction
from django.db.models import BooleanField, F, Func, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from .models import Article, ArticleAuthor, Author, Tag
from .seo import plain_text

QUERY_MAX_LENGTH = 200
CANDIDATES = 500  # only the newest this many matches are ranked
# PostgreSQL: when fewer than RARE of the newest WINDOW stories match, the older ones are looked up
# in the GIN index instead of walked by date (_postgresql_ranked).
WINDOW = 2 * CANDIDATES
RARE = 5
FTS_MAX_WORDS = 20
# Marks around the matched words in snippets, made <mark> after escaping (search_tags.highlight).
START, STOP = "\x02", "\x03"
# Text search configurations PostgreSQL ships, by language code; others use "simple".
CONFIGS = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi",
    "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian",
    "nb": "norwegian", "ne": "nepali", "nl": "dutch", "no": "norwegian", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil",
    "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
WORD_RE = re.compile(r"\w+")

# Markup out of stored (sanitized) HTML, whose attributes are always quoted with ">" escaped.
_BODY_TEXT_SQL = (
    "regexp_replace(regexp_replace(coalesce({body}, ''), '<[^>]*>', ' ', 'g'), '&[#a-zA-Z0-9]+;', ' ', 'g')"
)
_NAMES_SQL = (
    "coalesce((SELECT string_agg(t.name, ' ') FROM articles_tag t"
    " JOIN articles_article_tags x ON x.tag_id = t.id WHERE x.article_id = a.id), '')"
    " || ' ' || coalesce((SELECT string_agg(w.name, ' ') FROM articles_author w"
    " JOIN articles_articleauthor y ON y.author_id = w.id WHERE y.article_id = a.id), '')"
)
_PG_UPDATE_SQL = (
    "UPDATE articles_article AS a SET search_vector ="
    " setweight(to_tsvector(%(config)s::regconfig, coalesce(a.title, '')), 'A')"
    f" || setweight(to_tsvector(%(config)s::regconfig, coalesce(a.subtitle, '') || ' ' || {_NAMES_SQL}), 'B')"
    f" || setweight(to_tsvector(%(config)s::regconfig, {_BODY_TEXT_SQL.format(body='a.body')}), 'C')"
)
_SQLITE_ROWS_SQL = (
    "SELECT a.id, a.title, a.subtitle,"
    " coalesce((SELECT group_concat(t.name, ' ') FROM articles_tag t"
    " JOIN articles_article_tags x ON x.tag_id = t.id WHERE x.article_id = a.id), '')"
    " || ' ' || coalesce((SELECT group_concat(w.name, ' ') FROM articles_author w"
    " JOIN articles_articleauthor y ON y.author_id = w.id WHERE y.article_id = a.id), ''),"
    " a.body FROM articles_article a"
)
SQLITE_CREATE_SQL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_search"
    " USING fts5(title, dek, names, body, tokenize='unicode61 remove_diacritics 2')"
)
SQLITE_WEIGHTS = "10.0, 4.0, 4.0, 1.0"  # headline, dek, names, body: as A, B, B, C
BATCH = 500
PG_BATCH = 2000


def config():
    """The text search configuration of the site's language (LANGUAGE_CODE)."""
    return CONFIGS.get(settings.LANGUAGE_CODE.split("-")[0].lower(), "simple")


def clean_query(value):
    """The reader's query without control characters (NUL among them), spaces collapsed, cut
    to QUERY_MAX_LENGTH: any string a browser can send is a query, never an error."""
    value = "".join(" " if unicodedata.category(char)[0] == "C" else char for char in str(value))
    return " ".join(value.split())[:QUERY_MAX_LENGTH].strip()


def fts_match(query):
    """An FTS5 query of the reader's words, each quoted: no character of theirs is syntax."""
    words = WORD_RE.findall(query)[:FTS_MAX_WORDS]
    return " ".join('"{}"'.format(word.replace('"', '""')) for word in words)


def _body_text():
    no_tags = Func(F("body"), Value("<[^>]*>"), Value(" "), Value("g"), function="regexp_replace")
    return Func(
        no_tags,
        Value("&[#a-zA-Z0-9]+;"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def capped(count):
    """Whether a result count is the CANDIDATES limit: the newest matches, not all of them."""
    return count >= CANDIDATES


def search_stories(stories, query):
    """`stories` (a queryset of Article) matching `query`, best first, each with `snippet`.

    What Paginator pages through: a count and slices (SearchResults). One query finds the newest
    CANDIDATES matches and ranks them; each slice then reads only its own stories, so snippets
    (the costly part) are made for the page shown, never for every match.
    """
    return SearchResults(stories, query)


class SearchResults:
    """The ids of the matches, found on first use; slices of them as stories with `snippet`."""

    def __init__(self, stories, query):
        self.stories, self.query = stories, query

    @cached_property
    def ids(self):
        if connections[self.stories.db].vendor == "postgresql":
            return _postgresql_ranked(self.stories, self.query)
        return _sqlite_ranked(self.stories, self.query)

    def count(self):
        return len(self.ids)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]  # IndexError past the end, as a list
        ids = self.ids[index]
        if not ids:
            return []
        found = {story.pk: story for story in _with_snippets(self.stories.filter(pk__in=ids), self.query)}
        return [found[pk] for pk in ids if pk in found]  # a story unpublished meanwhile drops out


def _postgresql_ranked(stories, query):
    """One statement: the newest CANDIDATES matches, then ranked.

    For a common word PostgreSQL walks the stories newest first until it has them; a rare one it
    looks up in the GIN index. It picks by its estimate of how many stories match, which is
    wrong for phrases and -words (positions are not in the index): "council plan" -football,
    found in 75 of 100,000 stories, was estimated at 9,000 and walked the whole archive. So the
    newest WINDOW stories are walked first (bounded), and if fewer than RARE of them match, the
    older ones are looked up in the index (a MATERIALIZED CTE cannot be walked by date): the walk
    would have read about every story, the index reads at most every story that has the words.
    """
    newest_first = ("-published_at", "-id")
    window = stories.order_by(*newest_first).values("published_at")[WINDOW - 1 : WINDOW]
    tsquery = SearchQuery(query, search_type="websearch", config=config())
    matches_sql, matches_params = (
        stories.filter(search_vector=tsquery).values("id", "published_at").order_by().query.sql_with_params()
    )
    matches = (f"SELECT id, published_at FROM ({matches_sql}) AS m", matches_params)
    older = "published_at < (SELECT published_at FROM cutoff)"
    newest = ("ORDER BY published_at DESC, id DESC LIMIT %s", [CANDIDATES])
    sql, params = _joined(
        # cutoff: when the WINDOW-th newest story went out; recent: the matches since (bounded).
        ("WITH cutoff AS MATERIALIZED (", []),
        window.query.sql_with_params(),
        ("), recent AS MATERIALIZED (", []),
        matches,
        ("WHERE published_at >= coalesce((SELECT published_at FROM cutoff), '-infinity')", []),
        newest,
        # rare: every match, by the GIN index, read only when fewer than RARE are recent (with a
        # date condition in it, PostgreSQL would walk the date index again).
        ("), found AS MATERIALIZED (SELECT count(*) AS number FROM recent), rare AS MATERIALIZED (", []),
        matches,
        ("WHERE (SELECT number FROM found) < %s", [RARE]),
        # candidates: the recent matches, then the older ones: from rare, or walked newest first
        # when RARE to CANDIDATES - 1 are recent; no older ones are read when CANDIDATES are.
        ("), candidates AS (SELECT id, published_at FROM recent", []),
        (f"UNION ALL (SELECT id, published_at FROM rare WHERE {older}", []),
        newest,
        (") UNION ALL (", []),
        matches,
        (f"WHERE {older} AND (SELECT number FROM found) BETWEEN %s AND %s", [RARE, CANDIDATES - 1]),
        newest,
        # The newest CANDIDATES of them, best first.
        (")) SELECT c.id FROM (SELECT id, published_at FROM candidates", []),
        newest,
        (
            ") AS c JOIN articles_article AS a ON a.id = c.id ORDER BY"
            " ts_rank(a.search_vector, websearch_to_tsquery(%s::regconfig, %s)) DESC,"
            " c.published_at DESC, c.id DESC",
            [config(), query],
        ),
    )
    with connections[stories.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]


def _joined(*parts):
    """SQL pieces with their parameters, (sql, params) each, as one statement and its parameters."""
    return " ".join(sql for sql, _ in parts), [param for _, params in parts for param in params]


def _sqlite_ranked(stories, query):
    match = fts_match(query)
    if not match:
        return []
    # The newest CANDIDATES matches: the stories are walked newest first (articles_public_idx),
    # each tested against the set of matches, which stops after CANDIDATES of them for a common
    # word. The "+" keeps SQLite from reading every match's story and sorting them all instead
    # (seconds for a word in every story); a rare word costs one walk of that index.
    matches = RawSQL(
        "+articles_article.id IN (SELECT rowid FROM articles_search WHERE articles_search MATCH %s)",
        [match],
        output_field=BooleanField(),
    )
    newest = stories.filter(matches).order_by("-published_at", "-id").values("pk")[:CANDIDATES]
    newest_sql, newest_params = newest.query.sql_with_params()
    # Ranked in one pass of FTS5 over the matches. A bm25() per story, each in a query of its own,
    # would count each word's matches again for every story (seconds for a word in every story);
    # the "+" keeps SQLite from making that lookup per candidate of its own accord.
    with connections[stories.db].cursor() as cursor:
        cursor.execute(
            "SELECT articles_search.rowid FROM articles_search"
            " JOIN articles_article ON articles_article.id = articles_search.rowid"
            f" WHERE articles_search MATCH %s AND +articles_search.rowid IN ({newest_sql})"
            f" ORDER BY bm25(articles_search, {SQLITE_WEIGHTS}),"  # lower is better
            " articles_article.published_at DESC, articles_article.id DESC",
            [match, *newest_params],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _with_snippets(stories, query):
    """`stories` (a few), each with `snippet`: the body's words around the matches, marked."""
    if connections[stories.db].vendor == "postgresql":
        tsquery = SearchQuery(query, search_type="websearch", config=config())
        snippet = SearchHeadline(
            _body_text(), tsquery, config=config(), start_sel=START, stop_sel=STOP, max_words=30, min_words=12
        )
        return stories.annotate(snippet=snippet)
    return stories.annotate(
        snippet=RawSQL(
            "SELECT snippet(articles_search, 3, %s, %s, '…', 24) FROM articles_search"
            " WHERE articles_search MATCH %s AND articles_search.rowid = articles_article.id",
            [START, STOP, fts_match(query)],
        )
    )


def reindex(article_ids=None, using=None):
    """Rewrite the search entries of these stories (all of them when None)."""
    conn = connection if using is None else using
    if article_ids is not None:
        article_ids = list(article_ids)
        if not article_ids:
            return
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            _postgresql_reindex(cursor, article_ids)
        elif conn.vendor == "sqlite":
            # One transaction: in autocommit each row would be a commit of its own (100,000
            # stories took over 20 minutes, most of it waiting for the disk).
            with transaction.atomic(using=conn.alias):
                _sqlite_reindex(cursor, article_ids)


def _postgresql_reindex(cursor, article_ids):
    """In batches of ids: each statement stays short (statement_timeout) and locks few rows."""
    if article_ids is None:
        cursor.execute("SELECT min(id), max(id) FROM articles_article")
        low, high = cursor.fetchone()
        for start in range(low or 0, (high or -1) + 1, PG_BATCH):
            cursor.execute(
                _PG_UPDATE_SQL + " WHERE a.id >= %(low)s AND a.id < %(high)s",
                {"config": config(), "low": start, "high": start + PG_BATCH},
            )
        return
    for start in range(0, len(article_ids), PG_BATCH):
        cursor.execute(
            _PG_UPDATE_SQL + " WHERE a.id = ANY(%(ids)s)",
            {"config": config(), "ids": article_ids[start : start + PG_BATCH]},
        )


def _sqlite_reindex(cursor, article_ids):
    """In batches of ids, so a whole archive is never in memory at once."""
    if article_ids is None:
        cursor.execute("DELETE FROM articles_search")
        cursor.execute("SELECT min(id), max(id) FROM articles_article")
        low, high = cursor.fetchone()
        batches = [
            ("a.id >= %s AND a.id < %s", [start, start + BATCH])
            for start in range(low or 0, (high or -1) + 1, BATCH)
        ]
    else:
        batches = []
        for start in range(0, len(article_ids), BATCH):
            chunk = article_ids[start : start + BATCH]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM articles_search WHERE rowid IN ({marks})", chunk)
            batches.append((f"a.id IN ({marks})", chunk))
    for where, params in batches:
        cursor.execute(f"{_SQLITE_ROWS_SQL} WHERE {where}", params)
        cursor.executemany(
            "INSERT INTO articles_search (rowid, title, dek, names, body) VALUES (%s, %s, %s, %s, %s)",
            [
                (pk, title, dek or "", names, plain_text(body))
                for pk, title, dek, names, body in cursor.fetchall()
            ],
        )


def _stories_of(**lookup):
    return Article.objects.filter(**lookup).values_list("pk", flat=True)


@receiver(post_save, sender=Article)
def _story_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex([instance.pk])


@receiver(post_delete, sender=Article)
def _story_deleted(sender, instance, **kwargs):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM articles_search WHERE rowid = %s", [instance.pk])


@receiver(post_save, sender=ArticleAuthor)
@receiver(post_delete, sender=ArticleAuthor)
def _byline_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex([instance.article_id])


@receiver(m2m_changed, sender=Article.tags.through)
def _tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Tags added to or removed from a story, from either side (article.tags, tag.articles)."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            reindex([instance.pk])
    elif action == "pre_clear":
        instance._search_story_ids = list(_stories_of(tags=instance))
    elif action == "post_clear":
        reindex(getattr(instance, "_search_story_ids", []))
    elif action in ("post_add", "post_remove"):
        reindex(pk_set)


@receiver(post_save, sender=Tag)
def _tag_saved(sender, instance, created, raw=False, **kwargs):
    if not (created or raw):
        reindex(_stories_of(tags=instance))


@receiver(pre_delete, sender=Tag)
def _tag_deleting(sender, instance, **kwargs):
    instance._search_story_ids = list(_stories_of(tags=instance))


@receiver(post_delete, sender=Tag)
def _tag_deleted(sender, instance, **kwargs):
    reindex(getattr(instance, "_search_story_ids", []))


@receiver(post_save, sender=Author)
def _author_saved(sender, instance, created, raw=False, **kwargs):
    if not (created or raw):
        reindex(_stories_of(article_authors__author=instance))
