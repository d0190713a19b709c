"""Generate a large, realistic archive for benchmarks and scale tests: `seed_articles --count N`.

5 sections, 50 authors, 200 tags, a pool of hero pictures (drawn with Pillow and stored through
the Image model, so their renditions exist) reused across stories, and N stories of about 800
words with links and emphasis, 3 tags and 1-2 authors each, published about fifty a day going back
from today (100,000 stories reach back about five and a half years), with a draft every 500 and a
scheduled story every 1,000.

The output is deterministic: story number i is the same on every run of the same day (publish
times count back from today's midnight). Everything generated has a slug starting with
``seed-`` (stories, sections, authors, tags), so the command can tell generated content from
real content: it refuses to touch a database holding real content unless given ``--force``.
Running it again tops the archive up to ``--count`` stories.

It is fast because stories are written with bulk_create in batches, with their tag and byline
rows (and TaggedStory's copies of them), and never saved one by one: the bodies are made of
already-clean HTML (the same allowlist the sanitizer keeps), so the per-row sanitizing of
Article.save() has nothing to do.
"""

import random
import re
from datetime import UTC, datetime, time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles import search
from articles.management.commands.load_demo import hero_picture, portrait, save_image
from articles.models import Article, ArticleAuthor, Author, Image, Section, Tag, TaggedStory

PREFIX = "seed-"
SEED = 20260101
BATCH = 2000
STORIES_PER_DAY = 50
DRAFT_EVERY = 500
SCHEDULED_EVERY = 1000
PICTURES = 10
PORTRAITS = 5

TAG_RE = re.compile(r"<[^>]+>")

SECTIONS = ["World", "Politics", "Business", "Culture", "Sport"]
FIRST_NAMES = (
    "Ada Bruno Carla Dario Elena Farid Greta Hugo Ines Jonas Kira Luca Mina Nils Olga Pavel Rosa "
    "Sami Tara Umar Vera Wim Xenia Yusuf Zora"
).split()
LAST_NAMES = (
    "Abbott Brandt Castell Dumont Eriksen Falk Gorski Haddad Ivanova Jensen Keller Lindqvist Moreau "
    "Novak Okafor Petrov Quint Rossi Sato Tanaka Ulrich Varga Weber Yilmaz Zeller"
).split()
TOPICS = (
    "housing energy transport water schools hospitals elections budget tariffs farming fisheries "
    "railways airports museums festivals theatre cinema football cycling tennis rowing athletics "
    "climate storms drought floods wildfires vaccines research startups banking pensions wages "
    "tourism harbours bridges libraries orchestras galleries fashion architecture courts police "
    "parliament diplomacy trade shipping mining forestry"
).split()
PLACES = (
    "Northport Eastvale Riverton Highcliff Lowmoor Westbay Ashford Brookhaven Coldwater Deepdale "
    "Elmstead Fairhill Glenmore Harwick Ironbridge"
).split()
NOUNS = (
    "council plan report vote deal strike reform study budget project match season market law "
    "court case survey festival exhibition proposal contract agreement debate campaign network "
    "harbour bridge station library museum school hospital clinic stadium factory district"
).split()
VERBS = (
    "approves rejects delays announces questions expands cuts opens closes revisits funds backs "
    "reviews challenges unveils postpones defends wins loses doubles"
).split()
ADJECTIVES = (
    "new local national regional early late public private small large quiet busy long short "
    "bold careful costly cheap modest ambitious rare familiar"
).split()
ADVERBS = "quickly slowly openly quietly finally again carefully firmly suddenly gradually".split()
OUTCOMES = ["plan", "deal", "vote", "report"]
CONNECTORS = ["and", "but", "while", "because", "although", "after", "before", "as"]


def slug_of(text):
    return "-".join(text.lower().split())


class Command(BaseCommand):
    help = (
        "Generate a deterministic archive of N stories (sections, authors, tags, pictures) for "
        "benchmarks. Refuses a database with real content unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=2000, help="Stories the archive should hold.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though the database holds content that this command did not generate.",
        )

    def handle(self, *args, count, force, **options):
        if count < 0:
            raise CommandError("--count must be 0 or more.")
        real = self.real_content()
        if real and not force:
            raise CommandError(
                f"This database holds content that seed_articles did not generate ({real}). "
                "Use a throwaway database, or pass --force to add generated stories anyway."
            )
        self.rng = random.Random(SEED)
        self.anchor = datetime.combine(timezone.now().astimezone(UTC).date(), time(), tzinfo=UTC)
        with transaction.atomic():
            sections = self.sections()
            portraits = self.pictures(PORTRAITS, "portrait")
            authors = self.authors(portraits)
            tags = self.tags()
            heroes = self.pictures(PICTURES, "hero")
        self.sentences = self.sentence_pool()
        existing = Article.objects.filter(slug__startswith=PREFIX).count()
        for start in range(existing + 1, count + 1, BATCH):
            with transaction.atomic():
                self.stories(range(start, min(start + BATCH, count + 1)), sections, authors, tags, heroes)
            self.stdout.write(f"{min(start + BATCH - 1, count)} stories")
        search.reindex()  # bulk_create sends no signals: the site search indexes the archive here
        with connection.cursor() as cursor:
            # Fresh statistics, or SQLite's planner (which has none until ANALYZE) may walk the
            # whole public index for a tag's or author's page instead of their own index; on
            # PostgreSQL, VACUUM (impossible inside a transaction, as in tests) also lets counts
            # read the indexes alone (index-only scans).
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated archive: {Article.objects.filter(slug__startswith=PREFIX).count()} stories, "
                f"{len(sections)} sections, {len(authors)} authors, {len(tags)} tags, "
                f"{len(heroes)} hero pictures."
            )
        )

    def real_content(self):
        """A short description of what in the database was not generated, or ""."""
        found = []
        for model in (Article, Section, Author, Tag):
            number = model.objects.exclude(slug__startswith=PREFIX).count()
            if number:
                found.append(f"{number} {model._meta.verbose_name_plural}")
        return ", ".join(found)

    def sections(self):
        return [
            Section.objects.get_or_create(
                slug=PREFIX + slug_of(name),
                defaults={"name": name, "position": position, "description": f"Generated {name} news."},
            )[0]
            for position, name in enumerate(SECTIONS)
        ]

    def pictures(self, number, kind):
        """The pool of generated pictures, drawn only when missing (known by their alt text)."""
        pictures = []
        for index in range(number):
            alt_text = f"Generated {kind} illustration number {index + 1}"
            image = Image.objects.filter(alt_text=alt_text).first()
            if image is None:
                rng = random.Random(f"{kind}-{index}")
                colours = [f"#{rng.randrange(0x1000000):06x}" for _ in range(2)]
                if kind == "portrait":
                    drawing = portrait(f"{FIRST_NAMES[index]} {LAST_NAMES[index]}", *colours)
                else:
                    motif = ("circles", "stripes", "waves", "sun", "grid", "peaks")[index % 6]
                    drawing = hero_picture(f"seed-{index}", *colours, motif)
                image = save_image(drawing, alt_text=alt_text, caption=f"Generated {kind} {index + 1}")
            pictures.append(image)
        return pictures

    def authors(self, portraits):
        authors = []
        for index in range(50):
            name = f"{FIRST_NAMES[index % 25]} {LAST_NAMES[(index * 7 + index // 25) % 25]}"
            author, _created = Author.objects.get_or_create(
                slug=PREFIX + slug_of(name),
                defaults={
                    "name": name,
                    "role": "Staff writer" if index % 5 else "Correspondent",
                    "bio": f"{name} writes about {TOPICS[index % len(TOPICS)]} and "
                    f"{TOPICS[(index * 3 + 1) % len(TOPICS)]}.",
                    "photo": portraits[index % len(portraits)] if portraits else None,
                },
            )
            authors.append(author)
        return authors

    def tags(self):
        people = zip(FIRST_NAMES, LAST_NAMES[3:] + LAST_NAMES[:3], strict=True)
        names = [f"{first} {last}" for first, last in people]
        names += [f"{place} {topic}" for place in PLACES for topic in TOPICS][:200]
        names = list(dict.fromkeys(names))[:200]
        return [
            Tag.objects.filter(slug=PREFIX + slug_of(name)).first()
            or Tag.objects.create(slug=PREFIX + slug_of(name), name=name.title())
            for name in names
        ]

    def sentence_pool(self):
        """2,000 sentences of plain text, some with a link or emphasis: bodies are drawn from them."""
        rng = random.Random(SEED + 1)
        pool = []
        for index in range(2000):
            words = [
                rng.choice(PLACES),
                rng.choice(NOUNS),
                rng.choice(VERBS),
                "the",
                rng.choice(ADJECTIVES),
                rng.choice(NOUNS),
                rng.choice(CONNECTORS),
                "the",
                rng.choice(NOUNS),
                rng.choice(VERBS),
                rng.choice(ADVERBS),
                "on",
                rng.choice(TOPICS),
            ]
            words += rng.sample(TOPICS + ADJECTIVES + NOUNS, rng.randint(1, 5))
            if index % 7 == 0:
                position = rng.randrange(3, len(words))
                words[position] = f"<em>{words[position]}</em>"
            if index % 11 == 0:
                position = rng.randrange(3, len(words))
                words[position] = f"<strong>{words[position]}</strong>"
            if index % 9 == 0:
                position = rng.randrange(3, len(words))
                topic = rng.choice(TOPICS)
                words[position] = (
                    f'<a href="https://example.org/{topic}/{index}" rel="noopener noreferrer">'
                    f"{words[position]}</a>"
                )
            pool.append(" ".join(words) + ".")
        return pool

    def body(self, rng):
        """About 800 words in 8-10 paragraphs, one of them a subheading."""
        paragraphs = []
        words = 0
        while words < 800:
            sentences = rng.choices(self.sentences, k=rng.randint(4, 7))
            paragraphs.append("<p>" + " ".join(sentences) + "</p>")
            words += sum(sentence.count(" ") + 1 for sentence in sentences)
            if len(paragraphs) == 4:
                paragraphs.append(f"<h2>The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}</h2>")
        return "\n".join(paragraphs)

    def stories(self, numbers, sections, authors, tags, heroes):
        tag_weights = [1 / (rank + 20) for rank in range(len(tags))]  # a few tags are in the news a lot
        articles, tag_ids, author_ids = [], [], []
        for number in numbers:
            rng = random.Random(SEED * 7919 + number)
            status, published_at = (
                Article.Status.PUBLISHED,
                self.anchor - timedelta(minutes=number * 24 * 60 / STORIES_PER_DAY + rng.randint(0, 20)),
            )
            if number % DRAFT_EVERY == 0:
                status, published_at = Article.Status.DRAFT, None
            elif number % SCHEDULED_EVERY == 1 and number > 1:
                published_at = self.anchor + timedelta(days=2, hours=number % 24)
            title = (
                f"{rng.choice(PLACES)} {rng.choice(NOUNS)} {rng.choice(VERBS)} "
                f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(OUTCOMES)}"
            )
            articles.append(
                Article(
                    title=title.capitalize(),
                    subtitle=TAG_RE.sub("", rng.choice(self.sentences)),
                    slug=f"{PREFIX}{number}-{slug_of(title)}",
                    section=sections[rng.randrange(len(sections))],
                    body=self.body(rng),
                    hero_image=heroes[rng.randrange(len(heroes))] if heroes else None,
                    status=status,
                    published_at=published_at,
                )
            )
            chosen = []
            while len(chosen) < 3:
                tag = rng.choices(tags, weights=tag_weights)[0]
                if tag not in chosen:
                    chosen.append(tag)
            tag_ids.append([tag.pk for tag in chosen])
            author_ids.append([author.pk for author in rng.sample(authors, rng.choice((1, 1, 2)))])
        Article.objects.bulk_create(articles)
        # bulk_create stamps the auto_now fields with the present; a story was written when it went out.
        Article.objects.filter(pk__gte=articles[0].pk, pk__lte=articles[-1].pk).update(
            created_at=Coalesce("published_at", Value(self.anchor)),
            updated_at=Coalesce("published_at", Value(self.anchor)),
        )
        through = Article.tags.through
        pairs = [(article, tag_id) for article, ids in zip(articles, tag_ids, strict=True) for tag_id in ids]
        through.objects.bulk_create(
            through(article_id=article.pk, tag_id=tag_id) for article, tag_id in pairs
        )
        TaggedStory.objects.bulk_create(
            TaggedStory(article_id=article.pk, tag_id=tag_id, published_at=article.published_at)
            for article, tag_id in pairs
            if article.status == Article.Status.PUBLISHED
        )
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(
                article_id=article.pk,
                author_id=author_id,
                position=position,
                published_at=article.public_from,
            )
            for article, ids in zip(articles, author_ids, strict=True)
            for position, author_id in enumerate(ids)
        )
