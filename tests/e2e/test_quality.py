"""What a public newsroom is judged by: accessibility, page weight, layout on a phone."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGE_BUDGET_BYTES = 100_000


def test_reader_pages_have_no_serious_accessibility_violations(page, site, axe_violations):
    lead = site["lead"]
    pages = {
        "home": "/",
        "story": lead.get_absolute_url(),
        "section": lead.section.get_absolute_url(),
        "tag": site["tags"][0].get_absolute_url(),
        "author": site["authors"][0].get_absolute_url(),
        "search": "/search/?q=bridge",
        "newsletter": "/newsletter/",
    }
    found = {}
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, url
        found[name] = axe_violations(page)

    # The story's newsletter box showing a reader's mistake.
    page.goto(lead.get_absolute_url())
    newsletter = page.locator("#newsletter")
    newsletter.get_by_role("textbox").fill("not-an-email")
    newsletter.get_by_role("button").click()
    expect(newsletter).to_contain_text("You must complete a correct email")
    found["newsletter box with a message"] = axe_violations(page)

    assert {name: violations for name, violations in found.items() if violations} == {}


def test_story_page_is_light_local_and_stable(page, site, artifacts):
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.on("requestfailed", lambda request: requests.append(request))
    page.goto(site["lead"].get_absolute_url(), wait_until="networkidle")

    origin = page.evaluate("location.origin")
    foreign = [request.url for request in requests if not request.url.startswith((origin + "/", "data:"))]
    assert foreign == []

    weights = {
        request.url: request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]
        for request in requests
        if request.resource_type in {"document", "stylesheet", "script"}
    }
    assert any(url.endswith(".css") for url in weights), weights
    assert sum(weights.values()) < PAGE_BUDGET_BYTES, weights

    images = page.locator("img")
    assert images.count() >= 2
    without_size = page.eval_on_selector_all(
        "img",
        "imgs => imgs.filter(i => !i.getAttribute('width') || !i.getAttribute('height')).map(i => i.src)",
    )
    assert without_size == []
    layout_shift = page.evaluate(
        """() => new Promise(resolve => {
            let total = 0;
            new PerformanceObserver(list => {
                for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
            }).observe({type: "layout-shift", buffered: true});
            setTimeout(() => resolve(total), 300);
        })"""
    )
    assert layout_shift < 0.05

    expect(page.locator(".more-in-section h2")).to_have_text("More on City")
    screenshot(page, artifacts / "story-1280.png")


def test_story_page_fits_a_phone(phone_page, site, artifacts):
    phone_page.goto(site["lead"].get_absolute_url(), wait_until="networkidle")
    expect(phone_page.locator("h1.story-title")).to_be_visible()
    widths = phone_page.evaluate(
        "({page: document.documentElement.scrollWidth, viewport: window.innerWidth})"
    )
    assert widths["page"] <= widths["viewport"] == 390
    hero = phone_page.locator(".story .picture--hero img").bounding_box()
    assert hero["width"] <= 390
    screenshot(phone_page, artifacts / "story-390.png")
