"""The applicant's way in a real browser: the public funding finder, then a municipal editor
starts an application from it, fills in the measure and the schedule, builds the cost plan with
a flight and per diems calculated by the BMF rates, uploads the document the instrument asks
for, submits, and downloads the application as a PDF. On a phone (390 px) none of these pages
is wider than the screen. Screenshots in German and English go to screenshots/."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from partnerportal.funding.models import Application, ApplicationState, CostLine
from partnerportal.funding.tests.apply_factories import applicant_with_partnership, instrument
from partnerportal.funding.tests.conftest import HEADER, TABLE_2025_2026, table_import

from .test_phones import PHONE, too_wide
from .test_site import log_in, path_of

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
#: Rwanda's rates for the years ahead as well: the trip lies some weeks after today.
LATER_RATES = HEADER + "".join(
    f"{year}-01-01,{year}-12-31,RW,,44,29,117\n" for year in range(2027, 2031)
)


@pytest.fixture
def funding(browser_site):
    table_import(TABLE_2025_2026)
    table_import(LATER_RATES)
    inst = instrument(name="Expertenfonds für Partnerschaften")
    city, partnership, editor = applicant_with_partnership(name="Köln", iso2="RW")
    return {"instrument": inst, "city": city, "partnership": partnership, "editor": editor}


def test_from_the_finder_to_a_submitted_application_and_its_pdf(
    page, browser, live_server, funding, screenshot, tmp_path
):
    # The public finder: a few questions, answered without JavaScript (a GET form).
    page.goto("/de/foerderung/")
    page.select_option("#id_kind", "kreisfreie_stadt")
    page.select_option("#id_country", "RW")
    page.select_option("#id_partnership", "active")
    page.fill("#id_amount", "5000")
    with page.expect_navigation():
        page.get_by_role("button", name="Passende Förderung zeigen").click()
    assert "kind=kreisfreie_stadt" in page.url
    fits = page.locator("#qualifying")
    assert "1 Instrument passt" in fits.inner_text()
    assert "Expertenfonds für Partnerschaften" in page.locator("article").first.inner_text()
    screenshot(page, "funding-finder-de")
    page.goto(page.url.replace("/de/", "/en/"))
    assert "1 instrument fits" in page.locator("#qualifying").inner_text()
    screenshot(page, "funding-finder-en")

    # The editor is recognised from the registry and starts from the finder.
    log_in(page, funding["editor"])
    page.goto("/de/foerderung/")
    assert "Geprüft für Ihre Kommune Köln" in page.content()
    with page.expect_navigation():
        page.get_by_role("link", name="Beantragen").first.click()
    assert page.locator("#id_partnership").input_value() == str(funding["partnership"].pk)
    with page.expect_navigation():
        page.get_by_role("button", name="Antrag beginnen").click()
    application = Application.objects.get()
    assert path_of(page) == f"/de/foerderung/antraege/{application.pk}/massnahme/"

    page.fill("#id_title", "Wasserversorgung gemeinsam planen")
    page.fill("#id_goals", "Ein Plan für die Wasserversorgung zweier Stadtteile.")
    page.fill("#id_measure", "Fachleute beider Verwaltungen arbeiten zwei Wochen zusammen.")
    with page.expect_navigation():
        page.get_by_role("button", name="Speichern und weiter").click()
    start = timezone.localdate() + dt.timedelta(days=40)
    page.fill("#id_starts_on", start.isoformat())
    page.fill("#id_ends_on", (start + dt.timedelta(days=14)).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Speichern und weiter").click()
    assert path_of(page).endswith("/kosten/")

    # The cost plan: a flight, and per diems calculated by the BMF rates.
    page.select_option("#id_line-kind", "flight")
    page.fill("#id_line-description", "Flug Frankfurt–Kigali und zurück")
    page.fill("#id_line-amount", "1.150,00")
    with page.expect_navigation():
        page.get_by_role("button", name="Kosten hinzufügen").click()
    trip = dt.datetime.combine(start + dt.timedelta(days=1), dt.time(7, 0))
    page.select_option("#id_trip-country", "RW")
    page.fill("#id_trip-city", "Kigali")
    page.fill("#id_trip-start", trip.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_trip-end", (trip + dt.timedelta(days=3, hours=13)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_trip-breakfasts", "3")
    page.fill("#id_trip-travellers", "2")
    with page.expect_navigation():
        page.get_by_role("button", name="Berechnen und hinzufügen").click()
    per_diem = CostLine.objects.get(application=application, kind="per_diem")
    # Rwanda: 29 + 44 + 44 + 29 = 146, less three breakfasts of 8.80 = 119.60; two travellers.
    assert per_diem.amount_eur == Decimal("239.20")
    table = page.locator("#cost-plan").inner_text()
    assert "239,20" in table and "1.150,00" in table
    assert "1.389,20" in page.locator(".pp-totals").first.inner_text()
    screenshot(page, "funding-costs-de")

    with page.expect_navigation():
        page.get_by_role("link", name="Weiter").click()
    document = tmp_path / "absichtserklaerung.pdf"
    document.write_bytes(PDF)
    page.set_input_files("#id_doc-absicht-file", str(document))
    with page.expect_navigation():
        page.get_by_role("button", name="Hochladen").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Weiter").click()
    assert path_of(page).endswith("/pruefen/")
    screenshot(page, "funding-check-de")
    with page.expect_navigation():
        page.get_by_role("button", name="Antrag einreichen").click()
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.reference in page.locator("main").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Als PDF herunterladen").click()
    download = download_info.value
    assert download.suggested_filename == f"antrag-{application.reference.lower()}.pdf"
    assert download.path().read_bytes().startswith(b"%PDF-")
    page.goto(f"/en/foerderung/antraege/{application.pk}/")
    screenshot(page, "funding-application-en")

    # On a phone nothing is wider than the screen: the finder, the list and the application.
    phone = browser.new_context(base_url=live_server.url, locale="de-DE", viewport=PHONE)
    try:
        small = phone.new_page()
        log_in(small, funding["editor"])
        wide = {}
        for path in (
            "/de/foerderung/",
            "/de/foerderung/?kind=gemeinde&country=PE&partnership=no",
            "/de/foerderung/antraege/",
            f"/de/foerderung/antraege/{application.pk}/",
        ):
            small.goto(path)
            if problem := too_wide(small):
                wide[path] = problem
        assert wide == {}, wide
        screenshot(small, "funding-application-phone-de")
    finally:
        phone.close()


def test_the_wizard_fits_a_phone(browser, live_server, funding, screenshot):
    """Every step of a draft at 390 px, with a line in another currency in the cost plan."""
    from partnerportal.funding import applications as services

    editor = funding["editor"]
    application = services.application_create(
        actor=editor,
        instrument=funding["instrument"],
        applicant=funding["city"],
        partnership_id=funding["partnership"].pk,
    )
    services.cost_line_add(
        actor=editor,
        application=application,
        expected_version=application.version,
        kind="accommodation",
        description="Gästehaus in Kigali, zwei Zimmer für zwei Wochen mit Frühstück",
        amount=Decimal("1450000"),
        currency="RWF",
        exchange_rate=Decimal("0.00065"),
    )
    phone = browser.new_context(base_url=live_server.url, locale="de-DE", viewport=PHONE)
    try:
        page = phone.new_page()
        log_in(page, editor)
        wide = {}
        base = f"/de/foerderung/antraege/{application.pk}/"
        for step in ("partnerschaft", "massnahme", "zeitplan", "kosten", "unterlagen", "pruefen"):
            response = page.goto(base + step + "/")
            assert response is not None and response.status == 200, step
            if problem := too_wide(page):
                wide[step] = problem
        assert wide == {}, wide
        page.goto(base + "kosten/")
        screenshot(page, "funding-costs-phone-de")
        page.goto(base + "pruefen/")
        screenshot(page, "funding-check-phone-de")
    finally:
        phone.close()
