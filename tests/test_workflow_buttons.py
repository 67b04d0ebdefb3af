"""The buttons the pages draw from the workflow tables, for every role, in the style of the
permission matrix: each role sees exactly the membership actions declared here, no more."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from test_permission_matrix import ROLES  # the roles of the permission matrix

from partnerportal.accounts.tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    UserFactory,
)

BUTTON = re.compile(
    r'<form method="post" action="[^"]*/(\d+)/[^"]*"[^>]*>.*?data-action="(\w+)"', re.S
)

ADMINS = {"agency_editor", "agency_admin"}
#: Buttons on "My account": one's own request and membership, and the requests one decides.
OVERVIEW = {
    "public": None,  # the login page
    "registered": {("withdraw", "own_request")},
    "municipal_editor": {
        ("withdraw", "own_request"),
        ("leave", "own_membership"),
        ("confirm", "pending_own"),
        ("decline", "pending_own"),
    },
    **{
        role: {
            ("withdraw", "own_request"),
            ("confirm", "pending_own"),
            ("decline", "pending_own"),
            ("confirm", "pending_other"),
            ("decline", "pending_other"),
        }
        for role in ADMINS
    },
    "reviewer": {("withdraw", "own_request")},
    "expert": {("withdraw", "own_request")},
}
#: Buttons on the editors page (agency staff only): decide every request but one's own, end
#: every active membership.
STAFF_PAGE = {
    role: {
        ("confirm", "pending_own"),
        ("decline", "pending_own"),
        ("confirm", "pending_other"),
        ("decline", "pending_other"),
        ("end", "editor_membership"),
        ("end", "active_other"),
    }
    if role in ADMINS
    else None
    for role in ROLES
}


@pytest.fixture
def world(db, site):
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
    names = {
        MembershipFactory(municipality=own, requested=True).pk: "pending_own",
        MembershipFactory(municipality=other, requested=True).pk: "pending_other",
        MembershipFactory(municipality=other).pk: "active_other",
        users["municipal_editor"].memberships.get().pk: "editor_membership",
    }
    return {"users": users, "names": names, "other": other}


def _buttons(html: str, names: dict) -> set[tuple[str, str]]:
    return {(action, names.get(int(pk), pk)) for pk, action in BUTTON.findall(html)}


@pytest.mark.parametrize("role", ROLES)
def test_pages_draw_exactly_the_allowed_membership_buttons(client, world, role):
    user = world["users"][role]
    names = dict(world["names"])
    if user is not None:
        own_request = MembershipFactory(user=user, municipality=world["other"], requested=True)
        names[own_request.pk] = "own_request"
        for membership in user.memberships.exclude(pk=own_request.pk):
            names[membership.pk] = "own_membership"
        client.force_login(user)
    for url_name, expected in (
        ("accounts:overview", OVERVIEW[role]),
        ("accounts:staff_memberships", STAFF_PAGE[role]),
    ):
        response = client.get(reverse(url_name))
        if expected is None:
            assert response.status_code in (302, 403), url_name
            continue
        assert response.status_code == 200, url_name
        assert _buttons(response.text, names) == expected, url_name
