"""Who may do what with content outside the back office (the back office has Wagtail's page
permissions and the review workflow, see services.review_workflow_ensure).

- Reading live pages: everyone.
- Submitting a practice example: an active editor of one of the partnership's two
  municipalities, for a public (accepted) partnership. Agency staff write in the back office.
- Seeing one's submissions and their state: the person who submitted them.
"""

from __future__ import annotations

from partnerportal.accounts.roles import edited_municipality_ids


def can_submit_practice_example(user, partnership) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not partnership.is_confirmed:
        return False
    edited = edited_municipality_ids(user)
    return partnership.municipality_a_id in edited or partnership.municipality_b_id in edited


def can_submit_practice_examples_for(user, municipality) -> bool:
    """Whether the work page of `municipality` offers `user` the submission form."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return municipality.pk in edited_municipality_ids(user)
