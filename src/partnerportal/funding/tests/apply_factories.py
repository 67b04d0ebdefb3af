"""Instruments, applicants and drafts for the tests of the applicant's side."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from partnerportal.accounts.tests.factories import MunicipalityFactory, UserFactory
from partnerportal.funding.models import CostKind, FundingInstrument
from partnerportal.registry.models import Municipality, Programme
from partnerportal.registry.tests.factories import ForeignMunicipalityFactory, PartnershipFactory

FAR_FUTURE = dt.date(2099, 1, 1)


def programme(slug: str = "fachkraeftefonds") -> Programme:
    return Programme.objects.get_or_create(slug=slug, defaults={"name": f"Programm {slug}"})[0]


def instrument(**fields) -> FundingInstrument:
    values = {
        "programme": programme(),
        "slug": "expertenfonds",
        "name": "Expertenfonds",
        "description": "Fachkräfte in Partnerkommunen",
        "cost_kinds": list(CostKind.values),
        "funding_rate_percent": Decimal("90"),
        "own_contribution_percent": Decimal("10"),
        "ceiling_eur": Decimal("10000"),
        "reference_prefix": "EF",
        "required_documents": [
            {"key": "absicht", "label_de": "Absichtserklärung", "label_en": "Letter of intent"}
        ],
        "eligibility_rules": [
            {"rule": "applicant_kind", "kinds": ["gemeinde", "stadt", "kreisfreie_stadt"]},
            {"rule": "partnership", "statuses": ["aktiv"]},
            {"rule": "partner_oda"},
            {"rule": "amount_max"},
            {"rule": "start_not_past"},
            {"rule": "duration_max", "days": 60},
        ],
    }
    values.update(fields)
    return FundingInstrument.objects.create(**values)


def applicant_with_partnership(*, name: str = "Köln", iso2: str = "RW", status: str = "aktiv"):
    """A German city, its editor, and a published partnership with a place in `iso2`."""
    city = MunicipalityFactory(name=name, kind=Municipality.Kind.KREISFREIE_STADT)
    partner = ForeignMunicipalityFactory(name=f"Partner von {name}", iso2=iso2)
    partnership = PartnershipFactory(between=(city, partner), status=status, is_confirmed=True)
    editor = UserFactory(municipality=city)
    return city, partnership, editor
