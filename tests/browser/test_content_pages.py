"""News, practice examples, programme and format pages, and the form with which a municipal
editor submits a practice example: no serious barrier (axe-core) and nothing wider than a phone
(390 px), in German and English; screenshots at 390 and 1280 px."""

import pytest

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

from .test_phones import PHONE, too_wide, visit
from .test_site import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PAGES = {
    "de": {
        "news": "/de/aktuelles/leipzig-kyjiw/",
        "interview": "/de/aktuelles/heilwissen-yarinacocha/",
        "practice": "/de/praxisbeispiele/sindelfingen-annaba-geodaten/",
        "programme": "/de/nordafrika/",
        "format": "/de/regionalkonferenzen/",
        "list": "/de/praxisbeispiele/",
    },
    "en": {
        "news": "/en/news/leipzig-kyjiw/",
        "interview": "/en/news/heilwissen-yarinacocha/",
        "practice": "/en/practice-examples/sindelfingen-annaba-geodaten/",
        "programme": "/en/nordafrika/",
        "format": "/en/regionalkonferenzen/",
        "list": "/en/practice-examples/",
    },
}


@pytest.fixture
def content(browser_site):
    from partnerportal.content.demo.load import demo_content_load

    koeln = MunicipalityFactory(name="Köln")
    partnership = PartnershipFactory(
        between=(koeln, ForeignMunicipalityFactory(name="Yarinacocha", iso2="PE"))
    )
    # Linked from the demo's interview (the demo finds the pair by name).
    demo_content_load()
    return {"editor": UserFactory(municipality=koeln), "partnership": partnership}


@pytest.mark.parametrize("language", ["de", "en"])
def test_content_pages_have_no_serious_barriers_and_fit_a_phone(
    browser, live_server, content, axe, screenshot, language
):
    found, wide = {}, {}
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(
            base_url=live_server.url, locale="de-DE", viewport=viewport, bypass_csp=True
        )
        context.set_default_timeout(30_000)
        page = context.new_page()
        try:
            for name, path in PAGES[language].items():
                visit(page, path)
                screenshot(page, f"content-{name}-{language}-{viewport['width']}")
                if viewport is PHONE:
                    if problem := too_wide(page):
                        wide[path] = problem
                    if violations := axe(page):
                        found[path] = violations
        finally:
            context.close()
    assert wide == {}, wide
    assert found == {}, found


def test_the_submission_form_fits_a_phone_and_has_no_serious_barriers(
    browser, live_server, content, axe, screenshot
):
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", viewport=PHONE, bypass_csp=True
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        log_in(page, content["editor"])
        visit(page, "/de/register/meine-kommune/")
        assert "Praxisbeispiel einreichen" in page.content()
        for language in ("de", "en"):
            path = f"/{language}/beitraege/praxisbeispiel-einreichen/"
            visit(page, f"{path}?partnership={content['partnership'].pk}")
            screenshot(page, f"content-submit-{language}-390")
            assert too_wide(page) == ""
            assert axe(page) == []
        # An image without its description is explained, in the person's language.
        page.fill("input[name=title]", "Ein Garten")
        page.fill("textarea[name=teaser]", "Kurz.")
        page.fill("textarea[name=body]", "Text.")
        page.set_input_files(
            "input[name=image]",
            files=[{"name": "garten.png", "mimeType": "image/png", "buffer": _png()}],
        )
        with page.expect_navigation():
            page.click("main form.pp-form button[type=submit]")
        assert "Describe the image for people who cannot see it." in page.content()
        screenshot(page, "content-submit-error-en-390")
        assert axe(page) == []
    finally:
        context.close()


def _png() -> bytes:
    from partnerportal.content.tests.helpers import png_bytes

    return png_bytes()
