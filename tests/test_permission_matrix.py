"""The whole permission matrix: every view of ours, for every role, on an object of one's own and
on someone else's. A view that is not declared here fails the test, and so does any access that
differs from what is declared.

Expectations: "ok" (2xx, or a redirect that is not to the login page), "login" (redirect to the
login page), "deny" (403), "missing" (404).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from partnerportal.accounts.tests.factories import MunicipalityFactory, UserFactory

ROLES = ("public", "registered", "municipal_editor", "agency_editor", "agency_admin", "reviewer", "expert")
STAFF_ROLES = {"agency_editor", "agency_admin", "reviewer"}
ALL_OK = dict.fromkeys(ROLES, "ok")
LOGGED_IN_OK = {**dict.fromkeys(ROLES, "ok"), "public": "login"}
ADMINS_ONLY = {**dict.fromkeys(ROLES, "deny"), "public": "login", "agency_editor": "ok", "agency_admin": "ok"}


@dataclass
class World:
    """The objects the matrix asks about: one of the acting person's own, one of someone else's."""

    users: dict[str, object]
    own_municipality: object
    other_municipality: object
    extra: dict = field(default_factory=dict)


@dataclass
class Case:
    url_name: str
    expect: dict[str, str]
    method: str = "get"
    kwargs: Callable[[World, str], dict] | None = None
    data: Callable[[World, str], dict] | None = None
    label: str = ""


#: url names that are ours. Library views (allauth, Wagtail, the OpenAPI page) are covered by
#: their own projects' tests and by the browser tests.
CASES: list[Case] = [
    Case("health", ALL_OK),
    Case("api:status", ALL_OK),
    Case("api:openapi-json", ALL_OK),
    Case("api_pages:overview", ALL_OK),
    Case("api:api-root", ALL_OK),
    Case("content:home", ALL_OK),
    Case("accounts:overview", LOGGED_IN_OK),
    Case("accounts:staff_memberships", ADMINS_ONLY),
    Case("notifications:feed", LOGGED_IN_OK),
]


def _our_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace
                walk(p.url_patterns, f"{namespace}:{ns}" if namespace and ns else ns or namespace)
            elif isinstance(p, URLPattern) and p.name:
                module = getattr(p.callback, "__module__", "") or ""
                qualified = f"{namespace}:{p.name}" if namespace else p.name
                if module.startswith("partnerportal.") or qualified.startswith("api:"):
                    names.add(qualified)

    walk(get_resolver().url_patterns)
    return names


def test_every_view_of_ours_is_in_the_matrix():
    declared = {case.url_name for case in CASES}
    undeclared = _our_url_names() - declared
    assert not undeclared, f"views without a declared permission row: {sorted(undeclared)}"
    stale = declared - _our_url_names()
    assert not stale, f"matrix rows for views that no longer exist: {sorted(stale)}"


@pytest.fixture
def world(db, site) -> World:
    own = MunicipalityFactory(name="Eigenstadt")
    other = MunicipalityFactory(name="Fremdstadt")
    users = {
        "public": None,
        "registered": UserFactory(),
        "municipal_editor": UserFactory(municipality=own),
        "agency_editor": UserFactory(role="agency_editor", mfa=True),
        "agency_admin": UserFactory(role="agency_admin", mfa=True),
        "reviewer": UserFactory(role="reviewer", mfa=True),
        "expert": UserFactory(role="expert"),
    }
    return World(users=users, own_municipality=own, other_municipality=other)


def _outcome(response) -> str:
    if response.status_code in (301, 302, 303):
        return "login" if "/konto/login/" in response["Location"] else "ok"
    if response.status_code == 403:
        return "deny"
    if response.status_code == 404:
        return "missing"
    if 200 <= response.status_code < 300:
        return "ok"
    return f"status {response.status_code}"


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, role):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    mismatches = []
    for case in CASES:
        kwargs = case.kwargs(world, role) if case.kwargs else {}
        url = reverse(case.url_name, kwargs=kwargs)
        data = case.data(world, role) if case.data else {}
        response = getattr(client, case.method)(url, data)
        got = _outcome(response)
        if got != case.expect[role]:
            mismatches.append(f"{case.method.upper()} {url} {case.label}: expected {case.expect[role]}, got {got}")
    assert not mismatches, f"{role}:\n" + "\n".join(mismatches)
