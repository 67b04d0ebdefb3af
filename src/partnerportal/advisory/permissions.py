"""Who may see and do what in the advisory app. Views, API, templates and workflow tables ask
here (STYLE.md: one place per app)."""

from __future__ import annotations

from partnerportal.accounts.roles import MANAGING_ROLES, edited_municipality_ids, has_role

# --- Experts, deployments, needs and evaluations (advexperts) ---------------------------------
#
# - Expert profiles are personal data: agency staff (administration and editors) manage them,
#   the expert reads and edits their own; everyone else sees only the parts the expert made
#   public (the public profile page), nothing while the expert made nothing public.
# - Deployments: their facts (where, when, fields, programme) are public; staff create and move
#   them through their workflow; the expert and the editors of both municipalities see the
#   reports; the expert (or staff) writes them.
# - Needs, matching and proposals: staff; the expert decides on a proposal made to them.
# - Evaluations: each side of an ended deployment or a closed case writes its own; staff read
#   them all.


def is_expert_staff(user) -> bool:
    """The agency staff who manage experts and deployments. Reviewers (who assess funding
    applications) are staff too but read no CV."""
    return has_role(user, *MANAGING_ROLES)


def _own_profile(user, profile) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and profile.user_id is not None
        and profile.user_id == user.pk
    )


def can_manage_experts(user) -> bool:
    return is_expert_staff(user)


def can_view_expert_profile(user, profile) -> bool:
    """The whole profile, CV included."""
    return is_expert_staff(user) or _own_profile(user, profile)


def can_edit_expert_profile(user, profile) -> bool:
    return is_expert_staff(user) or _own_profile(user, profile)


def can_view_public_expert_profile(user, profile) -> bool:
    """The public page exists only where the expert made something of it public."""
    return profile.anonymised_at is None and profile.has_public_parts


def can_manage_deployments(user) -> bool:
    return is_expert_staff(user)


def can_view_deployment(user, deployment) -> bool:
    """The public facts of a deployment: everyone."""
    return True


def _edits_side(user, deployment) -> str | None:
    edited = edited_municipality_ids(user)
    if deployment.german_municipality_id in edited:
        return "german"
    if deployment.partner_municipality_id in edited:
        return "partner"
    return None


def is_deployment_expert(user, deployment) -> bool:
    return deployment.expert is not None and _own_profile(user, deployment.expert)


def can_view_deployment_reports(user, deployment) -> bool:
    return (
        is_expert_staff(user)
        or is_deployment_expert(user, deployment)
        or _edits_side(user, deployment) is not None
    )


def can_submit_deployment_report(user, deployment) -> bool:
    return is_expert_staff(user) or is_deployment_expert(user, deployment)


def deployment_evaluation_side(user, deployment) -> str | None:
    """The side `user` evaluates a deployment for: the expert, or an editor of either
    municipality; None for everyone else (staff read evaluations, they do not write them)."""
    if is_deployment_expert(user, deployment):
        return "expert"
    return _edits_side(user, deployment)


def case_evaluation_side(user, case) -> str | None:
    """The side an editor evaluates a closed case for: of the case's partnership (German or
    partner side) or, without one, of the case's municipality."""
    edited = edited_municipality_ids(user)
    partnership = case.partnership
    if partnership is not None:
        for municipality in (partnership.municipality_a, partnership.municipality_b):
            if municipality.pk in edited:
                return "german" if municipality.country_id == "DE" else "partner"
        return None
    if case.municipality_id is not None and case.municipality_id in edited:
        return "german" if case.municipality.country_id == "DE" else "partner"
    return None


def can_view_evaluations(user) -> bool:
    return is_expert_staff(user)


def can_manage_needs(user) -> bool:
    return is_expert_staff(user)


def can_decide_proposal(user, proposal) -> bool:
    return _own_profile(user, proposal.expert)


# --- end of the experts' block -----------------------------------------------------------------


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
