"""A deployment's state as data (STYLE.md, "Workflows are data with one way in"): the table of
transitions, the one service `deployment_transition` that performs them and `available_actions`
for the page's buttons.

planned → advertised (the post is offered) → filled (an expert is named) → deployed (on site)
→ ended; any state before the end may be broken off. Filling needs an expert; deploying asks THE
rule again (advisory.deployments), since the partnership may have ended since the deployment
was planned. Deploying also lays out the reports that fall due (advisory.deployment_reports)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerportal.audit.services import attribute_change
from partnerportal.core import workflows as core_workflows
from partnerportal.core.concurrency import version_claim

from .actions import AdvisoryAction
from .models import Deployment, DeploymentState

S = DeploymentState
Transition = core_workflows.Transition


def _staff(user, deployment: Deployment) -> bool:
    from .permissions import can_manage_deployments

    return can_manage_deployments(user)


TRANSITIONS: tuple[Transition, ...] = (
    Transition("advertise", frozenset({S.PLANNED}), S.ADVERTISED, gettext_lazy("Advertise"),
               _staff),
    Transition("fill", frozenset({S.PLANNED, S.ADVERTISED}), S.FILLED,
               gettext_lazy("Mark as filled"), _staff),
    Transition("deploy", frozenset({S.FILLED}), S.DEPLOYED, gettext_lazy("Expert deployed"),
               _staff),
    Transition("end", frozenset({S.DEPLOYED}), S.ENDED, gettext_lazy("End the deployment"),
               _staff),
    Transition("break_off", frozenset({S.PLANNED, S.ADVERTISED, S.FILLED, S.DEPLOYED}),
               S.BROKEN_OFF, gettext_lazy("Break off"), _staff),
)  # fmt: skip


def available_actions(deployment: Deployment, user) -> list[Transition]:
    return core_workflows.actions_available(
        TRANSITIONS, obj=deployment, user=user, state=deployment.state
    )


def deployment_transition(
    *, deployment: Deployment, action: str, actor, expected_version: int | None = None
) -> Deployment:
    """Perform `action` on `deployment` if the table allows it for `actor` in its state."""
    from .deployment_reports import reports_schedule
    from .deployments import deployment_rule_check

    transition = core_workflows.transition_check(
        TRANSITIONS,
        action=action,
        obj=deployment,
        actor=actor,
        state=deployment.state,
        state_label=deployment.get_state_display(),
    )
    if transition.target in (S.FILLED, S.DEPLOYED) and deployment.expert_id is None:
        raise ValidationError(
            _("Name the expert first: a deployment is filled once an expert is chosen."),
            code="expert_missing",
        )
    if transition.target == S.DEPLOYED:
        deployment_rule_check(
            partner_municipality=deployment.partner_municipality,
            starts_on=deployment.starts_on,
            german_municipality=deployment.german_municipality,
        )
    with transaction.atomic():
        version_claim(deployment, expected_version=expected_version)
        deployment.state = transition.target
        attribute_change(deployment, actor=actor, action=AdvisoryAction.DEPLOYMENT_TRANSITION)
        deployment.save()
        if transition.target == S.DEPLOYED:
            reports_schedule(deployment)
    return deployment
