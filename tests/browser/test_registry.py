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


def test_editor_of_another_municipality_is_refused(page, pfinztal_kidira):
    _pfinztal, _kidira, partnership = pfinztal_kidira
    log_in(page, UserFactory(municipality=MunicipalityFactory(name="Anderswo")))
    response = page.goto(f"/de/register/partnerschaften/{partnership.pk}/bearbeiten/")
    assert response.status == 403
    assert page.locator("textarea[name=description]").count() == 0
    partnership.refresh_from_db()
    assert partnership.description == "Schulpartnerschaft seit 1990"
