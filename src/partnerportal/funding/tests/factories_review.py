"""Factories for the review side: submitted applications made with the ORM (the wizard and its
submission are the applicant side's), with a trait per workflow state reached through the real
services where a state needs people (assessor, decider).

    app = SubmittedApplicationFactory()                       # state submitted, two lines
    app = SubmittedApplicationFactory(lines=[("flight", "Flug", "800.00")])
    applicant_editor(app)                                     # an editor of the applicant
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.funding.models import (
    Application,
    ApplicationState,
    CostLine,
    CostPlan,
    FundingInstrument,
)
from partnerportal.registry.models import Programme
from partnerportal.registry.tests.factories import MunicipalityFactory

_references = itertools.count(1)

DEFAULT_LINES = (
    ("flight", "Flüge Köln–Kigali, 2 Personen", "1600.00"),
    ("accommodation", "Hotel, 4 Nächte", "640.00"),
)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"programm-{n}")
    name = factory.Sequence(lambda n: f"Förderprogramm {n}")


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingInstrument

    programme = factory.SubFactory(ProgrammeFactory)
    slug = factory.Sequence(lambda n: f"instrument-{n}")
    name = factory.Sequence(lambda n: f"Reisekosten {n}")
    ceiling_eur = Decimal("20000.00")


class SubmittedApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    instrument = factory.SubFactory(InstrumentFactory)
    applicant = factory.SubFactory(MunicipalityFactory)
    reference = factory.LazyFunction(lambda: f"F-2026-{next(_references):05d}")
    title = factory.Sequence(lambda n: f"Delegationsreise {n}")
    measure = "Besuch der Partnerstadt"
    state = ApplicationState.SUBMITTED
    starts_on = date(2026, 3, 2)
    ends_on = date(2026, 3, 6)
    submitted_at = factory.LazyFunction(timezone.now)
    created_by = factory.LazyAttribute(lambda o: UserFactory(municipality=o.applicant))

    @factory.post_generation
    def lines(obj, create, extracted, **kwargs):
        if not create:
            return
        for order, (kind, description, amount) in enumerate(extracted or DEFAULT_LINES):
            CostLine.objects.create(
                application=obj,
                plan=CostPlan.REQUESTED,
                kind=kind,
                description=description,
                amount=Decimal(amount),
                amount_eur=Decimal(amount),
                order=order,
            )


def applicant_editor(application: Application):
    """Another active editor of the applicant municipality."""
    return UserFactory(municipality=application.applicant)


def staff(**kwargs):
    """A reviewer with a second factor (agency staff)."""
    return UserFactory(reviewer=True, **kwargs)


def approved_application(*, assessor=None, decider=None, total_due=None, **kwargs) -> Application:
    """An application walked through the real review services up to approval."""
    from partnerportal.funding.review import assessment_save
    from partnerportal.funding.workflows import application_transition

    assessor = assessor or staff()
    decider = decider or staff()
    application = SubmittedApplicationFactory(**kwargs)
    application_transition(obj=application, action="start_formal_check", actor=assessor)
    application_transition(obj=application, action="pass_formal_check", actor=assessor)
    assessment_save(
        application=application, actor=assessor, assessment="Gut begründet.",
        recommendation="approve",
    )  # fmt: skip
    application_transition(obj=application, action="submit_assessment", actor=assessor)
    if total_due is not None:
        decision = application.decision
        decision.report_due_on = total_due
        decision.save()
    application_transition(obj=application, action="approve", actor=decider)
    application.refresh_from_db()
    return application
