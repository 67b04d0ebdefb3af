"""What every page's layout needs: the main navigation and the roles of the person asking."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from partnerportal.accounts.roles import user_roles
from partnerportal.content.selectors import legal_page_links


def main_navigation(request: HttpRequest) -> list[dict]:
    """The capabilities as they arrive; an entry appears once its pages exist."""
    items = [
        {"label": _("Start"), "url": reverse("content:home"), "key": "home"},
        {
            "label": _("Partnerships"),
            "url": reverse("registry:partnership_list"),
            "key": "registry",
        },
        {"label": _("Atlas"), "url": reverse("atlas:map"), "key": "atlas"},
        {"label": _("Statistics"), "url": reverse("atlas:statistics"), "key": "statistics"},
    ]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        items.append(
            {"label": _("My account"), "url": reverse("accounts:overview"), "key": "account"}
        )
    return items


def layout(request: HttpRequest) -> dict:
    # A request refused early (a disallowed host, say) has no user yet.
    user = getattr(request, "user", None)
    return {
        "main_navigation": SimpleLazyObject(lambda: main_navigation(request)),
        "user_roles": SimpleLazyObject(lambda: user_roles(user)),
        "legal_links": SimpleLazyObject(lambda: legal_page_links(request)),
    }
