"""Who may see and do what with funding data. Views, API and commands ask here.

- The per-diem calculation (API) is public: it uses only the official BMF rates, no personal
  data.
- The imported rate tables: agency administrators and editors see them in the back office and
  import new ones (the command runs as the installation's operator, without an account).
- Instruments: everyone sees the open ones (the funding finder is public); agency
  administrators and editors manage them in the back office.
- Applications: the active editors of the applicant municipality apply for it, see its
  applications and edit them while they are drafts; agency staff (administrators, editors and
  reviewers) see every submitted application and its PDF. Nobody else learns that an
  application exists (views answer 404).
"""

from __future__ import annotations

from partnerportal.accounts.roles import (
    MANAGING_ROLES,
    edited_municipality_ids,
    has_role,
    is_agency_staff,
)


def can_calculate_per_diem(user) -> bool:
    return True


def can_view_per_diem_tables(user) -> bool:
    return has_role(user, *MANAGING_ROLES)


def can_import_per_diem_table(user) -> bool:
    return has_role(user, *MANAGING_ROLES)


# --- After submission (funding/workflows.py and the review pages) ---------------------------
# - Agency staff (reviewers, editors, administrators; all behind the second factor) review,
#   decide, approve payments and changes and accept final reports. Which of them may take a
#   particular step is the four-eyes rule's business (funding/workflows.py), not a role's.
# - Editors of the applicant municipality see their application's decision and letter, ask for
#   payments and changes and write the final report.
# - Letter templates: agency administrators and editors.


def can_review_applications(user) -> bool:
    return is_agency_staff(user)


def is_applicant_editor(user, application) -> bool:
    return application.applicant_id in edited_municipality_ids(user)


def can_act_for_applicant(user, application) -> bool:
    """Payment and change requests, the final report, withdrawal: the applicant's editors."""
    return is_applicant_editor(user, application)


def can_edit_letter_templates(user) -> bool:
    return has_role(user, *MANAGING_ROLES)


def can_view_funding_dashboard(user) -> bool:
    return is_agency_staff(user)


def can_manage_instruments(user) -> bool:
    return has_role(user, *MANAGING_ROLES)


def can_apply(user, municipality) -> bool:
    """Applications are made by the municipality's own editors (staff advise, they do not
    apply on a municipality's behalf)."""
    return municipality is not None and municipality.pk in edited_municipality_ids(user)


def can_view_application(user, application) -> bool:
    if application.applicant_id in edited_municipality_ids(user):
        return True
    # Staff see what was submitted; a draft is the municipality's own work in progress.
    return is_agency_staff(user) and application.state != "draft"


def can_edit_application(user, application) -> bool:
    """Only a draft, and only by the applicant's editors: after submission the application is
    a record the review works on (funding.workflows)."""
    return application.state == "draft" and application.applicant_id in edited_municipality_ids(
        user
    )


def can_submit_application(user, application) -> bool:
    return can_edit_application(user, application)
