"""A partnership world for the cases' tests: a German municipality and its partner abroad with
an editor each, a third municipality's editor, staff and a reviewer."""

from dataclasses import dataclass

import pytest

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

from .case_factories import CaseFactory, CaseNoteFactory


@dataclass
class CaseWorld:
    german: object
    partner: object
    third: object
    partnership: object
    german_editor: object
    partner_editor: object
    third_editor: object
    advisor: object
    other_staff: object
    reviewer: object
    requester: object
    case: object
    note: object


@pytest.fixture
def case_world(db, site) -> CaseWorld:
    german = MunicipalityFactory(name="Beispielstadt")
    partner = ForeignMunicipalityFactory(name="Sousse", iso2="TN")
    third = MunicipalityFactory(name="Drittstadt")
    partnership = PartnershipFactory(between=(german, partner), active=True)
    advisor = UserFactory(agency_staff=True, name="Berater In")
    requester = UserFactory(name="Anfragende")
    case = CaseFactory(
        municipality=german,
        partnership=partnership,
        advisor=advisor,
        requester_user=requester,
        requester_email=requester.email,
        country_id="TN",
        public_summary="Beratung zu einem Aktionsplan Abfallwirtschaft.",
    )
    return CaseWorld(
        german=german,
        partner=partner,
        third=third,
        partnership=partnership,
        german_editor=UserFactory(municipality=german),
        partner_editor=UserFactory(municipality=partner),
        third_editor=UserFactory(municipality=third),
        advisor=advisor,
        other_staff=UserFactory(agency_staff=True),
        reviewer=UserFactory(reviewer=True),
        requester=requester,
        case=case,
        note=CaseNoteFactory(case=case, author=advisor),
    )
