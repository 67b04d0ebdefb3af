"""Arabic (right to left) and Ukrainian in the browser: pages mirror, nothing is wider than a
phone or a wide screen, the language switch folds into the menu with all six languages, and
axe-core finds no serious barrier on the Arabic home page and the registry's list."""

import pytest

from . import test_phones
from .test_phones import PHONE, public_pages, visit

#: The same places and partnerships as the phone tests (long names, many rows).
network = test_phones.network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 900}


def overflow(page) -> str:
    """ "" if the page fits the window, else its width and what sticks out. Right to left, what
    is too wide sticks out on the left: scrollWidth counts that side too."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const scroll = document.documentElement.scrollWidth;
            if (scroll <= width) return "";
            const culprits = Array.from(document.querySelectorAll("body *"))
                .filter((e) => {
                    const box = e.getBoundingClientRect();
                    return box.width > 0 && (box.right > width + 1 || box.left < -1);
                })
                .slice(0, 3)
                .map((e) => e.tagName.toLowerCase() + "." + String(e.className).split(" ")[0]);
            return `${scroll} px wide (${culprits.join(", ")})`;
        }"""
    )


def _context(browser, live_server, viewport, **kwargs):
    context = browser.new_context(
        base_url=live_server.url, locale="ar", viewport=viewport, **kwargs
    )
    context.set_default_timeout(30_000)
    return context


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["390", "1280"])
@pytest.mark.parametrize("language", ["ar", "uk"])
def test_partner_language_pages_fit_and_read_in_their_direction(
    browser, live_server, browser_site, network, viewport, language
):
    context = _context(browser, live_server, viewport)
    page = context.new_page()
    try:
        found = {}
        for path in [*public_pages(network)[:10], "/de/konto/login/", "/de/konto/signup/"]:
            path = path.replace("/de/", f"/{language}/", 1)
            visit(page, path)
            direction = page.evaluate("document.documentElement.dir")
            assert direction == ("rtl" if language == "ar" else "ltr"), path
            assert page.evaluate("document.documentElement.lang") == language
            if problem := overflow(page):
                found[path] = problem
        assert found == {}, found
    finally:
        context.close()


def test_arabic_header_is_mirrored_and_the_switch_folds_into_the_menu(
    browser, live_server, browser_site
):
    context = _context(browser, live_server, WIDE)
    page = context.new_page()
    try:
        page.goto("/ar/")
        brand = page.locator(".pp-brand").bounding_box()
        search = page.locator(".pp-header-search").bounding_box()
        language = page.locator(".pp-language").bounding_box()
        # Right to left: the name of the site stands on the right, and in the tools (the search,
        # then the languages) the search comes first, on the right.
        assert brand["x"] > WIDE["width"] / 2
        assert search["x"] > language["x"] + language["width"] - 1
        first_nav = page.locator(".pp-nav li").first.bounding_box()
        last_nav = page.locator(".pp-nav li").last.bounding_box()
        assert first_nav["x"] > last_nav["x"]
    finally:
        context.close()

    context = _context(browser, live_server, PHONE)
    page = context.new_page()
    try:
        page.goto("/ar/register/partnerschaften/")
        assert not page.locator(".pp-language").is_visible()
        page.click(".pp-menu-button")
        switch = page.locator(".pp-language")
        assert switch.is_visible()
        names = switch.locator("li").all_inner_texts()
        assert names == ["Deutsch", "English", "Français", "Español", "العربية", "Українська"]
        for item in switch.locator("li").all():
            box = item.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        assert overflow(page) == ""
        page.click("a[hreflang=uk]")
        page.wait_for_url("**/uk/register/partnerschaften/")
        assert page.evaluate("document.documentElement.dir") == "ltr"
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["390", "1280"])
def test_arabic_home_and_registry_have_no_serious_barriers(
    browser, live_server, browser_site, network, axe, screenshot, viewport
):
    context = _context(browser, live_server, viewport, bypass_csp=True)
    page = context.new_page()
    try:
        found = {}
        for path in ["/ar/", "/ar/register/partnerschaften/"]:
            visit(page, path)
            if viewport == PHONE:
                name = path.strip("/").replace("/", "-")
                screenshot(page, f"languages-{name}-{viewport['width']}")
                screenshot_uk = path.replace("/ar/", "/uk/", 1)
                visit(page, screenshot_uk)
                screenshot(page, f"languages-{screenshot_uk.strip('/').replace('/', '-')}-390")
                visit(page, path)
            if violations := axe(page):
                found[path] = violations
        assert found == {}, found
    finally:
        context.close()
