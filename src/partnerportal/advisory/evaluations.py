"""Evaluations at the end of a deployment and of an advisory case: each side (the German and the
partner municipality's editors, for a deployment also the expert) answers once, in a short form;
staff read them grouped by programme and by field."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import permissions
from .models import Case, CaseState, Deployment, DeploymentState, Evaluation

#: A deployment is evaluated once it is over.
EVALUABLE_DEPLOYMENT_STATES = frozenset({DeploymentState.ENDED, DeploymentState.BROKEN_OFF})


def _create(**values) -> Evaluation:
    try:
        with transaction.atomic():
            return Evaluation.objects.create(**values)
    except IntegrityError:
        raise ValidationError(
            _("Your side has already evaluated this."), code="evaluated_already"
        ) from None


def _check_answers(goals_reached: int) -> None:
    if goals_reached not in Evaluation.Scale.values:
        raise ValidationError(_("Choose how far the goals were reached."), code="scale_invalid")


def deployment_evaluate(
    *, actor, deployment: Deployment, goals_reached: int, what_helped: str, what_should_change: str
) -> Evaluation:
    side = permissions.deployment_evaluation_side(actor, deployment)
    if side is None:
        raise PermissionDenied
    if deployment.state not in EVALUABLE_DEPLOYMENT_STATES:
        raise ValidationError(_("A deployment is evaluated once it has ended."), code="not_ended")
    _check_answers(goals_reached)
    return _create(
        deployment=deployment,
        side=side,
        goals_reached=goals_reached,
        what_helped=what_helped.strip(),
        what_should_change=what_should_change.strip(),
        author=actor,
    )


def case_evaluate(
    *, actor, case: Case, goals_reached: int, what_helped: str, what_should_change: str
) -> Evaluation:
    side = permissions.case_evaluation_side(actor, case)
    if side is None:
        raise PermissionDenied
    if case.state != CaseState.CLOSED:
        raise ValidationError(_("A case is evaluated once it is closed."), code="not_closed")
    _check_answers(goals_reached)
    return _create(
        case=case,
        side=side,
        goals_reached=goals_reached,
        what_helped=what_helped.strip(),
        what_should_change=what_should_change.strip(),
        author=actor,
    )


# --- Reads for staff ----------------------------------------------------------------------------


@dataclass
class EvaluationGroup:
    label: str
    evaluations: list[Evaluation] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.evaluations)

    @property
    def average(self) -> float | None:
        if not self.evaluations:
            return None
        return sum(e.goals_reached for e in self.evaluations) / len(self.evaluations)


def evaluations_grouped(user) -> dict[str, list[EvaluationGroup]]:
    """Every evaluation, by programme and by field (a deployment's fields, a case's topics of
    kind field); one evaluation may count under several fields. A fixed number of queries."""
    if not permissions.can_view_evaluations(user):
        raise PermissionDenied
    evaluations = list(
        Evaluation.objects.select_related(
            "deployment__programme",
            "deployment__partner_municipality",
            "case__programme",
            "case__municipality",
        ).prefetch_related("deployment__fields", "case__topics")
    )
    none = _("(none)")
    by_programme: dict[str, EvaluationGroup] = {}
    by_field: dict[str, EvaluationGroup] = defaultdict(lambda: EvaluationGroup(""))
    for evaluation in evaluations:
        subject = evaluation.deployment or evaluation.case
        programme = subject.programme
        key = programme.name if programme else none
        by_programme.setdefault(key, EvaluationGroup(key)).evaluations.append(evaluation)
        themes = (
            evaluation.deployment.fields.all()
            if evaluation.deployment
            else [t for t in evaluation.case.topics.all() if t.kind == "field"]
        )
        for theme in themes or [None]:
            label = str(theme) if theme else none
            group = by_field[label]
            group.label = label
            group.evaluations.append(evaluation)
    return {
        "programme": sorted(by_programme.values(), key=lambda g: g.label),
        "field": sorted(by_field.values(), key=lambda g: g.label),
        "all": evaluations,
    }
