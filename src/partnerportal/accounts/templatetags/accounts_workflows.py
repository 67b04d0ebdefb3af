"""The buttons of a membership, from the workflow table (accounts.workflows):
{% membership_buttons membership user "confirm decline" %} draws those of the named actions
that `user` may perform now, each a small form posting to its page."""

from django import template
from django.urls import reverse

from ..workflows import available_actions

register = template.Library()

#: The page each action posts to ("withdraw" and "leave" share one: the person's own way out).
URL_NAMES = {
    "confirm": "accounts:membership_confirm",
    "decline": "accounts:membership_decline",
    "withdraw": "accounts:membership_withdraw",
    "leave": "accounts:membership_withdraw",
    "end": "accounts:membership_end",
}


@register.inclusion_tag("accounts/partials/membership_buttons.html", takes_context=True)
def membership_buttons(context, membership, user, actions: str) -> dict:
    wanted = actions.split()
    buttons = [
        {
            "action": transition.action,
            "label": transition.label,
            "url": reverse(URL_NAMES[transition.action], kwargs={"pk": membership.pk}),
            "primary": transition.action == "confirm",
        }
        for transition in available_actions(membership, user)
        if transition.action in wanted
    ]
    return {
        "buttons": buttons,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
