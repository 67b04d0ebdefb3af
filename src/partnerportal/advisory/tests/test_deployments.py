"""THE rule of the expert fund and the deployment workflow, through the service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.registry.models import PartnershipStatus, PartnershipStatusChange
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

from ..deployment_workflow import available_actions, deployment_transition
from ..deployments import DeploymentRuleError, partnerships_qualifying
from ..models import DeploymentReport, DeploymentState
from .expert_factories import ExpertProfileFactory, active_pair, deployment_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(agency_staff=True)


def test_an_active_partnership_allows_the_deployment(staff):
    german, partner, partnership = active_pair(since=dt.date(2017, 10, 1))
    deployment = deployment_make(staff, partner)
    assert deployment.partnership == partnership
    assert deployment.german_municipality == german
    assert deployment.state == DeploymentState.PLANNED
    assert deployment.history.latest().history_change_reason == "advisory.deployment_created"


def test_with_an_expert_the_deployment_starts_filled(staff):
    _german, partner, _p = active_pair()
    deployment = deployment_make(staff, partner, expert=ExpertProfileFactory())
    assert deployment.state == DeploymentState.FILLED


def test_no_partnership_refused_naming_the_rule(staff):
    partner = ForeignMunicipalityFactory(name="Nirgendwo", iso2="PE")
    with translation.override("en"), pytest.raises(DeploymentRuleError) as refused:
        deployment_make(staff, partner)
    assert refused.value.code == "no_active_partnership"
    assert refused.value.field == "starts_on"
    assert "active, published partnership with a German municipality" in refused.value.messages[0]
    assert "Nirgendwo" in refused.value.messages[0]


def test_refusal_speaks_german(staff):
    partner = ForeignMunicipalityFactory(name="Nirgendwo", iso2="PE")
    with translation.override("de"), pytest.raises(DeploymentRuleError) as refused:
        deployment_make(staff, partner)
    assert refused.value.messages[0].startswith(
        "Der Fachkräftefonds vermittelt Fachkräfte nur in Partnerkommunen, die zum Beginn des "
        "Einsatzes eine aktive, veröffentlichte Partnerschaft mit einer deutschen Kommune haben."
    )
    assert "Nirgendwo hat am 1. Januar 2026 keine solche Partnerschaft" in refused.value.messages[0]


@pytest.mark.parametrize(
    "status", [PartnershipStatus.ENDED, PartnershipStatus.DORMANT, PartnershipStatus.INITIATION]
)
def test_a_partnership_that_is_not_active_is_refused(staff, status):
    _german, partner, _p = active_pair(status=status)
    with pytest.raises(DeploymentRuleError) as refused:
        deployment_make(staff, partner)
    assert refused.value.code == "no_active_partnership"


def test_a_reactivated_partnership_counts(staff):
    _german, partner, _p = active_pair(status=PartnershipStatus.REACTIVATED)
    assert deployment_make(staff, partner).pk


def test_an_unpublished_partnership_is_refused(staff):
    _german, partner, _p = active_pair(is_confirmed=False)
    with pytest.raises(DeploymentRuleError):
        deployment_make(staff, partner)


def test_a_partnership_between_two_foreign_places_does_not_count(staff):
    partner = ForeignMunicipalityFactory(name="Lima", iso2="PE")
    other = ForeignMunicipalityFactory(name="Cusco", iso2="PE")
    PartnershipFactory(between=(partner, other))
    with pytest.raises(DeploymentRuleError):
        deployment_make(staff, partner)


def test_the_status_at_the_start_date_decides(staff):
    """Active from 2020, ended in 2024: a deployment from 2023 passes, one from 2025 does not."""
    _german, partner, partnership = active_pair(
        status=PartnershipStatus.ENDED, since=dt.date(2020, 1, 1)
    )
    partnership.status_changes.update(status=PartnershipStatus.ACTIVE)
    PartnershipStatusChange.objects.create(
        partnership=partnership, status=PartnershipStatus.ENDED, valid_from=dt.date(2024, 6, 1)
    )
    assert partnerships_qualifying(partner, dt.date(2023, 1, 1)) == [partnership]
    assert partnerships_qualifying(partner, dt.date(2025, 1, 1)) == []
    deployment_make(staff, partner, starts_on=dt.date(2023, 1, 1), ends_on=dt.date(2024, 1, 1))
    with pytest.raises(DeploymentRuleError):
        deployment_make(staff, partner, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2026, 1, 1))


def test_a_partnership_that_begins_after_the_start_is_refused(staff):
    _german, partner, _p = active_pair(since=dt.date(2026, 6, 1))
    with pytest.raises(DeploymentRuleError):
        deployment_make(staff, partner, starts_on=dt.date(2026, 1, 1))
    assert deployment_make(staff, partner, starts_on=dt.date(2026, 7, 1)).pk


def test_the_start_year_without_history_decides(staff):
    _german, partner, _p = active_pair(start_year=2027)
    with pytest.raises(DeploymentRuleError):
        deployment_make(staff, partner, starts_on=dt.date(2026, 1, 1))


def test_a_german_partner_municipality_is_refused(staff):
    german = MunicipalityFactory()
    with pytest.raises(DeploymentRuleError) as refused:
        deployment_make(staff, german)
    assert refused.value.code == "partner_municipality_german"


def test_an_end_before_the_start_is_refused(staff):
    _german, partner, _p = active_pair()
    with pytest.raises(DeploymentRuleError) as refused:
        deployment_make(staff, partner, ends_on=dt.date(2025, 1, 1))
    assert refused.value.code == "period_invalid"


def test_a_named_german_municipality_must_be_the_partner(staff):
    _german, partner, _p = active_pair()
    stranger = MunicipalityFactory(name="Fremdstadt")
    with pytest.raises(DeploymentRuleError) as refused:
        deployment_make(staff, partner, german_municipality=stranger)
    assert "Fremdstadt" in refused.value.messages[0]


@pytest.mark.parametrize("role", [None, "reviewer", "expert"])
def test_only_staff_create_deployments(role):
    _german, partner, _p = active_pair()
    actor = UserFactory(**{role: True}) if role else UserFactory()
    with pytest.raises(PermissionDenied):
        deployment_make(actor, partner)


# --- The workflow ---------------------------------------------------------------------------------


def test_the_whole_way_from_planned_to_ended(staff):
    _german, partner, _p = active_pair()
    deployment = deployment_make(
        staff, partner, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2027, 3, 31)
    )
    assert [t.action for t in available_actions(deployment, staff)] == [
        "advertise",
        "fill",
        "break_off",
    ]
    deployment_transition(deployment=deployment, action="advertise", actor=staff)
    assert deployment.state == DeploymentState.ADVERTISED
    with pytest.raises(ValidationError) as refused:
        deployment_transition(deployment=deployment, action="fill", actor=staff)
    assert refused.value.code == "expert_missing"
    deployment.expert = ExpertProfileFactory()
    deployment.save()
    deployment_transition(deployment=deployment, action="fill", actor=staff)
    deployment_transition(deployment=deployment, action="deploy", actor=staff)
    assert deployment.state == DeploymentState.DEPLOYED
    reports = list(deployment.reports.order_by("due_on"))
    assert [(r.kind, r.due_on) for r in reports] == [
        (DeploymentReport.Kind.HALF_YEARLY, dt.date(2026, 7, 1)),
        (DeploymentReport.Kind.HALF_YEARLY, dt.date(2027, 1, 1)),
        (DeploymentReport.Kind.FINAL, dt.date(2027, 4, 30)),
    ]
    deployment_transition(deployment=deployment, action="end", actor=staff)
    deployment.refresh_from_db()
    assert deployment.state == DeploymentState.ENDED
    assert available_actions(deployment, staff) == []
    with pytest.raises(ValidationError):
        deployment_transition(deployment=deployment, action="advertise", actor=staff)


def test_deploying_asks_the_rule_again(staff):
    _german, partner, partnership = active_pair()
    deployment = deployment_make(staff, partner, expert=ExpertProfileFactory())
    partnership.status = PartnershipStatus.ENDED
    partnership.save()
    with pytest.raises(DeploymentRuleError):
        deployment_transition(deployment=deployment, action="deploy", actor=staff)
    deployment.refresh_from_db()
    assert deployment.state == DeploymentState.FILLED


def test_others_may_not_move_the_state(staff):
    _german, partner, _p = active_pair()
    deployment = deployment_make(staff, partner)
    editor = UserFactory(municipality=partner)
    assert available_actions(deployment, editor) == []
    with pytest.raises(PermissionDenied):
        deployment_transition(deployment=deployment, action="advertise", actor=editor)
