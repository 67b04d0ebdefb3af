"""The public summaries of advisory cases on a partnership's and a municipality's page
(registry.sections): only the summary staff wrote for the public, only for cases that have one,
nothing about the requester. One query per page."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .selectors import public_summaries


def advisory_summaries_section(request: HttpRequest, *, page: str, subject) -> SafeString | None:
    if page == "partnership":
        cases = public_summaries(partnership=subject)
    elif page == "municipality":
        cases = public_summaries(municipality=subject)
    else:
        return None
    if not cases:
        return None
    return render_to_string(
        "advisory/cases/partials/public_summaries.html",
        {"cases": cases, "section_id": f"{page}-advisory"},
        request=request,
    )
