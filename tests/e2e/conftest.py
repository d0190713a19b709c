"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

`make test-e2e` installs what they need (playwright, /usr/bin/chromium, axe-core under var/e2e).
`make test` never collects them.
"""

import importlib.util
import os
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


def _new_context(browser, live_server, **kwargs):
    context = browser.new_context(base_url=live_server.url, **kwargs)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab with JavaScript on, at a desktop width."""
    context = _new_context(browser, live_server, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def nojs_page(browser, live_server):
    """A fresh browser tab with JavaScript off."""
    context = _new_context(
        browser, live_server, viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A fresh browser tab the size of a phone (390 px wide)."""
    context = _new_context(
        browser,
        live_server,
        viewport={"width": 390, "height": 844},
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
    )
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="session")
def axe_violations():
    """Returns a function that runs axe-core on a page and gives its serious or critical violations."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make test-e2e`, which installs axe-core.")
    script = AXE_JS.read_text()

    def run(page):
        page.add_script_tag(content=script)
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


@pytest.fixture
def site(db):
    """A small published site: two sections, a lead story with its picture, tags and neighbours."""
    from tests.factories import (
        ArticleFactory,
        AuthorFactory,
        ImageFactory,
        SectionFactory,
        TagFactory,
        uploaded_image,
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
        file=uploaded_image("river.jpg", width=1200, height=675, fmt="JPEG"),
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
    lead = ArticleFactory(
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
            section=city,
            authors=[reporter],
            tags=[tag],
            hero_image=ImageFactory(
                file=uploaded_image(f"card{n}.png", width=800, height=450),
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
    elsewhere = [
        ArticleFactory(title="A quiet summer for the city's theatres", section=culture, authors=[critic]),
        ArticleFactory(title="The harbour festival's line-up, act by act", section=culture, authors=[critic]),
    ]
    return {
        "lead": lead,
        "related": related,
        "elsewhere": elsewhere,
        "sections": [city, culture],
        "tags": [bridges, council],
        "authors": [reporter, critic],
    }
