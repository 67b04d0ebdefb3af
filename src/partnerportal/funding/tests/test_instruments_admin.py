"""Staff manage the instruments in the back office: the eligibility rules are checked against
the vocabulary, every save is in the audit trail, a stale form saves nothing; nobody deletes."""

import json

import pytest

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.funding.actions import FundingAction
from partnerportal.funding.models import FundingInstrument

from .apply_factories import instrument, programme

pytestmark = pytest.mark.django_db

BASE = "/admin/funding_instruments/"


def _form(**values) -> dict:
    data = {
        "programme": programme().pk,
        "name": "Verdolmetschung",
        "slug": "verdolmetschung",
        "description": "Dolmetschen für Videokonferenzen",
        "cost_kinds": json.dumps(["interpretation"]),
        "funding_rate_percent": "100",
        "own_contribution_percent": "0",
        "ceiling_eur": "3000",
        "call_mode": "rolling",
        "deadline": "",
        "required_documents": "[]",
        "eligibility_rules": json.dumps([{"rule": "partner_country", "countries": ["TN"]}]),
        "reference_prefix": "VD",
        "is_active": "on",
    }
    data.update(values)
    return data


def test_staff_create_an_instrument_with_checked_rules(client, site):
    staff = UserFactory(agency_staff=True)
    client.force_login(staff)
    refused = client.post(
        f"{BASE}new/", _form(eligibility_rules=json.dumps([{"rule": "moon_phase"}]))
    )
    assert refused.status_code == 200
    assert "moon_phase" in refused.content.decode()
    assert not FundingInstrument.objects.exists()
    response = client.post(f"{BASE}new/", _form())
    assert response.status_code == 302, response.content.decode()[:2000]
    created = FundingInstrument.objects.get(slug="verdolmetschung")
    assert created.eligibility_rules == [{"rule": "partner_country", "countries": ["TN"]}]
    record = created.history.latest()
    assert record.history_change_reason == FundingAction.INSTRUMENT_CREATED
    assert record.history_user == staff


def test_a_stale_edit_saves_nothing(client, site):
    inst = instrument(slug="verdolmetschung", name="Alt")
    client.force_login(UserFactory(agency_staff=True))
    seen = inst.version
    first = client.post(f"{BASE}edit/{inst.pk}/", _form(name="Neu", version=seen))
    assert first.status_code == 302
    second = client.post(f"{BASE}edit/{inst.pk}/", _form(name="Überholt", version=seen))
    assert second.status_code == 200
    inst.refresh_from_db()
    assert inst.name == "Neu"
    assert inst.history.latest().history_change_reason == FundingAction.INSTRUMENT_CHANGED


def test_nobody_deletes_and_editors_of_municipalities_do_not_manage(client, site):
    inst = instrument()
    client.force_login(UserFactory(agency_admin=True))
    assert client.post(f"{BASE}delete/{inst.pk}/").status_code in (302, 403)
    assert FundingInstrument.objects.filter(pk=inst.pk).exists()
    client.force_login(UserFactory(reviewer=True))
    assert client.get(f"{BASE}new/").status_code in (302, 403)
