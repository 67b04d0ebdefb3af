"""Evaluations of ended deployments and closed cases, and the reports with their reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.notifications.models import Activity
from partnerportal.registry.models import Programme

from ..deployment_reports import report_submit, reports_missing, reports_remind, reports_schedule
from ..evaluations import case_evaluate, deployment_evaluate, evaluations_grouped
from ..models import Case, CaseState, DeploymentState, Evaluation
from .expert_factories import ExpertProfileFactory, active_pair, deployment_make

pytestmark = pytest.mark.django_db

ANSWERS = {"goals_reached": 4, "what_helped": "Offenheit", "what_should_change": "Mehr Zeit"}


@pytest.fixture
def world():
    staff = UserFactory(agency_staff=True)
    german, partner, partnership = active_pair()
    expert_user = UserFactory(expert=True)
    programme = Programme.objects.create(slug="fkf", name="Fachkräftefonds")
    deployment = deployment_make(
        staff,
        partner,
        expert=ExpertProfileFactory(user=expert_user, fields=["gesundheit"]),
        programme=programme,
        goals="Gesundheit verbessert\nWissen einbezogen",
    )
    deployment.fields.set(deployment.expert.fields.all())
    return {
        "staff": staff,
        "german": german,
        "partner": partner,
        "partnership": partnership,
        "expert": expert_user,
        "deployment": deployment,
        "german_editor": UserFactory(municipality=german),
        "partner_editor": UserFactory(municipality=partner),
    }


def test_each_side_evaluates_an_ended_deployment_once(world):
    deployment = world["deployment"]
    with pytest.raises(ValidationError):
        deployment_evaluate(actor=world["expert"], deployment=deployment, **ANSWERS)
    deployment.state = DeploymentState.ENDED
    deployment.save()
    for key, side in (
        ("expert", "expert"),
        ("german_editor", "german"),
        ("partner_editor", "partner"),
    ):
        evaluation = deployment_evaluate(actor=world[key], deployment=deployment, **ANSWERS)
        assert evaluation.side == side
    with pytest.raises(ValidationError):
        deployment_evaluate(actor=world["german_editor"], deployment=deployment, **ANSWERS)
    for outsider in (world["staff"], UserFactory(expert=True), UserFactory()):
        with pytest.raises(PermissionDenied):
            deployment_evaluate(actor=outsider, deployment=deployment, **ANSWERS)
    groups = evaluations_grouped(world["staff"])
    [by_programme] = groups["programme"]
    assert by_programme.label == "Fachkräftefonds" and by_programme.count == 3
    assert by_programme.average == 4
    assert [g.count for g in groups["field"]] == [3]
    with pytest.raises(PermissionDenied):
        evaluations_grouped(world["german_editor"])


def test_a_closed_case_is_evaluated_by_both_sides(world):
    case = Case.objects.create(
        requester_name="Erika",
        requester_email="e@example.org",
        need="Beratung",
        partnership=world["partnership"],
        state=CaseState.ADVISING,
    )
    with pytest.raises(ValidationError):
        case_evaluate(actor=world["german_editor"], case=case, **ANSWERS)
    case.state = CaseState.CLOSED
    case.save()
    assert case_evaluate(actor=world["german_editor"], case=case, **ANSWERS).side == "german"
    assert case_evaluate(actor=world["partner_editor"], case=case, **ANSWERS).side == "partner"
    with pytest.raises(PermissionDenied):
        case_evaluate(actor=world["expert"], case=case, **ANSWERS)
    assert Evaluation.objects.filter(case=case).count() == 2


def test_reports_are_handed_in_with_results_and_documents(world):
    deployment = world["deployment"]
    [first, *_rest] = reports_schedule(deployment)
    pdf = SimpleUploadedFile(
        "bericht.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    with pytest.raises(PermissionDenied):
        report_submit(actor=world["german_editor"], report=first, text="x", results=[])
    report_submit(
        actor=world["expert"],
        report=first,
        text="Gut voran",
        results=["Ja", "Teils"],
        documents=[pdf],
    )
    first.refresh_from_db()
    assert first.results == [
        {"goal": "Gesundheit verbessert", "result": "Ja"},
        {"goal": "Wissen einbezogen", "result": "Teils"},
    ]
    assert first.documents.get().content_type == "application/pdf"
    bad = SimpleUploadedFile("bericht.pdf", b"MZ not a pdf")
    with pytest.raises(ValidationError):
        report_submit(actor=world["expert"], report=_rest[0], text="x", results=[], documents=[bad])


def test_reminders_go_before_the_due_date_once_a_week_and_staff_see_missing(world):
    deployment = world["deployment"]
    deployment.state = DeploymentState.DEPLOYED
    deployment.save()
    reports = reports_schedule(deployment)
    first = reports[0]  # due 2026-07-01
    now = timezone.make_aware(dt.datetime(2026, 6, 20, 8))
    assert reports_remind(now=timezone.make_aware(dt.datetime(2026, 5, 1, 8))) == 0
    assert reports_remind(now=now) == 1
    assert reports_remind(now=now + dt.timedelta(days=3)) == 0
    assert reports_remind(now=now + dt.timedelta(days=8)) == 1
    assert (
        Activity.objects.filter(
            recipient=world["expert"], event="advisory.deployment_report_due"
        ).count()
        == 2
    )
    assert list(reports_missing(today=dt.date(2026, 7, 2))) == [first]
    assert list(reports_missing(today=dt.date(2026, 6, 30))) == []
