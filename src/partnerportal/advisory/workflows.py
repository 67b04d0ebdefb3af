"""The advisory case as a workflow (STYLE.md, "Workflows are data with one way in"): the states
of models.CaseState and one table of transitions, read by one service (`case_transition`) and by
the case page's buttons (`available_actions`). Nothing else changes a case's state."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerportal.audit.services import attribute_change
from partnerportal.core import workflows as core_workflows
from partnerportal.core.concurrency import version_claim

from .actions import AdvisoryAction
from .models import Case, CaseState

S = CaseState
Transition = core_workflows.Transition

OPEN = frozenset({S.RECEIVED, S.CLARIFYING, S.ADVISING, S.ACTION_PLAN, S.IMPLEMENTATION})


def _staff(user, case: Case) -> bool:
    from .permissions import can_transition_case

    return can_transition_case(user, case)


TRANSITIONS: tuple[Transition, ...] = (
    Transition("clarify", frozenset({S.RECEIVED}), S.CLARIFYING, _("Start clarifying"), _staff),
    Transition("advise", frozenset({S.RECEIVED, S.CLARIFYING}), S.ADVISING, _("Start advising"),
               _staff),
    Transition("plan", frozenset({S.ADVISING}), S.ACTION_PLAN, _("Work on the action plan"),
               _staff),
    Transition("implement", frozenset({S.ACTION_PLAN}), S.IMPLEMENTATION,
               _("Plan agreed: implementation"), _staff),
    Transition("pause", OPEN, S.DORMANT, _("Mark as dormant"), _staff),
    Transition("close", OPEN | {S.DORMANT}, S.CLOSED, _("Close the case"), _staff),
    Transition("reopen", frozenset({S.CLOSED, S.DORMANT}), S.ADVISING, _("Reopen"), _staff),
)  # fmt: skip

BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


def available_actions(case: Case, user) -> list[Transition]:
    """The transitions `user` may perform on `case` now, for the page's buttons."""
    return core_workflows.actions_available(TRANSITIONS, obj=case, user=user, state=case.state)


def case_transition(*, case: Case, action: str, actor, expected_version: int | None) -> Case:
    """The one way a case's state changes. Closing records when (the retention period counts
    from then); reopening clears it. `expected_version` is what the person saw (None: no check,
    for scripts); a later version raises core.concurrency.EditConflict."""
    transition = core_workflows.transition_permitted(
        TRANSITIONS, action=action, obj=case, actor=actor
    )
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        version_claim(locked, expected_version=expected_version)
        core_workflows.transition_check(
            TRANSITIONS,
            action=action,
            obj=locked,
            actor=actor,
            state=locked.state,
            state_label=locked.get_state_display(),
        )
        locked.state = transition.target
        if transition.target == S.CLOSED:
            locked.closed_at = timezone.now()
        elif action == "reopen":
            locked.closed_at = None
        attribute_change(locked, actor=actor, action=AdvisoryAction.for_case_transition(action))
        locked.save()
    case.refresh_from_db()
    return case
