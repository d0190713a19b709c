"""A reader's first visit, in a real browser: card pictures no bigger than their boxes need, and
home and section blocks without holes at phone, tablet and desktop widths."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import drawn_picture
from tests.factories import ArticleFactory, ImageFactory, SectionFactory

# Like every browser test: the flush after it must leave the rows data migrations made, for the next.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = [390, 768, 1280]

LOAD_PICTURES = """async () => {
    for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
        scrollTo(0, y);
        await new Promise(resolve => requestAnimationFrame(resolve));
    }
    scrollTo(0, 0);
}"""

# Pictures hidden by the layout (display: none, lazy) are never fetched: only the shown ones count.
SHOWN_PICTURES_LOADED = """Array.from(document.images)
    .filter(img => img.getBoundingClientRect().width).every(img => img.complete)"""

# Each card picture's rendered width and the width of the file the browser chose.
CARD_PICTURES = """() => Array.from(document.querySelectorAll('.story-card__picture img'))
    .filter(img => img.getBoundingClientRect().width > 0)
    .map(img => ({box: img.getBoundingClientRect().width, chosen: img.naturalWidth, src: img.currentSrc}))"""

# For each card grid, each row's free space after its last card (a hole when wider than a gap).
ROW_GAPS = """() => Array.from(document.querySelectorAll('.card-grid')).map(grid => {
    const right = grid.getBoundingClientRect().right;
    const rows = {};
    for (const card of grid.children) {
        const box = card.getBoundingClientRect();
        const top = Math.round(box.top);
        rows[top] = Math.max(rows[top] || 0, box.right);
    }
    return Object.values(rows).map(end => Math.round(right - end));
})"""


@pytest.fixture
def blocks(db):
    """Home: a full section block (4 cards) and a short one (3 cards); a full section page (12
    cards) and a short one (3 cards). All with pictures."""
    now = timezone.now()
    pictures = [
        ImageFactory(file=drawn_picture(f"card{n}.jpg", 1600, 900), format="JPEG", alt_text=f"Picture {n}")
        for n in range(2)
    ]
    city = SectionFactory(name="City", slug="city", position=0)
    culture = SectionFactory(name="Culture", slug="culture", position=1)
    for n in range(12):
        ArticleFactory(section=city, published_at=now - timedelta(hours=n), hero_image=pictures[n % 2])
    for n in range(3):
        ArticleFactory(section=culture, published_at=now - timedelta(days=2, hours=n), hero_image=pictures[0])
    return city, culture


def visit(new_context, width, url):
    page = new_context(viewport={"width": width, "height": 900}, device_scale_factor=1).new_page()
    page.goto(url, wait_until="networkidle")
    page.evaluate(LOAD_PICTURES)
    page.wait_for_function(SHOWN_PICTURES_LOADED)
    return page


@pytest.mark.parametrize("url", ["/", "/city/"])
def test_card_pictures_at_most_twice_their_box_on_a_phone(new_context, blocks, url):
    page = visit(new_context, 390, url)
    pictures = page.evaluate(CARD_PICTURES)
    assert pictures
    for picture in pictures:
        assert picture["chosen"] <= 2 * picture["box"], picture


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("url", ["/", "/city/", "/culture/"])
def test_blocks_have_no_holes(new_context, blocks, width, url):
    page = visit(new_context, width, url)
    grids = page.evaluate(ROW_GAPS)
    assert grids
    for rows in grids:
        assert all(free <= 2 for free in rows), (width, url, rows)
