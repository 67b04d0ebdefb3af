"""The staff dashboard and list: one selector per figure for page and export, filters and
paging on the list, a fixed number of queries whatever the number of applications."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from partnerportal.funding.dashboards import (
    ApplicationFilters,
    application_list,
    applications_by_programme,
    applications_by_state,
    money_by_programme_year,
)
from partnerportal.funding.models import ApplicationState
from partnerportal.funding.payments import payment_request_create, payment_transition

from .factories_review import (
    InstrumentFactory,
    SubmittedApplicationFactory,
    applicant_editor,
    approved_application,
    staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    deadline_instrument = InstrumentFactory(deadline=date(2026, 3, 31))
    approved = approved_application()
    payment = payment_request_create(
        application=approved, actor=applicant_editor(approved), amount="1000"
    )
    payment_transition(obj=payment, action="first_approve", actor=staff())
    payment_transition(obj=payment, action="release", actor=staff())
    for _ in range(3):
        SubmittedApplicationFactory(instrument=deadline_instrument)
    SubmittedApplicationFactory(state=ApplicationState.DRAFT)
    return {"approved": approved, "deadline_instrument": deadline_instrument}


def test_figures(data):
    states = dict(applications_by_state().rows)
    assert states[str(ApplicationState.SUBMITTED.label)] == 3
    assert states[str(ApplicationState.APPROVED.label)] == 1
    assert str(ApplicationState.DRAFT.label) not in states
    programmes = {row[0]: row[1:] for row in applications_by_programme().rows}
    assert programmes[data["deadline_instrument"].programme.name] == [3, 3]
    money = money_by_programme_year().rows
    assert len(money) == 1
    _programme, _year, approved, paid, reported = money[0]
    assert str(approved) == "2240.00" and str(paid) == "1000.00" and reported == 0


def test_list_filters(data):
    assert application_list(ApplicationFilters()).count() == 4
    assert application_list(ApplicationFilters(state="approved")).count() == 1
    assert application_list(ApplicationFilters(deadline="2026-03-31")).count() == 3
    assert application_list(ApplicationFilters(deadline="rolling")).count() == 1
    assert (
        application_list(ApplicationFilters(instrument=data["deadline_instrument"].pk)).count() == 3
    )
    assert application_list(ApplicationFilters(deadline="nonsense")).count() == 0


def test_pages_and_exports(client, data):
    client.force_login(staff())
    page = client.get(reverse("funding:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<svg") >= 4 and "2.240,00" in html
    csv = client.get(reverse("funding:dashboard_export", kwargs={"figure": "money", "fmt": "csv"}))
    assert csv.status_code == 200 and "2240.00" in csv.content.decode()
    xlsx = client.get(
        reverse("funding:dashboard_export", kwargs={"figure": "state", "fmt": "xlsx"})
    )
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert (str(ApplicationState.SUBMITTED.label), 3) in rows
    assert client.get("/de/foerderung/pruefung/uebersicht/nope.csv").status_code == 404
    listing = client.get(reverse("funding:review_list"), {"deadline": "2026-03-31"})
    assert listing.status_code == 200
    assert listing.content.decode().count('href="/de/foerderung/pruefung/') >= 3


def test_query_counts_do_not_grow(client, data):
    client.force_login(staff())
    client.get(reverse("funding:review_list"))  # the site's caches warm
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("funding:review_list"))
        client.get(reverse("funding:dashboard"))
    for _ in range(20):
        SubmittedApplicationFactory(instrument=data["deadline_instrument"])
    client.get(reverse("funding:review_list"))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("funding:review_list"))
        client.get(reverse("funding:dashboard"))
    assert len(many) == len(few), (
        "\n".join(q["sql"][:200] for q in many.captured_queries[len(few) - 5 :])
        + "\n-----\n"
        + "\n".join(q["sql"][:200] for q in few.captured_queries)
    )
    assert len(few) <= 30


def test_not_for_applicants(client, data):
    client.force_login(applicant_editor(data["approved"]))
    assert client.get(reverse("funding:dashboard")).status_code == 403
    assert client.get(reverse("funding:review_list")).status_code == 403


def test_dashboard_is_cached_until_a_counted_record_changes(client, data):
    """The drawn figures are kept under a fingerprint of the counted records: a second visit
    reads no figure, and any write (here a new application, then a withdrawal) shows at once."""
    from partnerportal.funding.dashboards import figures_version
    from partnerportal.funding.workflows import application_transition

    def figures(response) -> str:
        html = response.content.decode()
        start = html.index('<div class="pp-funding-charts">')
        return html[start : html.index("</section></div>", start)]

    client.force_login(staff())
    url = reverse("funding:dashboard")
    before = figures_version()
    with CaptureQueriesContext(connection) as first:
        page = figures(client.get(url))
    with CaptureQueriesContext(connection) as second:
        assert figures(client.get(url)) == page
    assert len(second) < len(first)
    extra = SubmittedApplicationFactory(instrument=data["deadline_instrument"])
    assert figures_version() != before
    states = dict(applications_by_state().rows)
    assert states[str(ApplicationState.SUBMITTED.label)] == 4
    assert figures(client.get(url)) != page
    moved = figures_version()
    application_transition(obj=extra, action="withdraw", actor=applicant_editor(extra))
    assert figures_version() != moved
