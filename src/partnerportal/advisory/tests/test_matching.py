"""Needs, the experts who fit with reasons and gaps, proposals and their way to a deployment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.geo.services import country_ensure
from partnerportal.notifications.models import Activity
from partnerportal.registry.models import PartnershipStatus, Theme

from ..deployments import DeploymentInput, DeploymentRuleError
from ..matching import need_create, need_matches, proposal_create, proposal_decide, proposal_deploy
from ..models import DeploymentState, Need, Proposal
from .expert_factories import ExpertProfileFactory, active_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(agency_staff=True)


def make_need(staff, partner=None, **values):
    return need_create(
        actor=staff,
        title="Gesundheit am Río Ucayali",
        partner_municipality=partner,
        fields=Theme.objects.filter(code="gesundheit"),
        languages=["es"],
        country=country_ensure("PE"),
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2027, 2, 28),
        **values,
    )


def test_the_best_fit_comes_first_with_reasons_and_gaps(staff):
    best = ExpertProfileFactory(
        name="Beste",
        fields=["gesundheit"],
        languages=[("es", "C1")],
        countries=["PE"],
        available_from=dt.date(2026, 1, 1),
    )
    partial = ExpertProfileFactory(
        name="Teilweise",
        fields=["gesundheit"],
        languages=[("es", "A2")],
        available_from=dt.date(2026, 6, 1),
        available_until=dt.date(2026, 12, 31),
    )
    ExpertProfileFactory(name="Passt nicht", fields=["kultur"], languages=[("fr", "C2")])
    matches = need_matches(make_need(staff))
    assert [m.expert.name for m in matches] == ["Beste", "Teilweise"]
    first, second = matches
    assert first.expert == best
    assert len(first.reasons) == 4 and first.gaps == []
    assert any("Peru" in reason for reason in first.reasons)
    assert any("A2" in gap for gap in second.gaps)
    assert any("Peru" in gap for gap in second.gaps)
    assert any("31" in gap or "2026" in gap for gap in second.gaps)  # available only partly
    assert partial.pk == second.expert.pk


def test_only_staff_record_needs_and_propose(staff):
    with pytest.raises(PermissionDenied):
        make_need(UserFactory(expert=True))
    need = make_need(staff)
    with pytest.raises(PermissionDenied):
        proposal_create(actor=UserFactory(reviewer=True), need=need, expert=ExpertProfileFactory())


def test_a_proposal_tells_the_expert_who_accepts_or_declines(staff):
    expert_user = UserFactory(expert=True)
    expert = ExpertProfileFactory(user=expert_user)
    need = make_need(staff)
    proposal = proposal_create(actor=staff, need=need, expert=expert, note="Passt gut")
    assert Activity.objects.filter(recipient=expert_user, event="advisory.expert_proposed").exists()
    with pytest.raises(ValidationError):
        proposal_create(actor=staff, need=need, expert=expert)
    with pytest.raises(PermissionDenied):
        proposal_decide(actor=UserFactory(expert=True), proposal=proposal, accept=True)
    with pytest.raises(PermissionDenied):
        proposal_decide(actor=staff, proposal=proposal, accept=True)
    proposal_decide(actor=expert_user, proposal=proposal, accept=False)
    assert proposal.state == Proposal.State.DECLINED
    with pytest.raises(ValidationError):
        proposal_decide(actor=expert_user, proposal=proposal, accept=True)


def test_an_accepted_proposal_becomes_a_deployment_under_the_rule(staff):
    _german, partner, partnership = active_pair()
    expert_user = UserFactory(expert=True)
    expert = ExpertProfileFactory(user=expert_user)
    need = make_need(staff, partner=partner)
    proposal = proposal_create(actor=staff, need=need, expert=expert)
    data = DeploymentInput(
        partner_municipality=partner,
        kind="integrated_expert",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2027, 2, 28),
        expert=expert,
    )
    with pytest.raises(ValidationError) as refused:
        proposal_deploy(actor=staff, proposal=proposal, data=data)
    assert refused.value.code == "not_accepted"
    proposal_decide(actor=expert_user, proposal=proposal, accept=True)
    partnership.status = PartnershipStatus.ENDED
    partnership.save()
    with pytest.raises(DeploymentRuleError):
        proposal_deploy(actor=staff, proposal=proposal, data=data)
    partnership.status = PartnershipStatus.ACTIVE
    partnership.save()
    deployment = proposal_deploy(actor=staff, proposal=proposal, data=data)
    assert deployment.state == DeploymentState.FILLED
    proposal.refresh_from_db()
    need.refresh_from_db()
    assert proposal.deployment == deployment
    assert need.state == Need.State.FILLED
    with pytest.raises(ValidationError):
        proposal_deploy(actor=staff, proposal=proposal, data=data)
