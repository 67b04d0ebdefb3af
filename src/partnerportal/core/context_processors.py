"""What every page's layout needs: the main navigation and the roles of the person asking."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnerportal.accounts.roles import user_roles


def main_navigation(request: HttpRequest) -> list[dict]:
    """The capabilities as they arrive; an entry appears once its pages exist."""
    items = [
        {"label": _("Start"), "url": reverse("content:home"), "key": "home"},
    ]
    if request.user.is_authenticated:
        items.append(
            {"label": _("My account"), "url": reverse("accounts:overview"), "key": "account"}
        )
    return items


def layout(request: HttpRequest) -> dict:
    return {
        "main_navigation": main_navigation(request),
        "user_roles": user_roles(request.user),
    }
