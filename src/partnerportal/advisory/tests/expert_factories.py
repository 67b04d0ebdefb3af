"""Factories and helpers of the experts' and deployments' tests (advexperts)."""

from __future__ import annotations

import datetime as dt

import factory

from partnerportal.geo.services import country_ensure
from partnerportal.registry.models import PartnershipStatus, PartnershipStatusChange, Theme
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

from ..deployments import DeploymentInput, deployment_create
from ..models import ExpertKind, ExpertLanguage, ExpertProfile


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Fachkraft {n}")
    email = factory.Sequence(lambda n: f"fachkraft{n}@example.org")
    kind = ExpertKind.INTEGRATED_EXPERT
    cv = "Geheimer Lebenslauf"

    @factory.post_generation
    def fields(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.fields.set(Theme.objects.filter(code__in=extracted))

    @factory.post_generation
    def countries(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.countries.set([country_ensure(code) for code in extracted])

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):
        if create and extracted:
            for code, level in extracted:
                ExpertLanguage.objects.create(profile=obj, language=code, level=level)


def active_pair(*, status=PartnershipStatus.ACTIVE, since: dt.date | None = None, **values):
    """A German municipality, a partner abroad and their published partnership; with `since`, a
    status history entry from that day."""
    german = MunicipalityFactory(name=values.pop("german_name", "Köln"))
    partner = ForeignMunicipalityFactory(name=values.pop("partner_name", "Yarinacocha"), iso2="PE")
    partnership = PartnershipFactory(between=(german, partner), status=status, **values)
    if since is not None:
        PartnershipStatusChange.objects.create(
            partnership=partnership, status=status, valid_from=since
        )
    return german, partner, partnership


def deployment_make(actor, partner, **values):
    data = {
        "partner_municipality": partner,
        "kind": ExpertKind.INTEGRATED_EXPERT,
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2027, 12, 31),
        **values,
    }
    return deployment_create(actor=actor, data=DeploymentInput(**data))
