"""What funding adds where municipal editors work (registered with registry.editor_tools in
FundingConfig.ready): a section "Funding" on their municipality's work page with its latest
applications, and "Apply for funding" on the page of a partnership they edit."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from partnerportal.registry.editor_tools import EditorAction, EditorSection

from .models import Application
from .permissions import can_apply

#: Applications shown on the work page (the rest is under "My applications").
WORK_PAGE_APPLICATIONS = 5


def work_page_section(*, user, municipality) -> EditorSection | None:
    if not can_apply(user, municipality):
        return None
    applications = list(
        Application.objects.filter(applicant=municipality)
        .select_related("instrument")
        .order_by("-created_at", "-pk")[:WORK_PAGE_APPLICATIONS]
    )
    return EditorSection(
        template="funding/partials/work_page_section.html",
        context={
            "finder_url": reverse("funding:finder"),
            "list_url": reverse("funding:application_list"),
            "applications": applications,
        },
    )


def partnership_actions(*, user, partnership) -> list[EditorAction]:
    """Only for the German side's editors of a published partnership (who apply for it)."""
    if not partnership.is_confirmed:
        return []
    from partnerportal.accounts.roles import edited_municipality_ids

    if not {partnership.municipality_a_id, partnership.municipality_b_id} & set(
        edited_municipality_ids(user)
    ):
        return []
    return [EditorAction(label=_("Find funding"), url=reverse("funding:finder"))]
