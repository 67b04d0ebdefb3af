"""Needs, matching and deployments in a real browser on a phone (390 px): staff record a need,
see the experts who fit with their reasons, propose one; the expert accepts on their page; staff
record the deployment from the accepted proposal. No page of the way is wider than the screen.
Screenshots of each page in German and English land in screenshots/advisory-*.png."""

import datetime as dt

import pytest

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.advisory.models import Deployment, DeploymentState, Proposal
from partnerportal.advisory.tests.expert_factories import ExpertProfileFactory, active_pair
from partnerportal.registry.models import Theme

from .test_phones import PHONE, too_wide
from .test_site import log_in


def _themes_restore() -> None:
    """A live-server test runs after others that flushed the database: the themes come from a
    data migration, so put them back the way it made them."""
    from importlib import import_module

    from django.apps import apps

    if not Theme.objects.exists():
        import_module("partnerportal.registry.migrations.0002_themes").create_themes(apps, None)


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_need_match_propose_accept_deploy_on_a_phone(
    browser, live_server, browser_site, screenshot
):
    _themes_restore()
    _german, partner, partnership = active_pair()
    partner.latitude, partner.longitude = -8.35, -74.6
    partner.save()
    staff = UserFactory(role="agency_editor", mfa=True)
    expert_user = UserFactory(expert=True)
    expert = ExpertProfileFactory(
        user=expert_user,
        name="Erika Fachkraft",
        fields=["gesundheit"],
        countries=["PE"],
        languages=[("es", "C1")],
        available_from=dt.date(2026, 1, 1),
    )
    ExpertProfileFactory(name="Otto Teilweise", fields=["gesundheit"], languages=[("es", "A2")])
    health = Theme.objects.get(code="gesundheit")
    problems = {}

    def new_page():
        context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport=PHONE)
        context.set_default_timeout(30_000)
        return context, context.new_page()

    def check(page, step):
        if wide := too_wide(page):
            problems[f"{step}: too wide"] = wide
        screenshot(page, f"advisory-{step}")

    context, page = new_page()
    try:
        log_in(page, staff)
        page.goto("/de/beratung/bedarfe/neu/")
        check(page, "need-form-de")
        page.fill("input[name=title]", "Gesundheitsversorgung am Río Ucayali")
        page.fill("input[name=partner_municipality]", "Yarinacocha")
        page.check(f"input[name=fields][value='{health.pk}']")
        page.fill("input[name=languages]", "es")
        page.select_option("select[name=country]", "PE")
        page.fill("input[name=starts_on]", "2026-03-01")
        page.fill("input[name=ends_on]", "2027-02-28")
        with page.expect_navigation():
            page.click("form.pp-form button[type=submit]")
        assert "/beratung/bedarfe/" in page.url, page.content()[:3000]
        matches = page.locator(".pp-match")
        assert matches.count() == 2
        first = matches.nth(0).inner_text()
        assert "Erika Fachkraft" in first
        assert "Spricht Spanisch (C1)" in first and "Hat in Peru gearbeitet" in first
        assert "nur auf Niveau A2" in matches.nth(1).inner_text()
        check(page, "need-matches-de")
        need_url = page.url
        with page.expect_navigation():
            matches.nth(0).locator("button[type=submit]").click()
        assert Proposal.objects.get().expert == expert
    except BaseException:
        context.close()
        raise

    # The expert in a browser of their own; staff stay logged in (a second login within the
    # same 30 seconds would reuse the one-time code, which is refused).
    expert_context, expert_page = new_page()
    try:
        page_of_expert = expert_page
        log_in(page_of_expert, expert_user)
        page_of_expert.goto("/de/beratung/mein-fachkraefteprofil/")
        check(page_of_expert, "expert-page-de")
        with page_of_expert.expect_navigation():
            page_of_expert.click("form.pp-inline-form button.kern-btn--primary")
        assert Proposal.objects.get().state == Proposal.State.ACCEPTED
        page_of_expert.goto("/en/beratung/mein-fachkraefteprofil/")
        check(page_of_expert, "expert-page-en")
    finally:
        expert_context.close()

    try:
        page.goto(need_url)
        with page.expect_navigation():
            page.click("a[href*='einsaetze/neu/?proposal=']")
        check(page, "deployment-form-de")
        page.fill("input[name=host_institution]", "Stadtverwaltung")
        with page.expect_navigation():
            page.click("form.pp-form button[type=submit]")
        deployment = Deployment.objects.get()
        assert deployment.partnership == partnership
        assert deployment.expert == expert
        assert deployment.state == DeploymentState.FILLED
        assert f"/beratung/einsaetze/{deployment.pk}/" in page.url
        check(page, "deployment-de")
        page.goto(f"/en/beratung/einsaetze/{deployment.pk}/")
        check(page, "deployment-en")
        page.goto(need_url.replace("/de/", "/en/"))
        check(page, "need-matches-en")
        page.goto("/de/beratung/einsaetze/")
        check(page, "deployment-list-de")
        page.goto("/en/beratung/einsaetze/statistik/")
        check(page, "statistics-en")
        page.goto("/de/beratung/einsaetze/statistik/")
        check(page, "statistics-de")
        page.goto(f"/de/beratung/fachkraefte/{expert.pk}/")
        check(page, "expert-detail-de")
        page.goto(f"/en/beratung/fachkraefte/{expert.pk}/bearbeiten/")
        check(page, "expert-edit-en")
    finally:
        context.close()
    assert problems == {}, problems
