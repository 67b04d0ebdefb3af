"""The home page and an article list as people see them, in German and English, at 1280 and
390 px (no sideways scrolling, axe-core finds no serious barrier), and the practice examples
on the atlas worked with the keyboard: switch the layer, open a marker's popup, follow its link
(issue 11)."""

import datetime

import pytest

from partnerportal.content.tests.factories import (
    ArticleIndexFactory,
    NewsArticleFactory,
    PracticeExampleFactory,
    ProgrammePageFactory,
    home_page,
    image_create,
)
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

from .test_phones import PHONE, too_wide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_TITLE = (
    "Klimapartnerschaft zwischen Pfinztal und Kidira: Solaranlagen auf Schuldächern, "
    "Wasserversorgungsinfrastrukturverbesserungsmaßnahmen und Bürgerbeteiligung"
)


@pytest.fixture
def knowledge(browser_site):
    koeln = MunicipalityFactory(
        name="Köln", state="Nordrhein-Westfalen", latitude=50.94, longitude=6.96
    )
    lima = ForeignMunicipalityFactory(name="Lima", iso2="PE", latitude=-12.05, longitude=-77.04)
    pair = PartnershipFactory(between=(koeln, lima), themes=["sdg-13"])
    image = image_create("Rathaus")
    pages = {}
    for language, news_title, practice_title in (
        ("de", "Aktuelles", "Praxisbeispiele"),
        ("en", "News", "Practice examples"),
    ):
        news = ArticleIndexFactory(language=language, title=news_title, slug=f"news-{language}")
        practice = ArticleIndexFactory(
            language=language, title=practice_title, slug=f"practice-{language}"
        )
        for day in range(5):
            NewsArticleFactory(
                parent=news,
                language=language,
                title=LONG_TITLE if day == 0 else f"{news_title} {day}",
                date=datetime.date(2026, 2, 1 + day),
                place="Köln",
                partnerships=[pair],
                lead_image=image if day % 2 else None,
                lead_image_alt="Das Rathaus im Sonnenlicht",
            )
        PracticeExampleFactory(
            parent=practice,
            language=language,
            title=f"{practice_title}: Solarschulen",
            partnerships=[pair],
            lead_image=image,
            lead_image_alt="Solarmodule auf einem Schuldach",
        )
        ProgrammePageFactory(
            parent=home_page(language), language=language, title=f"Programm {language}"
        )
        pages[language] = {"news": news, "practice": practice}
    return {"pair": pair, "pages": pages}


@pytest.mark.parametrize("language", ["de", "en"])
def test_home_page_and_list_without_barriers_at_both_widths(
    page, axe, screenshot, knowledge, language
):
    news = knowledge["pages"][language]["news"]
    for path, name in ((f"/{language}/", "home"), (news.url, "list")):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{path}?year=2026" if name == "list" else path)
        assert page.get_attribute("html", "lang") == language
        assert page.locator(".pp-card").count() >= 4
        screenshot(page, f"content-{name}-{language}-1280")
        assert axe(page) == [], path
        page.set_viewport_size(PHONE)
        page.goto(path)
        assert too_wide(page) == "", path
        screenshot(page, f"content-{name}-{language}-390")
        assert axe(page) == [], path


def test_list_filters_fold_on_phones_and_work_without_script(page, knowledge):
    page.set_viewport_size(PHONE)
    news = knowledge["pages"]["de"]["news"]
    page.goto(news.url)
    panel = page.locator("details.pp-filter-panel")
    assert panel.get_attribute("open") is None
    panel.locator("summary").click()
    page.select_option("select[name=year]", "2026")
    with page.expect_navigation():
        page.locator("details.pp-filter-panel button[type=submit]").click()
    assert "year=2026" in page.url
    assert page.locator(".pp-card").count() == 5
    assert too_wide(page) == ""


def test_practice_examples_layer_with_the_keyboard(page, axe, screenshot, knowledge):
    page.goto("/de/atlas/")
    switch = page.locator("[data-atlas-layer-switch]")
    switch.wait_for(state="visible")
    page.locator("#atlas-layer-practice").focus()
    page.keyboard.press("Space")
    status = page.locator("[data-atlas-status]")
    page.wait_for_function(
        "el => el.textContent.startsWith('Praxisbeispiele')", arg=status.element_handle()
    )
    # One point at each side of the partnership, reachable with the keyboard.
    markers = page.locator(".pp-layer-point")
    assert markers.count() == 2
    assert markers.first.get_attribute("tabindex") == "0"
    assert page.locator(".pp-cluster, .pp-place").count() == 0
    assert "layer=practice" in page.url
    markers.first.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content a")
    popup.wait_for()
    assert popup.inner_text() == "Praxisbeispiele: Solarschulen"
    # The list beside the map holds the same.
    assert page.locator("[data-atlas-items] a").count() == 2
    screenshot(page, "atlas-practice-de")
    assert axe(page) == []
    with page.expect_navigation():
        popup.click()
    assert page.url.endswith("/praxisbeispiele-solarschulen/")

    # At 390 px the switch and the map fit.
    page.set_viewport_size(PHONE)
    page.goto("/de/atlas/?layer=practice")
    page.locator(".pp-layer-point").first.wait_for()
    assert too_wide(page) == ""
    screenshot(page, "atlas-practice-de-390")


def test_practice_layer_says_when_there_are_none(page, browser_site):
    page.goto("/en/atlas/?layer=practice")
    status = page.locator("[data-atlas-status]")
    page.wait_for_function(
        "el => el.textContent === 'No practice examples yet.'", arg=status.element_handle()
    )
    page.locator("#atlas-layer-partnerships").check()
    page.wait_for_function(
        "el => el.textContent !== 'No practice examples yet.'", arg=status.element_handle()
    )
