"""An advisory case in a real browser, on a phone (390 px), German and English: a person sends
the public contact form, staff open the case, add a log entry and a measure of the action plan,
and the editor of the partner municipality sees the plan and comments on it, without ever
seeing the internal log. No page of the way is wider than the screen or has a serious barrier
(axe-core); each is kept as a screenshot."""

import pytest

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.advisory.models import Case, CaseNote, Measure, PlanComment
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

from .test_phones import PHONE, too_wide
from .test_site import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "Bürgermeisterin sagt vertraulich: Haushaltssperre bis März"


@pytest.mark.parametrize("language", ["de", "en"])
def test_contact_request_to_plan_seen_by_the_partner(
    browser, live_server, browser_site, axe, screenshot, language
):
    german = MunicipalityFactory(name="Beispielstadt")
    partner = ForeignMunicipalityFactory(name="Sousse", iso2="TN")
    PartnershipFactory(between=(german, partner), active=True)
    staff = UserFactory(role="agency_editor", mfa=True, name="Beraterin Demo")
    editor = UserFactory(municipality=partner, name="Editor Sousse")
    problems: dict = {}

    def context():
        ctx = browser.new_context(
            base_url=live_server.url, locale="de-DE", viewport=PHONE, bypass_csp=True
        )
        ctx.set_default_timeout(30_000)
        return ctx

    def check(page, step):
        if wide := too_wide(page):
            problems[f"{step}: too wide"] = wide
        if violations := axe(page):
            problems[f"{step}: axe"] = violations
        screenshot(page, f"advisory-{language}-{step}")

    # 1. The public contact form
    public = context()
    try:
        page = public.new_page()
        page.goto(f"/{language}/beratung/anfrage/")
        check(page, "contact")
        page.fill("input[name=name]", "Amira Beispiel")
        page.fill("input[name=email]", "amira@example.org")
        page.fill("input[name=municipality]", "Beispielstadt")
        page.fill("input[name=partner_municipality]", "Sousse")
        page.fill("textarea[name=need]", "Wir möchten einen Aktionsplan zur Abfalltrennung.")
        page.select_option("select[name=language]", "fr")
        page.check("input[name=consent]")
        with page.expect_navigation():
            page.click("form.pp-form button[type=submit]")
        assert "/beratung/anfrage/danke/" in page.url
        check(page, "thanks")
    finally:
        public.close()
    case = Case.objects.get()
    assert case.partnership is not None and case.language == "fr"

    # 2. Staff: the list, the case, a log entry, a measure
    office = context()
    try:
        page = office.new_page()
        log_in(page, staff)
        page.goto(f"/{language}/beratung/faelle/")
        check(page, "case-list")
        with page.expect_navigation():
            page.click(f"text={case.reference}")
        check(page, "case")
        page.fill("#log input[name=participants]", "Bürgermeisterin, Beraterin")
        page.fill("#log textarea[name=text]", SECRET)
        with page.expect_navigation():
            page.click("#log form button[type=submit]")
        assert CaseNote.objects.filter(case=case, text=SECRET).exists()
        with page.expect_navigation():
            page.click("form[action$='/status/'] button >> nth=0")
        page.goto(f"/{language}/beratung/faelle/{case.pk}/plan/massnahmen/neu/")
        check(page, "measure-form")
        page.fill("input[name=goal]", "Abfalltrennung in zwei Vierteln erproben")
        page.fill("input[name=estimated_cost]", "12500")
        with page.expect_navigation():
            page.click("form.pp-form button[type=submit]")
        assert Measure.objects.filter(plan__case=case).count() == 1
        check(page, "plan-staff")
        page.goto(f"/{language}/beratung/faelle/uebersicht/")
        check(page, "dashboard")
    finally:
        office.close()

    # 3. The partner municipality's editor: the plan and a comment, never the log
    partner_side = context()
    try:
        page = partner_side.new_page()
        log_in(page, editor)
        page.goto(f"/{language}/beratung/aktionsplaene/")
        with page.expect_navigation():
            page.click("main ul.kern-list a")
        assert "Abfalltrennung in zwei Vierteln erproben" in page.content()
        assert SECRET not in page.content()
        check(page, "plan-editor")
        page.fill("#comments textarea[name=text]", "Einverstanden, wir beginnen im Januar.")
        with page.expect_navigation():
            page.click("#comments form button[type=submit]")
        assert PlanComment.objects.filter(author=editor).exists()
        assert SECRET not in page.content()
        response = page.goto(f"/{language}/beratung/faelle/{case.pk}/")
        assert response.status == 403
        assert SECRET not in page.content()
    finally:
        partner_side.close()
    assert problems == {}, problems
