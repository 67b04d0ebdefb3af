"""A calculated per-diem line is changed in place in the wizard: the trip's form, calculated
anew by per_diem_calculate, its place in the plan kept, refused when the draft moved on."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partnerportal.core.concurrency import EditConflict
from partnerportal.funding import applications as services
from partnerportal.funding.models import CostLine

from .apply_factories import applicant_with_partnership, instrument


@pytest.fixture
def world(db, rates):
    inst = instrument()
    city, partnership, editor = applicant_with_partnership()
    application = services.application_create(
        actor=editor, instrument=inst, applicant=city, partnership_id=partnership.pk
    )
    line = services.per_diem_line_add(
        actor=editor, application=application, expected_version=application.version,
        country="RW", city="Kigali", start=dt.datetime(2026, 3, 2, 7, 0),
        end=dt.datetime(2026, 3, 5, 22, 0), breakfasts=3, travellers=2,
    )  # fmt: skip
    application.refresh_from_db()
    return {"application": application, "editor": editor, "line": line}


def test_update_recalculates_in_place(world):
    application, line = world["application"], world["line"]
    assert line.amount_eur == Decimal("239.20")
    changed = services.per_diem_line_update(
        actor=world["editor"], application=application, line_id=line.pk,
        expected_version=application.version, country="RW", city="",
        start=dt.datetime(2026, 3, 2, 7, 0), end=dt.datetime(2026, 3, 5, 22, 0),
        breakfasts=0, travellers=2,
    )  # fmt: skip
    # Rwanda 2026: 29 + 44 + 44 + 29 = 146 a person, no meals deducted; two travellers.
    assert changed.pk == line.pk and changed.amount_eur == Decimal("292.00")
    assert changed.calculation["breakfasts"] == 0 and changed.calculation["per_person"] == "146.00"
    assert CostLine.objects.filter(application=application).count() == 1
    assert changed.order == line.order


def test_update_refuses_an_old_version_and_bad_dates(world):
    application, line = world["application"], world["line"]
    with pytest.raises(EditConflict):
        services.per_diem_line_update(
            actor=world["editor"], application=application, line_id=line.pk,
            expected_version=application.version - 1, country="RW", city="",
            start=dt.datetime(2026, 3, 2, 7, 0), end=dt.datetime(2026, 3, 3, 22, 0),
        )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.per_diem_line_update(
            actor=world["editor"], application=application, line_id=line.pk,
            expected_version=application.version, country="RW", city="",
            start=dt.datetime(2030, 3, 2, 7, 0), end=dt.datetime(2030, 3, 3, 22, 0),
        )  # fmt: skip
    assert "start" in refused.value.error_dict
    line.refresh_from_db()
    assert line.amount_eur == Decimal("239.20")


def test_the_page_edits_the_trip_without_javascript(client, world):
    application, line = world["application"], world["line"]
    client.force_login(world["editor"])
    url = reverse("funding:application_cost_line", kwargs={"pk": application.pk, "line": line.pk})
    costs = client.get(reverse("funding:application_costs", kwargs={"pk": application.pk}))
    assert url in costs.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="start"' in html and 'value="2026-03-02T07:00"' in html
    data = {
        "country": "RW", "city": "Kigali", "start": "2026-03-02T07:00",
        "end": "2026-03-04T22:00", "breakfasts": "0", "lunches": "0", "dinners": "0",
        "travellers": "1", "description": "", "version": application.version,
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    line.refresh_from_db()
    assert line.amount_eur == Decimal("102.00")  # 29 + 44 + 29
    # the same form again, with the version it was read at: refused, nothing changes
    again = client.post(url, {**data, "travellers": "3"})
    assert again.status_code == 200
    line.refresh_from_db()
    assert line.amount_eur == Decimal("102.00")
