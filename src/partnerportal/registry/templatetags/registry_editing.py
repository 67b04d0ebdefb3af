"""What the editing buttons of a partnership need, for templates (which cannot call
functions with arguments): {% partnership_actions_for partnership user as pa %}."""

from django import template
from django.urls import reverse

from .. import permissions
from ..editor_tools import partnership_editor_actions
from ..workflows import available_actions

register = template.Library()


@register.simple_tag
def partnership_actions_for(partnership, user) -> dict:
    if not getattr(user, "is_authenticated", False):
        return {"any": False}
    may = permissions.partnership_abilities(user, partnership)
    can_edit = may["edit"]
    actions = [
        {
            "label": transition.label,
            "url": reverse(
                "registry:partnership_transition",
                kwargs={"pk": partnership.pk, "action": transition.action},
            ),
        }
        for transition in (available_actions(partnership, user) if can_edit else [])
    ]
    if can_edit:
        actions += [
            {"label": action.label, "url": action.url}
            for action in partnership_editor_actions(user=user, partnership=partnership)
        ]
    result = {
        "can_edit": can_edit,
        "edit_url": reverse("registry:partnership_edit", kwargs={"pk": partnership.pk}),
        "actions": actions,
        "can_confirm_current": may["confirm_current"],
        "confirm_current_url": reverse(
            "registry:partnership_confirm_current", kwargs={"pk": partnership.pk}
        ),
        "can_check": may["check"],
        "check_url": reverse("registry:partnership_check", kwargs={"pk": partnership.pk}),
        "can_decide_proposal": may["decide_proposal"],
        "proposal_confirm_url": reverse(
            "registry:partnership_proposal_confirm", kwargs={"pk": partnership.pk}
        ),
        "proposal_reject_url": reverse(
            "registry:partnership_proposal_reject", kwargs={"pk": partnership.pk}
        ),
        "can_view_history": may["history"],
        "history_url": reverse(
            "audit:history",
            kwargs={"app_label": "registry", "model_name": "partnership", "pk": partnership.pk},
        ),
    }
    result["any"] = can_edit or result["can_view_history"]
    return result


@register.simple_tag
def municipality_can_propose(municipality, user) -> bool:
    return permissions.can_propose_partnership(user, municipality)
