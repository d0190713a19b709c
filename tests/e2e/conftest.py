"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

`make test-e2e` installs what they need (playwright, /usr/bin/chromium, axe-core under var/e2e).
`make test` never collects them.
"""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import pytest

if importlib.util.find_spec("playwright") is None:
    # Without `make test-e2e`'s requirements there is nothing to drive the browser with.
    collect_ignore_glob = ["test_*.py"]

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(os.environ.get("E2E_AXE_JS", BASE_DIR / "var/e2e/node_modules/axe-core/axe.min.js"))
ARTIFACTS = BASE_DIR / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test-e2e`, which installs Debian's chromium.")
    # Playwright's sync API keeps an event loop running in this thread; the ORM calls that tests
    # and fixtures make between page loads are still plain synchronous calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _e2e_settings(settings):
    settings.ROOT_URLCONF = "tests.e2e.urls"
    settings.NEWSLETTER_MIN_SUBMIT_SECONDS = 0
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]


@pytest.fixture
def new_context(browser, live_server):
    """Makes browser contexts (a fresh profile each: cookies, JavaScript on or off, screen size) on
    the live server; all are closed at the end of the test."""
    contexts = []
    # The site's Content-Security-Policy is on: anything it blocks is a failure of the test.
    csp_violations = []

    def make(**kwargs):
        kwargs.setdefault("viewport", {"width": 1280, "height": 900})
        # Reduced motion: no smooth scrolling, so what the tests measure has stopped moving.
        context = browser.new_context(base_url=live_server.url, reduced_motion="reduce", **kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        context.on(
            "console",
            lambda message: "Content Security Policy" in message.text and csp_violations.append(message.text),
        )
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)


@pytest.fixture
def page(new_context):
    """A fresh browser tab with JavaScript on, at a desktop width."""
    return new_context().new_page()


@pytest.fixture
def nojs_page(new_context):
    """A fresh browser tab with JavaScript off."""
    return new_context(java_script_enabled=False).new_page()


@pytest.fixture
def phone_page(new_context):
    """A fresh browser tab the size of a phone (390 px wide)."""
    return new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True, has_touch=True
    ).new_page()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def screenshot(page, path):
    """A full-page screenshot with every picture in it: lazy pictures load once scrolled near."""
    page.evaluate(
        """async () => {
            for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
                scrollTo(0, y);
                await new Promise(resolve => requestAnimationFrame(resolve));
            }
            scrollTo(0, 0);
        }"""
    )
    page.wait_for_function("Array.from(document.images).every(img => img.complete)")
    page.screenshot(path=path, full_page=True)


SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="session")
def axe_violations():
    """Returns a function that runs axe-core on a page and gives its serious or critical violations."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make test-e2e`, which installs axe-core.")
    script = AXE_JS.read_text()

    def run(page):
        # Evaluated by the browser's devtools, not as an inline <script> the site's CSP forbids.
        page.evaluate(script)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        return [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "nodes": [node["target"] for node in violation["nodes"]][:5],
            }
            for violation in result["violations"]
            if violation["impact"] in SERIOUS
        ]

    return run


def drawn_picture(name, width, height, sky=(250, 196, 140), water=(40, 84, 120)):
    """A JPEG of a river at dawn, so screenshots show something that looks like a news photo."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(picture)
    horizon = height * 3 // 5
    for y in range(horizon):
        fade = y / horizon
        draw.line([(0, y), (width, y)], fill=tuple(int(c * (0.75 + 0.25 * fade)) for c in sky))
    draw.rectangle([0, horizon, width, height], fill=water)
    deck = horizon - height // 8
    draw.rectangle([0, deck, width, deck + height // 40], fill=(50, 50, 55))
    for left in range(-width // 8, width, width // 4):
        draw.arc(
            [left, deck, left + width // 4, horizon + height // 6],
            180,
            360,
            fill=(50, 50, 55),
            width=max(2, height // 60),
        )
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def site(db):
    """A small published site: two sections, a lead story with its picture, tags and neighbours."""
    from django.utils import timezone

    from tests.factories import (
        ArticleFactory,
        AuthorFactory,
        ImageFactory,
        SectionFactory,
        TagFactory,
    )

    city = SectionFactory(
        name="City", slug="city", position=0, description="News from the town hall and the streets."
    )
    culture = SectionFactory(name="Culture", slug="culture", position=1)
    reporter = AuthorFactory(name="Marta Quiroga", slug="marta-quiroga", role="City reporter")
    critic = AuthorFactory(name="Tomas Lindqvist", slug="tomas-lindqvist", role="Critic")
    bridges = TagFactory(name="Bridges", slug="bridges")
    council = TagFactory(name="City Council", slug="city-council")
    hero = ImageFactory(
        file=drawn_picture("river.jpg", width=1200, height=675),
        format="JPEG",
        alt_text="The old iron bridge over the river at dawn",
        caption="The Iron Bridge, closed to cars since March",
        credit="Newsroom photo desk",
    )
    body = "".join(
        f"<p>{text}</p>"
        for text in [
            "The council voted on Tuesday to repair the Iron Bridge rather than replace it, ending a "
            "debate that had split the riverside neighbourhoods for two years.",
            "Engineers told the meeting that the deck can carry buses again after <strong>eighteen months"
            "</strong> of work, if the steel beams are replaced one span at a time.",
            "Shop owners on both banks asked for the footpath to stay open during the repairs. The "
            "council agreed, and will publish the timetable of closures next month.",
        ]
    )
    now = timezone.now()
    lead = ArticleFactory(
        published_at=now - timedelta(minutes=5),
        title="Council votes to repair the Iron Bridge, not replace it",
        subtitle="Buses could cross the river again in eighteen months, engineers say.",
        slug="council-repairs-iron-bridge",
        section=city,
        body=body,
        hero_image=hero,
        authors=[reporter],
        tags=[bridges, council],
    )
    related = [
        ArticleFactory(
            title=title,
            published_at=now - timedelta(hours=n + 1),
            section=city,
            authors=[reporter],
            tags=[tag],
            hero_image=ImageFactory(
                file=drawn_picture(
                    f"card{n}.jpg", 800, 450, sky=[(170, 200, 230), (230, 170, 150), (190, 220, 180)][n]
                ),
                format="JPEG",
                alt_text=f"Picture for {title}",
            ),
        )
        for n, (title, tag) in enumerate(
            [
                ("Night buses return to the river route", bridges),
                ("What the bridge repair will cost each household", council),
                ("Council delays the vote on parking fees", council),
            ]
        )
    ]
    older = ArticleFactory(
        title="Street lights to stay on later in the old town",
        published_at=now - timedelta(days=3),
        section=city,
        authors=[reporter],
    )
    # Older City stories, so the story page also has a "More on City" block after "Keep reading".
    for n, title in enumerate(
        ["The town hall's clock is wound by hand again", "Market square gets new benches"]
    ):
        ArticleFactory(title=title, published_at=now - timedelta(days=n + 4), section=city, authors=[critic])
    elsewhere = [
        ArticleFactory(
            title=title,
            published_at=now - timedelta(days=n + 1),
            section=culture,
            authors=[critic],
        )
        for n, title in enumerate(
            ["A quiet summer for the city's theatres", "The harbour festival's line-up, act by act"]
        )
    ]
    return {
        "lead": lead,
        "related": related,
        "older": older,
        "elsewhere": elsewhere,
        "sections": [city, culture],
        "tags": [bridges, council],
        "authors": [reporter, critic],
    }
