"""The reader's path through the site, following the links a person would click."""

import re
import time
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_reader_goes_from_home_to_section_story_tag_and_author(page, site):
    lead = site["lead"]
    page.goto("/")
    expect(page.locator(".story-card--lead")).to_contain_text(lead.title)

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="City", exact=True).click()
    expect(page).to_have_url(re.compile(r"/city/$"))
    expect(page.locator("h1")).to_have_text("City")

    page.locator(".story-card h3 a", has_text=lead.title).click()
    expect(page).to_have_url(re.compile(rf"{lead.get_absolute_url()}$"))
    expect(page.locator("h1.story-title")).to_have_text(lead.title)

    page.locator(".in-this-story").get_by_role("link", name="Bridges").click()
    expect(page).to_have_url(re.compile(r"/tag/bridges/$"))
    expect(page.locator("h1")).to_have_text("Bridges")
    expect(page.locator(".story-card")).to_have_count(2)

    page.locator(".story-card h3 a", has_text="Night buses return").click()
    expect(page.locator("h1.story-title")).to_have_text("Night buses return to the river route")

    page.locator(".byline a[rel=author]").click()
    expect(page).to_have_url(re.compile(r"/author/marta-quiroga/$"))
    expect(page.locator("h1")).to_have_text("Marta Quiroga")
    expect(page.locator(".story-card")).to_have_count(5)


SIGNUPS = [
    ("", "You must complete your e-mail"),
    ("not-an-email", "You must complete a correct email"),
    ("reader@example.org", "You will soon receive news in your email."),
    ("  Reader@Example.ORG ", "You are already subscribed to our newsletter."),
]


def subscribers(address):
    from newsletter.models import Subscriber

    return Subscriber.objects.filter(email__iexact=address).count()


def test_newsletter_form_answers_in_place_with_javascript(page, site, settings):
    settings.NEWSLETTER_DOUBLE_OPT_IN = False
    page.goto(site["lead"].get_absolute_url())
    # A mark on the window: it survives only if the page is never reloaded.
    page.evaluate("window.samePage = true")
    newsletter = page.locator("#newsletter")
    email = newsletter.get_by_label("Your email address")
    message = newsletter.locator("#newsletter-message")

    for typed, expected in SIGNUPS:
        email.fill(typed)
        newsletter.get_by_role("button", name="Subscribe").click()
        expect(message).to_have_text(expected)

    assert page.evaluate("window.samePage") is True
    assert subscribers("reader@example.org") == 1
    expect(newsletter.get_by_role("link", name="Terms and Conditions")).to_have_attribute(
        "href", "/pages/terms/"
    )
    # The browser posted from the page (Origin, Sec-Fetch-Site) without any cookie.
    assert page.context.cookies() == []


def test_a_form_left_open_too_long_asks_again_then_signs_up_in_place(page, site, settings, monkeypatch):
    """Without double opt-in an expired stamp is refused out loud; the script takes the fresh one."""
    settings.NEWSLETTER_DOUBLE_OPT_IN = False
    page.goto(site["lead"].get_absolute_url())
    newsletter = page.locator("#newsletter")
    message = newsletter.locator("#newsletter-message")
    a_day_later = time.time() + 24 * 3600 + 60
    monkeypatch.setattr("newsletter.tokens.time", SimpleNamespace(time=lambda: a_day_later))

    newsletter.get_by_label("Your email address").fill("late@example.org")
    newsletter.get_by_role("button", name="Subscribe").click()
    expect(message).to_have_text("Your signup was not saved. Please send the form again.")
    assert subscribers("late@example.org") == 0

    expect(newsletter.get_by_label("Your email address")).to_have_value("late@example.org")
    newsletter.get_by_role("button", name="Subscribe").click()
    expect(message).to_have_text("You will soon receive news in your email.")
    assert subscribers("late@example.org") == 1


def test_newsletter_form_works_without_javascript(nojs_page, site, mailoutbox):
    page = nojs_page
    story_url = site["lead"].get_absolute_url()
    page.goto(story_url)
    newsletter = page.locator("#newsletter")
    email = newsletter.get_by_label("Your email address")
    message = newsletter.locator("#newsletter-message")

    for typed, expected in SIGNUPS:
        if expected == "You are already subscribed to our newsletter.":
            # Double opt-in: the address counts as subscribed once the link in the mail is followed.
            (confirm_path,) = re.findall(r"/newsletter/confirm/[^/\s]+/", mailoutbox[-1].body)
            page.goto(confirm_path)
            page.get_by_role("button", name="Confirm my subscription").click()
            expect(page.locator("h1")).to_have_text("Your subscription is confirmed")
            page.context.clear_cookies()  # the confirmation page, a private one, may set one
            page.goto(story_url)
        email.fill(typed)
        with page.expect_navigation():
            newsletter.get_by_role("button", name="Subscribe").click()
        # A normal POST, then back to the same story, with the message at its form.
        expect(page).to_have_url(re.compile(rf"{story_url}#newsletter$"))
        expect(message).to_have_text(expected)
        if expected == "You will soon receive news in your email.":
            expect(email).to_have_value("")
            expect(email).not_to_have_attribute("aria-invalid", "true")
        else:
            # A refused address stays in the box, so the reader can correct it.
            expect(email).to_have_value(typed.strip())
            expect(email).to_have_attribute("aria-invalid", "true")
        # The message came once in a cookie, which the page showing it deleted.
        assert page.context.cookies() == []

    assert subscribers("reader@example.org") == 1
    # The story holds no reader's message: the same page for everyone.
    page.reload()
    expect(message).to_have_text("")
    expect(email).to_have_value("")


def focus_ring(page):
    """How the focused element shows its focus: its outline or box shadow, and whether it is on screen."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            const box = el.getBoundingClientRect();
            const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
            return {
                tag: el.tagName.toLowerCase(),
                text: (el.innerText || el.value || el.name || "").trim(),
                visible: (outline || style.boxShadow !== "none") && box.width > 0 && box.height > 0
                    && box.bottom > 0 && box.top < innerHeight,
            };
        }"""
    )


def tab_to(page, predicate, limit=40):
    """Press Tab until the focused element matches `predicate` (a JS function of the element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"({predicate})(document.activeElement)"):
            ring = focus_ring(page)
            assert ring["visible"], ring
            return ring
    raise AssertionError(f"Tab never reached {predicate}")


def test_navigation_and_newsletter_work_by_keyboard_alone(page, site):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = focus_ring(page)
    assert skip["visible"], skip

    tab_to(page, "el => el.closest('nav.site-nav') && el.textContent.trim() === 'City'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("City")

    page.goto(site["lead"].get_absolute_url())
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link: past the header, straight to the story
    assert page.evaluate("document.activeElement.id") == "main"
    tab_to(page, "el => el.id === 'newsletter-email'")
    page.keyboard.type("keys@example.org")
    tab_to(page, "el => el.closest('#newsletter') && el.tagName === 'BUTTON'")
    page.keyboard.press("Enter")
    expect(page.locator("#newsletter-message")).to_have_text("You will soon receive news in your email.")
    assert subscribers("keys@example.org") == 1
