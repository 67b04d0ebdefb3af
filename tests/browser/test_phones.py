"""Every main page on a phone (390 px): nothing wider than the screen, for the public, a
municipal editor and agency staff; the header folds behind a menu button, the list's filters
fold, tables become stacked rows, long lists are paged; axe-core finds no serious barrier on
the pages this layout changed, in German and English."""

import pytest

from partnerportal.accounts.tests.factories import MembershipFactory, UserFactory
from partnerportal.registry.models import PartnershipType
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
    ReviewItemFactory,
)

from .test_site import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
#: Partners of the Berlin-like place: more than two pages of 25.
MANY = 60
LONG_NAME = "Budapest V. kerület – Belváros-Lipótváros Önkormányzata Polgármesteri Hivatala"


@pytest.fixture
def network():
    """A Köln-like place with partnerships of every kind, long names among them, and a
    Berlin-like one with more partnerships than one page holds."""
    koeln = MunicipalityFactory(
        name="Köln",
        state="Nordrhein-Westfalen",
        district="Regierungsbezirk Köln",
        population=1084831,
        area_km2=405.02,
        latitude=50.9375,
        longitude=6.9603,
    )
    berlin = MunicipalityFactory(
        name="Berlin", state="Berlin", population=3669491, latitude=52.52, longitude=13.405
    )
    countries = ["FR", "PE", "SN", "UA", "TR", "CN", "HU", "US", "IL", "BR"]
    partnerships = []
    for index, partnership_type in enumerate(PartnershipType.values):
        partner = ForeignMunicipalityFactory(
            name=LONG_NAME if index == 0 else f"Partnerstadt {index}",
            iso2=countries[index % len(countries)],
            latitude=10.0 + index,
            longitude=20.0 + index,
        )
        partnerships.append(
            PartnershipFactory(
                between=(koeln, partner),
                type=partnership_type,
                start_year=1960 + index,
                themes=["klimaschutz", "sdg-13"],
            )
        )
    PartnershipFactory(between=(koeln, ForeignMunicipalityFactory(iso2="PE")), stale=True)
    for index in range(MANY):
        PartnershipFactory(
            between=(
                berlin,
                ForeignMunicipalityFactory(
                    name=f"Ort {index:02d} am Fluss", iso2=countries[index % len(countries)]
                ),
            ),
            start_year=1950 + index,
        )
    review_item = ReviewItemFactory(
        raw={
            "city1": "Neustadt an der Weinstraße",
            "country1": "Germany",
            "city2": LONG_NAME,
            "country2": "Hungary",
        }
    )
    membership = MembershipFactory(municipality=koeln)
    MembershipFactory(requested=True, municipality=koeln)
    return {
        "koeln": koeln,
        "berlin": berlin,
        "partnership": partnerships[0],
        "member": membership,
        "review_item": review_item,
    }


def public_pages(n) -> list[str]:
    return [
        "/de/",
        "/de/register/partnerschaften/",
        "/de/register/partnerschaften/?q=koln&sort=start&order=desc",
        f"/de/register/kommunen/{n['koeln'].pk}/",
        f"/de/register/kommunen/{n['berlin'].pk}/",
        f"/de/register/kommunen/{n['berlin'].pk}/?page=2&sort=country",
        f"/de/register/partnerschaften/{n['partnership'].pk}/",
        "/de/register/bundeslaender/nordrhein-westfalen/",
        "/de/register/laender/HU/",
        "/de/atlas/",
        "/de/atlas/statistik/",
        "/de/api/",
        "/de/register/kommunen/?q=K%C3%B6ln",
    ]


def editor_pages(n) -> list[str]:
    partnership = n["partnership"].pk
    return [
        "/de/konto/",
        "/de/aktivitaet/",
        "/de/konto/mitgliedschaften/anfragen/",
        f"/de/register/partnerschaften/{partnership}/bearbeiten/",
        f"/de/register/kommunen/{n['koeln'].pk}/partnerschaft-vorschlagen/",
        "/de/register/meine-kommune/",  # the editor's work page
    ]


def staff_pages(n) -> list[str]:
    return [
        "/de/konto/redaktion/",
        "/de/register/pruefung/",
        f"/de/register/pruefung/{n['review_item'].pk}/",
        "/de/register/veraltet/",
        f"/de/aenderungen/accounts/membership/{n['member'].pk}/",
        f"/de/aenderungen/registry/partnership/{n['partnership'].pk}/",
    ]


def too_wide(page) -> str:
    """ "" if the page fits the screen, else how wide it is and what sticks out."""
    return page.evaluate(
        """() => {
            const width = window.innerWidth;
            const scroll = document.documentElement.scrollWidth;
            if (scroll <= width) return "";
            const culprits = Array.from(document.querySelectorAll("body *"))
                .filter((e) => e.getBoundingClientRect().right > width + 1)
                .slice(0, 3)
                .map((e) => e.tagName.toLowerCase() + "." + String(e.className).split(" ")[0]);
            return `${scroll} px wide (${culprits.join(", ")})`;
        }"""
    )


def visit(page, path) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, (
        f"{path}: {response and response.status}"
    )


def role_user(role, n):
    if role == "municipal_editor":
        return UserFactory(municipality=n["koeln"])
    if role == "agency_staff":
        return UserFactory(role="agency_admin", mfa=True)
    return None


@pytest.mark.parametrize("role", ["anonymous", "municipal_editor", "agency_staff"])
def test_no_page_is_wider_than_a_phone(browser, live_server, browser_site, network, role):
    context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport=PHONE)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        user = role_user(role, network)
        paths = public_pages(network)
        if user is not None:
            log_in(page, user)
            paths += editor_pages(network)
        if role == "agency_staff":
            paths += staff_pages(network)
        wide = {}
        for path in paths:
            visit(page, path)
            if problem := too_wide(page):
                wide[path] = problem
        assert wide == {}, wide
    finally:
        context.close()


@pytest.mark.parametrize("language", ["de", "en"])
def test_changed_pages_have_no_serious_barriers_on_a_phone(
    browser, live_server, browser_site, network, axe, screenshot, language
):
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", viewport=PHONE, bypass_csp=True
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        log_in(page, role_user("agency_staff", network))
        paths = public_pages(network) + editor_pages(network) + staff_pages(network)
        found = {}
        for path in paths:
            path = path.replace("/de/", f"/{language}/", 1)
            visit(page, path)
            if path.startswith(f"/{language}/register/kommunen/{network['berlin'].pk}/?"):
                screenshot(page, f"phone-berlin-page-2-{language}")
            if violations := axe(page):
                found[path] = violations
        # The header opened by its button is checked too.
        page.goto(f"/{language}/register/partnerschaften/")
        page.click(".pp-menu-button")
        if violations := axe(page):
            found["menu open"] = violations
        assert found == {}, found
    finally:
        context.close()


@pytest.mark.parametrize("language", ["de", "en"])
def test_wide_screen_pages_have_no_serious_barriers(page, axe, network, language):
    for path in public_pages(network)[:6]:
        path = path.replace("/de/", f"/{language}/", 1)
        visit(page, path)
        assert axe(page) == [], path


def test_menu_button_folds_the_header_on_a_phone(browser, live_server, browser_site):
    context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport=PHONE)
    page = context.new_page()
    try:
        page.goto("/de/")
        button = page.locator(".pp-menu-button")
        nav_link = page.locator(".pp-nav a[href='/de/register/partnerschaften/']")
        assert button.is_visible()
        assert button.get_attribute("aria-expanded") == "false"
        assert not nav_link.is_visible()
        assert not page.locator(".pp-language").is_visible()
        button.click()
        assert button.get_attribute("aria-expanded") == "true"
        assert nav_link.is_visible()
        assert page.locator(".pp-language").is_visible()
        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false"
        assert not nav_link.is_visible()
        # The header with its button takes little room above the page's heading.
        assert page.locator("main h1").bounding_box()["y"] < 200
    finally:
        context.close()


def test_wide_screen_shows_the_navigation_without_a_button(page):
    page.goto("/de/")
    assert not page.locator(".pp-menu-button").is_visible()
    assert page.locator(".pp-nav a[href='/de/register/partnerschaften/']").is_visible()


def test_list_filters_fold_on_a_phone_and_tables_stack(browser, live_server, browser_site, network):
    context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport=PHONE)
    page = context.new_page()
    try:
        page.goto("/de/register/partnerschaften/")
        # The text filter is there at once, the other filters folded: the first result is near.
        assert page.locator("main input[name=q]").is_visible()
        assert not page.locator("select[name=state]").is_visible()
        first_cell = page.locator("main table tbody tr td").first
        assert first_cell.bounding_box()["y"] < 900
        # A stacked row: each cell below the other, named by its column.
        cells = page.locator("main table tbody tr").first.locator("td")
        assert cells.nth(1).bounding_box()["y"] > cells.nth(0).bounding_box()["y"]
        label = cells.nth(1).evaluate("c => getComputedStyle(c, '::before').content")
        assert label == '"Partner"'
        assert page.locator("main table").get_attribute("role") == "table"
        # Filters open, and the text filter finds a place by its plain spelling.
        page.click(".pp-filter-panel summary")
        assert page.locator("select[name=state]").is_visible()
        page.fill("main input[name=q]", "koln")
        with page.expect_navigation():
            page.press("main input[name=q]", "Enter")
        assert (
            page.locator("#partnership-count")
            .inner_text()
            .startswith(str(len(PartnershipType.values) + 1))
        )
    finally:
        context.close()


def test_wide_screen_shows_the_filters_open(page, network):
    page.goto("/de/register/partnerschaften/")
    assert page.locator("select[name=state]").is_visible()
    cells = page.locator("main table tbody tr").first.locator("td")
    assert cells.nth(1).bounding_box()["y"] == cells.nth(0).bounding_box()["y"]


def test_long_municipality_page_is_paged_filtered_and_sorted(page, network):
    berlin = network["berlin"].pk
    page.goto(f"/de/register/kommunen/{berlin}/")
    rows = page.locator("table[aria-describedby=municipality-partnership-count] tbody tr")
    assert rows.count() == 25
    pages = page.locator(".pp-pagination")
    assert pages.locator("[aria-current=page]").inner_text().strip().endswith("1")
    with page.expect_navigation():
        pages.locator("a", has_text="3").first.click()
    assert rows.count() == MANY - 50
    assert "#partnerships-heading" in page.url
    # Sorting by start year, newest first.
    page.goto(f"/de/register/kommunen/{berlin}/?sort=start&order=desc")
    assert rows.first.locator("td").nth(4).inner_text().strip() == str(1950 + MANY - 1)
    # The text filter.
    page.fill("main input[name=q]", "ort 07")
    with page.expect_navigation():
        page.press("main input[name=q]", "Enter")
    assert rows.count() == 1
    assert "Ort 07 am Fluss" in rows.first.inner_text()
