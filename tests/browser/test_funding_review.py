"""A submitted funding application walked through the agency's review in a real browser, on a
phone (390 px), by different people: an assessor (formal check and assessment), a decider who
approves it (and the decision letter as PDF), the applicant who asks for a payment, and two more
members of staff who release it. The assessor is never offered the approval, no page is wider
than the screen. Screenshots in German and English land in screenshots/."""

import pytest

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.funding.models import ApplicationState, PaymentRequest, PaymentState
from partnerportal.funding.tests.factories_review import SubmittedApplicationFactory

from .test_phones import PHONE, too_wide
from .test_site import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _button(action: str) -> str:
    return f"form:has(input[name=action][value={action}]) button[type=submit]"


def test_three_people_take_an_application_from_submission_to_a_released_payment(
    browser, live_server, browser_site, screenshot
):
    application = SubmittedApplicationFactory(title="Delegationsreise nach Kigali")
    assessor = UserFactory(reviewer=True, name="Anna Assessorin")
    decider = UserFactory(agency_staff=True, name="Dieter Entscheider")
    approver = UserFactory(agency_admin=True, name="Frieda Freigabe")
    applicant = application.created_by
    contexts = []
    wide: dict[str, str] = {}

    pages = {}

    def person(user):
        # One session per person: a second login would reuse the same TOTP code, which is
        # (rightly) refused within its period.
        if user.pk in pages:
            return pages[user.pk]
        context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport=PHONE)
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        log_in(page, user)
        pages[user.pk] = page
        return page

    def check(page, step: str, shot: str = "") -> None:
        if problem := too_wide(page):
            wide[step] = problem
        if shot:
            screenshot(page, shot)

    def act(page, action: str) -> None:
        with page.expect_navigation():
            page.click(_button(action))

    detail = f"/de/foerderung/pruefung/{application.pk}/"
    try:
        # The assessor: list, formal check, assessment
        page = person(assessor)
        page.goto("/de/foerderung/pruefung/")
        check(page, "list", "funding-review-list-de")
        with page.expect_navigation():
            page.click(f"a[href='{detail}']")
        act(page, "start_formal_check")
        page.fill("#note-pass_formal_check", "Alle Unterlagen vollständig.")
        act(page, "pass_formal_check")
        page.fill(
            "textarea[name=assessment]", "Die Reise stärkt die Partnerschaft; Kosten plausibel."
        )
        page.check("input[name=recommendation][value=approve]")
        with page.expect_navigation():
            page.click("form[action$='/bewertung/'] button[type=submit]")
        act(page, "submit_assessment")
        check(page, "detail after assessment", "funding-review-detail-de")
        assert page.locator(_button("approve")).count() == 0  # four eyes: not for the assessor
        application.refresh_from_db()
        assert application.state == ApplicationState.DECISION

        # The decider approves; the letter is a PDF
        page = person(decider)
        page.goto(detail)
        act(page, "approve")
        application.refresh_from_db()
        assert application.state == ApplicationState.APPROVED
        page.goto(f"/de/foerderung/antraege/{application.pk}/bescheid/")
        check(page, "decision", "funding-decision-de")
        letter = page.request.get(f"/de/foerderung/antraege/{application.pk}/bescheid/bescheid.pdf")
        assert letter.ok and letter.body().startswith(b"%PDF")
        page.goto("/en/foerderung/pruefung/uebersicht/")
        check(page, "dashboard en", "funding-dashboard-en")

        # The applicant asks for a payment
        page = person(applicant)
        page.goto(f"/de/foerderung/antraege/{application.pk}/auszahlung/")
        page.fill("input[name=amount]", "1000")
        with page.expect_navigation():
            page.click("form.pp-form button[type=submit]")
        check(page, "payments", "funding-payments-de")
        payment = PaymentRequest.objects.get(application=application)

        # Two other members of staff release it: the decider first, then a third person
        page = person(decider)
        page.goto("/de/foerderung/pruefung/auszahlungen/")
        act(page, "first_approve")
        assert page.locator(_button("release")).count() == 0  # not twice the same person
        page = person(approver)
        page.goto("/en/foerderung/pruefung/auszahlungen/")
        check(page, "payment list en", "funding-payment-list-en")
        act(page, "release")
        payment.refresh_from_db()
        assert payment.state == PaymentState.RELEASED
        assert len({assessor.pk, decider.pk, approver.pk, applicant.pk}) == 4
        assert payment.first_approved_by == decider and payment.released_by == approver
        page.goto(f"/en/foerderung/pruefung/{application.pk}/")
        check(page, "detail en", "funding-review-detail-en")
        assert wide == {}, wide
    finally:
        for context in contexts:
            context.close()
