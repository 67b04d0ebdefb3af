"""Who may see and do what in the advisory app. Views, templates and services ask here.

The agency's advisory work is done by its managing staff (administrators and editors, the
roles that also run programmes); a reviewer or an expert is not advisory staff.
"""

from __future__ import annotations

from partnerportal.accounts.roles import MANAGING_ROLES, edited_municipality_ids, has_role

# --- Advisory cases and action plans (issue 14, cases part) ----------------------------------
#
# - Contact request: everyone (public form).
# - Case list, dashboard, a case's page, its internal log and documents: advisory staff only.
#   The requester and the municipalities never read the log, not even their own case's.
# - The action plan and its comments: advisory staff and the municipal editors of both
#   municipalities of the case's partnership (or of the case's municipality where there is no
#   partnership). Those editors comment on it and change its measures; staff too.
# - Nobody changes a closed or anonymised case's plan.


def is_advisory_staff(user) -> bool:
    return has_role(user, *MANAGING_ROLES)


def can_request_advice(user) -> bool:
    return True


def can_manage_cases(user) -> bool:
    """The case list, the dashboard, opening a case by hand."""
    return is_advisory_staff(user)


def can_view_case(user, case) -> bool:
    """The staff page of a case (with its requester's details)."""
    return is_advisory_staff(user)


def can_change_case(user, case) -> bool:
    return is_advisory_staff(user) and not case.is_anonymised


def can_view_case_log(user, case) -> bool:
    """The internal log (notes of calls, meetings, e-mails) and the documents: staff only."""
    return is_advisory_staff(user)


def can_add_case_note(user, case) -> bool:
    return is_advisory_staff(user)


def can_assign_case(user, case) -> bool:
    return can_change_case(user, case)


def can_transition_case(user, case) -> bool:
    """The workflow's buttons (advisory.workflows)."""
    return can_change_case(user, case)


def _plan_editor(user, case) -> bool:
    ids = case.plan_municipality_ids()
    return bool(ids) and bool(ids & edited_municipality_ids(user))


def can_view_plan(user, case) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return is_advisory_staff(user) or _plan_editor(user, case)


def can_comment_plan(user, case) -> bool:
    return not case.is_anonymised and can_view_plan(user, case)


def can_edit_plan(user, case) -> bool:
    return case.is_open and can_view_plan(user, case)


def can_export_plan(user, case) -> bool:
    return can_view_plan(user, case)


def can_view_public_summary(user, case) -> bool:
    """What a partnership's or municipality's page shows: the summary staff wrote for it."""
    return bool(case.public_summary) and not case.is_anonymised


# --- end of the cases block ------------------------------------------------------------------
