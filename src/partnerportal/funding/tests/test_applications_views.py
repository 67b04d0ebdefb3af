"""The wizard through its pages: every step saves a draft, the check shows each problem at its
step, submission leads to the application with its PDF; forged ids and other people's
applications change nothing."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from partnerportal.accounts.tests.factories import MunicipalityFactory, UserFactory
from partnerportal.funding.models import Application, ApplicationState, CostLine

from .apply_factories import applicant_with_partnership, instrument
from .conftest import HEADER, table_import

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


#: Rwanda's rates for the next years too: the trips lie some weeks ahead of today.
LATER_RATES = HEADER + "".join(
    f"{year}-01-01,{year}-12-31,RW,,44,29,117\n" for year in range(2027, 2031)
)


@pytest.fixture
def world(db, site, rates):
    table_import(LATER_RATES)
    inst = instrument()
    city, partnership, editor = applicant_with_partnership()
    return {"instrument": inst, "city": city, "partnership": partnership, "editor": editor}


def _start(client, world) -> Application:
    client.force_login(world["editor"])
    response = client.post(
        reverse("funding:application_start", args=[world["instrument"].slug]),
        {"applicant": world["city"].pk, "partnership": world["partnership"].pk},
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "funding:application_step", kwargs={"pk": application.pk, "step": "massnahme"}
    )
    return application


def _url(application, step):
    return reverse("funding:application_step", kwargs={"pk": application.pk, "step": step})


def test_the_whole_wizard_to_submission(client, world):
    application = _start(client, world)
    start = timezone.localdate() + dt.timedelta(days=40)
    response = client.post(
        _url(application, "massnahme"),
        {
            "title": "Wasser für Kigali",
            "goals": "Planung",
            "measure": "Austausch",
            "version": application.version,
        },
    )
    assert response["Location"] == _url(application, "zeitplan")
    application.refresh_from_db()
    assert application.title == "Wasser für Kigali" and application.step == "measure"
    client.post(
        _url(application, "zeitplan"),
        {
            "starts_on": start.isoformat(),
            "ends_on": (start + dt.timedelta(days=9)).isoformat(),
            "version": application.version,
        },
    )
    application.refresh_from_db()
    costs = reverse("funding:application_costs", kwargs={"pk": application.pk})
    response = client.post(
        costs,
        {
            "form": "line",
            "line-kind": "flight",
            "line-description": "Flug",
            "line-amount": "1.234,50",
            "line-currency": "EUR",
            "line-version": application.version,
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    trip_start = dt.datetime.combine(start, dt.time(7, 0))
    response = client.post(
        costs,
        {
            "form": "per_diem",
            "trip-country": "RW",
            "trip-city": "",
            "trip-start": trip_start.strftime("%Y-%m-%dT%H:%M"),
            "trip-end": (trip_start + dt.timedelta(days=2, hours=12)).strftime("%Y-%m-%dT%H:%M"),
            "trip-breakfasts": "0",
            "trip-lunches": "0",
            "trip-dinners": "0",
            "trip-travellers": "1",
            "trip-version": application.version,
        },
    )
    assert response.status_code == 302, re.findall(
        r'kern-error"[^>]*>([^<]*)', response.content.decode()
    )
    assert CostLine.objects.filter(application=application, kind="per_diem").count() == 1
    page = client.get(costs).content.decode()
    assert "1.234,50" in page
    application.refresh_from_db()
    check = reverse("funding:application_check", kwargs={"pk": application.pk})
    page = client.get(check).content.decode()
    assert "#doc-absicht" in page  # the missing document, linked to its place
    documents = reverse("funding:application_documents", kwargs={"pk": application.pk})
    response = client.post(
        documents,
        {
            "key": "absicht",
            "doc-absicht-key": "absicht",
            "doc-absicht-version": application.version,
            "doc-absicht-file": SimpleUploadedFile(
                "absicht.pdf", PDF, content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    response = client.post(check, {"version": application.version})
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED, client.get(check).content.decode()[
        :4000
    ]
    assert response["Location"] == reverse("funding:application_detail", args=[application.pk])
    detail = client.get(response["Location"]).content.decode()
    assert application.reference in detail
    pdf = client.get(reverse("funding:application_pdf", args=[application.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # A submitted application is no longer edited by anyone.
    assert client.get(_url(application, "massnahme")).status_code == 403
    listing = client.get(reverse("funding:application_list")).content.decode()
    assert "Wasser für Kigali" in listing and "Eingereicht" in listing


def test_a_step_opened_from_the_check_shows_its_problems_at_the_fields(client, world):
    application = _start(client, world)
    page = client.get(_url(application, "massnahme") + "?pruefen=1").content.decode()
    assert 'id="id_title_error"' in page and 'id="id_goals_error"' in page


def test_a_stale_form_saves_nothing_and_keeps_the_input(client, world):
    application = _start(client, world)
    seen = application.version
    client.post(
        _url(application, "massnahme"),
        {"title": "Erste", "goals": "", "measure": "", "version": seen},
    )
    response = client.post(
        _url(application, "massnahme"),
        {"title": "Zweite", "goals": "", "measure": "", "version": seen},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Zweite"' in page  # the input is kept
    assert "Jemand anderes hat diesen Antrag inzwischen gespeichert" in page
    application.refresh_from_db()
    assert application.title == "Erste"


def test_forged_ids_change_nothing(client, world):
    _other_city, foreign_partnership, other_editor = applicant_with_partnership(name="Bonn")
    client.force_login(world["editor"])
    response = client.post(
        reverse("funding:application_start", args=[world["instrument"].slug]),
        {"applicant": world["city"].pk, "partnership": foreign_partnership.pk},
    )
    assert response.status_code == 200 and not Application.objects.exists()
    response = client.post(
        reverse("funding:application_start", args=[world["instrument"].slug]),
        {"applicant": _other_city.pk, "partnership": ""},
    )
    assert response.status_code == 200 and not Application.objects.exists()
    application = _start(client, world)
    response = client.post(
        _url(application, "partnerschaft"),
        {"partnership": foreign_partnership.pk, "version": application.version},
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.partnership == world["partnership"]
    # Someone else's application: 404, nothing changes.
    client.force_login(other_editor)
    for url in (
        _url(application, "massnahme"),
        reverse("funding:application_detail", args=[application.pk]),
        reverse("funding:application_pdf", args=[application.pk]),
        reverse("funding:application_costs", args=[application.pk]),
    ):
        assert client.get(url).status_code == 404
    response = client.post(
        _url(application, "massnahme"),
        {"title": "Übernommen", "goals": "", "measure": "", "version": application.version},
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.title == ""


def test_a_line_of_another_application_is_not_found(client, world):
    application = _start(client, world)
    other = Application.objects.create(
        instrument=world["instrument"], applicant=MunicipalityFactory(), state="draft"
    )
    line = CostLine.objects.create(
        application=other, kind="other", description="fremd", amount=1, amount_eur=1
    )
    url = reverse(
        "funding:application_cost_line_delete", kwargs={"pk": application.pk, "line": line.pk}
    )
    assert client.post(url, {"version": application.version}).status_code == 404
    assert CostLine.objects.filter(pk=line.pk).exists()


def test_staff_see_submitted_applications_not_drafts(client, world):
    application = _start(client, world)
    staff = UserFactory(agency_staff=True)
    client.force_login(staff)
    assert (
        client.get(reverse("funding:application_detail", args=[application.pk])).status_code == 404
    )
    Application.objects.filter(pk=application.pk).update(
        state="submitted", reference="EF-2026-0099"
    )
    assert (
        client.get(reverse("funding:application_detail", args=[application.pk])).status_code == 200
    )
    assert client.get(reverse("funding:application_pdf", args=[application.pk])).status_code == 200
    assert client.get(_url(application, "massnahme")).status_code == 403


def test_only_editors_start_applications(client, world):
    url = reverse("funding:application_start", args=[world["instrument"].slug])
    assert client.get(url).status_code == 302  # to the login
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(world["editor"])
    page = client.get(url + f"?partnership={world['partnership'].pk}").content.decode()
    assert f'value="{world["partnership"].pk}" selected' in page
