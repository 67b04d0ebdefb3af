from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from partnerportal.accounts import permissions
from partnerportal.accounts.models import Membership

from .factories import InvitationFactory, MembershipFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_manage_memberships_only_agency_admins_and_editors():
    assert permissions.can_manage_memberships(UserFactory(role="agency_admin"))
    assert permissions.can_manage_memberships(UserFactory(role="agency_editor"))
    assert not permissions.can_manage_memberships(UserFactory(role="reviewer"))
    assert not permissions.can_manage_memberships(UserFactory(role="expert"))
    assert not permissions.can_manage_memberships(UserFactory(municipality=MunicipalityFactory()))
    assert not permissions.can_manage_memberships(AnonymousUser())


def test_decide_membership():
    municipality = MunicipalityFactory()
    request = MembershipFactory(municipality=municipality, requested=True)
    assert permissions.can_decide_membership(UserFactory(role="agency_editor"), request)
    assert permissions.can_decide_membership(UserFactory(municipality=municipality), request)
    assert not permissions.can_decide_membership(
        UserFactory(municipality=MunicipalityFactory()), request
    )
    assert not permissions.can_decide_membership(request.user, request)
    assert not permissions.can_decide_membership(AnonymousUser(), request)
    ended_editor = UserFactory()
    MembershipFactory(user=ended_editor, municipality=municipality, ended=True)
    assert not permissions.can_decide_membership(ended_editor, request)
    # Decided requests are no longer open to a decision.
    request.status = Membership.Status.ACTIVE
    assert not permissions.can_decide_membership(UserFactory(role="agency_admin"), request)


def test_inactive_staff_may_do_nothing():
    staff = UserFactory(role="agency_admin")
    staff.is_active = False
    request = MembershipFactory(requested=True)
    assert not permissions.can_decide_membership(staff, request)
    assert not permissions.can_create_invitation(staff)


def test_request_membership():
    municipality = MunicipalityFactory()
    person = UserFactory()
    assert permissions.can_request_membership(person, municipality)
    MembershipFactory(user=person, municipality=municipality, ended=True)
    assert permissions.can_request_membership(person, municipality)
    assert not permissions.can_request_membership(
        UserFactory(municipality=municipality), municipality
    )
    assert not permissions.can_request_membership(AnonymousUser(), municipality)


def test_withdraw_and_end():
    membership = MembershipFactory()
    staff = UserFactory(role="agency_editor")
    assert permissions.can_withdraw_membership(membership.user, membership)
    assert not permissions.can_withdraw_membership(staff, membership)
    assert permissions.can_end_membership(staff, membership)
    assert not permissions.can_end_membership(membership.user, membership)
    membership.status = Membership.Status.ENDED
    assert not permissions.can_withdraw_membership(membership.user, membership)
    assert not permissions.can_end_membership(staff, membership)


def test_invitations():
    staff = UserFactory(role="agency_admin")
    invitation = InvitationFactory(email="a@example.org")
    assert permissions.can_create_invitation(staff)
    assert not permissions.can_create_invitation(UserFactory(role="reviewer"))
    assert permissions.can_revoke_invitation(staff, invitation)
    assert permissions.can_accept_invitation(UserFactory(email="a@example.org"), invitation)
    assert not permissions.can_accept_invitation(UserFactory(), invitation)
    invitation.expires_at = timezone.now() - timedelta(seconds=1)
    assert not permissions.can_revoke_invitation(staff, invitation)
    assert not permissions.can_accept_invitation(UserFactory(email="A@example.org"), invitation)


def test_export_and_delete_only_oneself():
    person, other = UserFactory(), UserFactory(role="agency_admin")
    assert permissions.can_export_account(person, person)
    assert permissions.can_delete_account(person, person)
    assert not permissions.can_export_account(other, person)
    assert not permissions.can_delete_account(other, person)
    assert not permissions.can_export_account(AnonymousUser(), person)
