"""The pages people work in: the editor's page for their municipality, the activity page right
after an edit, the edit form (grouped themes, error summary, a save that confirms) and the
import review queue's row as fields."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.registry.models import Partnership, Theme
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
    ReviewItemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def koeln():
    return MunicipalityFactory(name="Köln")


@pytest.fixture
def editor(koeln):
    return UserFactory(municipality=koeln)


def _edit_data(partnership: Partnership, **fields) -> dict:
    data = {
        "version": partnership.version,
        "type": partnership.type,
        "start_year": partnership.start_year or "",
        "description": partnership.description,
        "actors-TOTAL_FORMS": 0,
        "actors-INITIAL_FORMS": 0,
        "contacts-TOTAL_FORMS": 0,
        "contacts-INITIAL_FORMS": 0,
    }
    data.update(fields)
    return data


def test_the_work_page_lists_what_needs_doing(client, koeln, editor, django_assert_max_num_queries):
    stale = PartnershipFactory(
        between=(koeln, ForeignMunicipalityFactory(name="Altstadt")), stale=True
    )
    fresh = PartnershipFactory(
        between=(koeln, ForeignMunicipalityFactory(name="Neuland")),
        municipality_confirmed_at=timezone.now(),
    )
    PartnershipFactory(
        between=(koeln, ForeignMunicipalityFactory(name="Vorschlagsdorf")), proposed=True
    )
    PartnershipFactory(between=(MunicipalityFactory(), ForeignMunicipalityFactory(name="Fremd")))
    client.force_login(editor)
    assert client.get(reverse("registry:my_municipality")).url == reverse(
        "registry:municipality_work", kwargs={"pk": koeln.pk}
    )
    # Fixed however many partnerships there are (the trail lists at most RECENT_CHANGES); one
    # more for the editor's submitted practice examples (content's section, editor_tools), and
    # one for the municipality's latest funding applications (funding's section).
    with django_assert_max_num_queries(17):
        response = client.get(reverse("registry:municipality_work", kwargs={"pk": koeln.pk}))
    html = response.content.decode()
    confirm, proposals, changes, everything = (
        html.split('id="confirm-heading"')[1].split('id="proposals-heading"')[0],
        html.split('id="proposals-heading"')[1].split('id="changes-heading"')[0],
        html.split('id="changes-heading"')[1].split('id="partnerships-heading"')[0],
        html.split('id="partnerships-heading"')[1],
    )
    assert "Altstadt" in confirm and "Neuland" not in confirm
    assert reverse("registry:partnership_confirm_current", kwargs={"pk": stale.pk}) in confirm
    assert "Vorschlagsdorf" in proposals and "Vorschlagsdorf" not in everything
    assert "Altstadt" in everything and "Neuland" in everything
    assert "Fremd" not in html
    assert str(fresh) in changes  # their creation, from the trail


def test_header_and_account_lead_an_editor_to_the_work_page(client, editor):
    client.force_login(editor)
    html = client.get(reverse("accounts:overview")).content.decode()
    assert html.count(f'href="{reverse("registry:my_municipality")}"') == 2  # header and section
    client.force_login(UserFactory())
    html = client.get(reverse("accounts:overview")).content.decode()
    assert reverse("registry:my_municipality") not in html


def test_an_edit_shows_at_once_on_the_activity_page_and_the_work_page(client, koeln, editor):
    colleague = UserFactory(municipality=koeln)
    partnership = PartnershipFactory(between=(koeln, ForeignMunicipalityFactory()))
    feed = reverse("notifications:feed")
    client.force_login(editor)
    assert "Beschreibung" not in client.get(feed).content.decode()
    response = client.post(
        reverse("registry:partnership_edit", kwargs={"pk": partnership.pk}),
        _edit_data(partnership, description="Schulaustausch seit 1990"),
    )
    assert response.status_code == 302
    html = client.get(feed).content.decode()
    assert "Schulaustausch seit 1990" in html
    assert "von Ihnen" in html  # one's own change, which notify leaves out of the entries
    client.force_login(colleague)
    html = client.get(feed).content.decode()
    assert "Schulaustausch seit 1990" in html and editor.display_name in html
    work = reverse("registry:municipality_work", kwargs={"pk": koeln.pk})
    assert "Schulaustausch seit 1990" in client.get(work).content.decode()


def test_a_municipal_editors_save_confirms_the_entry_in_the_same_record(client, koeln, editor):
    partnership = PartnershipFactory(between=(koeln, ForeignMunicipalityFactory()), stale=True)
    records = partnership.history.count()
    client.force_login(editor)
    url = reverse("registry:partnership_edit", kwargs={"pk": partnership.pk})
    assert "Speichern bestätigt, dass die Angaben aktuell sind." in client.get(url).content.decode()
    client.post(url, _edit_data(partnership, description="Neu"))
    partnership.refresh_from_db()
    assert partnership.municipality_confirmed_by == editor
    assert timezone.now() - partnership.municipality_confirmed_at < timezone.timedelta(minutes=1)
    assert partnership.history.count() == records + 1


def test_a_staff_save_does_not_confirm(client, koeln):
    partnership = PartnershipFactory(between=(koeln, ForeignMunicipalityFactory()), stale=True)
    before = partnership.municipality_confirmed_at
    client.force_login(UserFactory(agency_staff=True))
    url = reverse("registry:partnership_edit", kwargs={"pk": partnership.pk})
    assert "Speichern bestätigt" not in client.get(url).content.decode()
    client.post(url, _edit_data(partnership, description="Neu"))
    partnership.refresh_from_db()
    assert partnership.description == "Neu"
    assert partnership.municipality_confirmed_at == before


def test_themes_come_in_two_groups_the_sdgs_numbered(client, koeln, editor):
    partnership = PartnershipFactory(between=(koeln, ForeignMunicipalityFactory()))
    client.force_login(editor)
    url = reverse("registry:partnership_edit", kwargs={"pk": partnership.pk})
    html = client.get(url).content.decode()
    sdgs, fields = html.split("Ziele für nachhaltige Entwicklung (SDG)</legend>")[1].split(
        "Kommunale Handlungsfelder</legend>"
    )
    fields = fields.split("</fieldset>")[0]
    assert "SDG 3 – Gesundheit und Wohlergehen" in sdgs
    assert re.search(r">\s*Gesundheit\s*<", fields) and "SDG" not in fields
    numbers = [int(n) for n in re.findall(r">SDG (\d+) –", sdgs)]
    assert numbers == list(range(1, 18))
    # The grouping is display only: a theme of either group is saved as before.
    health = Theme.objects.get(code="gesundheit")
    sdg3 = Theme.objects.get(kind=Theme.Kind.SDG, number=3)
    client.post(url, _edit_data(partnership, themes=[health.pk, sdg3.pk]))
    assert set(partnership.themes.all()) == {health, sdg3}


def test_a_refused_edit_opens_with_an_error_summary_linked_to_the_field(client, koeln, editor):
    partnership = PartnershipFactory(between=(koeln, ForeignMunicipalityFactory()))
    client.force_login(editor)
    url = reverse("registry:partnership_edit", kwargs={"pk": partnership.pk})
    response = client.post(url, _edit_data(partnership, start_year=9999))
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("pp-error-summary") == 1  # one for the form and its rows
    summary = html.split("pp-error-summary")[1].split("</div>\n</div>")[0]
    assert 'href="#id_start_year"' in summary and "Startjahr" in summary
    assert html.index("pp-error-summary") < html.index('name="start_year"')


def test_the_review_queue_shows_the_row_as_labelled_fields(client):
    item = ReviewItemFactory(
        raw={
            "city1": "Neustadt",
            "country1": "Germany",
            "lat1": "50.1",
            "lng1": "8.5",
            "city2": "Lamia",
            "country2": "Greece",
            "new_kind_field": "7",
        }
    )
    near = MunicipalityFactory(name="Neustadt", latitude=50.2, longitude=8.5)
    item.candidates = [{"id": near.pk}]
    item.save()
    client.force_login(UserFactory(agency_staff=True))
    html = client.get(reverse("registry:review_list")).content.decode()
    assert "city1=" not in html and "lat1" not in html
    assert "<dt>Ort</dt><dd>Neustadt</dd>" in html.replace("\n", "").replace("    ", "")
    assert "New kind field" in html  # a column nobody labelled keeps its name, readable
    html = client.get(reverse("registry:review_detail", kwargs={"pk": item.pk})).content.decode()
    assert "Seite 1 (dieser Eintrag)" in html and "Breitengrad" in html
    assert "11 km von der Position in der Zeile entfernt" in html
    assert 'id="review-map-points"' in html and "review-map.js" in html


def test_editors_see_what_changed_not_who_at_the_agency_nor_the_import_file(client, koeln, editor):
    """The work page and the activity page show editors the entry's content changes; staff act
    as "the agency" (never by their e-mail address) and the checked-by field stays in the
    staff's audit trail."""
    from partnerportal.registry.services.partnerships import partnership_check

    partnership = PartnershipFactory(between=(koeln, ForeignMunicipalityFactory(name="Altstadt")))
    staff = UserFactory(role="agency_editor", mfa=True, email="pruefer@agentur.invalid", name="")
    partnership_check(partnership=partnership, actor=staff, expected_version=partnership.version)
    client.force_login(editor)
    for url in (
        reverse("registry:municipality_work", kwargs={"pk": koeln.pk}),
        reverse("notifications:feed"),
    ):
        text = client.get(url).text
        assert "pruefer@agentur.invalid" not in text
        assert "Servicestelle" in text  # the agency acted
        assert "Geprüft von" not in text and "geprüft von" not in text
