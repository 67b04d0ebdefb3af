"""The registry as an editor uses it: find the municipality, open it and one of its
partnerships, edit it and see the change; the editor of another municipality is refused."""

import pytest

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

from .test_site import log_in, path_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pfinztal_kidira():
    pfinztal = MunicipalityFactory(name="Pfinztal")
    kidira = ForeignMunicipalityFactory(name="Kidira", iso2="SN")
    partnership = PartnershipFactory(
        between=(pfinztal, kidira), description="Schulpartnerschaft seit 1990"
    )
    return pfinztal, kidira, partnership


def test_editor_finds_opens_and_edits_a_partnership(page, pfinztal_kidira):
    pfinztal, _kidira, partnership = pfinztal_kidira
    log_in(page, UserFactory(municipality=pfinztal))

    page.goto("/de/register/kommunen/?q=Pfinz")
    page.locator(f"a[href='/de/register/kommunen/{pfinztal.pk}/']").first.click()
    page.wait_for_url(f"**/de/register/kommunen/{pfinztal.pk}/")
    page.locator(f"a[href='/de/register/partnerschaften/{partnership.pk}/']").first.click()
    page.wait_for_url(f"**/de/register/partnerschaften/{partnership.pk}/")
    assert "Schulpartnerschaft seit 1990" in page.content()

    edit_url = f"/de/register/partnerschaften/{partnership.pk}/bearbeiten/"
    edit_link = page.locator(f"a[href='{edit_url}']")
    if edit_link.count():  # once the public page includes the editing actions
        edit_link.first.click()
        page.wait_for_url(f"**{edit_url}")
    else:
        page.goto(edit_url)
    page.fill("textarea[name=description]", "Klimapartnerschaft mit Kidira, erneuert 2024")
    with page.expect_navigation():
        page.locator("main form.pp-form button[type=submit]").click()
    assert path_of(page) == f"/de/register/partnerschaften/{partnership.pk}/"
    assert "Klimapartnerschaft mit Kidira, erneuert 2024" in page.content()
    partnership.refresh_from_db()
    assert partnership.description == "Klimapartnerschaft mit Kidira, erneuert 2024"
    # The editor's save is the municipality's confirmation that the entry is current.
    assert partnership.municipality_confirmed_at is not None
    assert page.locator(".pp-badges .kern-badge--success").count() == 1


def test_editor_of_another_municipality_is_refused(page, pfinztal_kidira):
    _pfinztal, _kidira, partnership = pfinztal_kidira
    log_in(page, UserFactory(municipality=MunicipalityFactory(name="Anderswo")))
    response = page.goto(f"/de/register/partnerschaften/{partnership.pk}/bearbeiten/")
    assert response.status == 403
    assert page.locator("textarea[name=description]").count() == 0
    partnership.refresh_from_db()
    assert partnership.description == "Schulpartnerschaft seit 1990"


def test_stale_list_and_confirmation_badges_have_no_serious_barriers(
    page, axe, screenshot, pfinztal_kidira
):
    """Staff narrow the stale list, start a reminder round and see its progress; the
    partnership page tells the municipality's confirmation from the agency's check."""
    from .test_site import make_user

    pfinztal, _kidira, partnership = pfinztal_kidira
    pfinztal.ags = "08215111"
    pfinztal.state = "Baden-Württemberg"
    pfinztal.save()
    log_in(page, make_user("agency_admin"))
    page.goto("/de/register/veraltet/")
    page.select_option("select[name=state]", "Baden-Württemberg")
    with page.expect_navigation():
        page.locator("form.pp-filters button[type=submit]").click()
    assert page.locator("#summary-heading").inner_text() == "Baden-Württemberg"
    page.fill("input[name=per_municipality]", "5")
    with page.expect_navigation():
        page.locator("form[aria-labelledby=start-round-heading] button[type=submit]").click()
    assert "0 von 1 gefragt" in page.content()
    screenshot(page, "stale-list")
    assert axe(page) == []
    page.goto("/en/register/veraltet/")
    assert "0 of 1 asked" in page.content()
    screenshot(page, "stale-list-en")
    assert axe(page) == []
    page.goto(f"/en/register/partnerschaften/{partnership.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Mark as checked by the agency").click()
    assert page.locator(".pp-badges .kern-badge--info").count() == 1
    assert page.locator(".pp-badges .kern-badge--warning").count() == 1  # not the municipality
    screenshot(page, "partnership-badges-en")
    assert axe(page) == []
