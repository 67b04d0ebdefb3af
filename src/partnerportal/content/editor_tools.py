"""What content adds where municipal editors work (registered with registry.editor_tools in
ContentConfig.ready): the practice examples section of their work page, and the button on the
page of a partnership they edit."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from partnerportal.registry.editor_tools import EditorAction, EditorSection

from . import permissions, selectors


def work_page_section(*, user, municipality) -> EditorSection | None:
    if not permissions.can_submit_practice_examples_for(user, municipality):
        return None
    return EditorSection(
        template="content/partials/work_page_submissions.html",
        context={
            "submit_url": reverse("content:practice_example_submit"),
            "submissions": selectors.practice_example_submissions(user, municipality),
        },
    )


def partnership_actions(*, user, partnership) -> list[EditorAction]:
    if not permissions.can_submit_practice_example(user, partnership):
        return []
    url = reverse("content:practice_example_submit") + f"?partnership={partnership.pk}"
    return [EditorAction(label=_("Submit a practice example"), url=url)]
