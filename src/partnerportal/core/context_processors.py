"""What every page's layout needs from core: the main navigation. The apps add their own
(`accounts.context_processors.roles`, `content.context_processors.legal_links`)."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _


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
        {"label": _("Funding"), "url": reverse("funding:finder"), "key": "funding"},
        {"label": _("Events"), "url": reverse("events:calendar"), "key": "events"},
    ]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        items.append(
            {"label": _("My account"), "url": reverse("accounts:overview"), "key": "account"}
        )
    return items


def layout(request: HttpRequest) -> dict:
    return {"main_navigation": SimpleLazyObject(lambda: main_navigation(request))}
