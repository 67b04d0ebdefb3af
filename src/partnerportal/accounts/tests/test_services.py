import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from partnerportal.accounts import services
from partnerportal.accounts.models import Invitation, Membership
from partnerportal.accounts.roles import Role, user_roles

from .factories import InvitationFactory, MembershipFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Köln")


# --- Memberships ---------------------------------------------------------------------------


def test_request_creates_requested_membership_and_notifies_deciders(
    municipality, staff_editor, notifications, django_capture_on_commit_callbacks
):
    local_editor = UserFactory(municipality=municipality)
    other_editor = UserFactory(municipality=MunicipalityFactory())
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_request(
            actor=person, municipality=municipality, message=" Hi "
        )
    membership.refresh_from_db()
    assert membership.status == Membership.Status.REQUESTED
    assert membership.message == "Hi"
    assert notifications.events() == ["membership.requested"]
    recipients = set(notifications.calls[0]["recipients"])
    assert recipients == {staff_editor, local_editor}
    assert other_editor not in recipients
    record = membership.history.latest()
    assert record.history_change_reason == "membership.requested"
    assert record.history_user == person


def test_request_twice_is_refused(municipality):
    person = UserFactory()
    services.membership_request(actor=person, municipality=municipality)
    with pytest.raises(PermissionDenied):
        services.membership_request(actor=person, municipality=municipality)
    assert Membership.objects.filter(user=person).count() == 1


def test_request_again_after_decline_reuses_the_row(municipality, staff_editor):
    person = UserFactory()
    membership = MembershipFactory(
        user=person, municipality=municipality, status=Membership.Status.DECLINED
    )
    again = services.membership_request(actor=person, municipality=municipality)
    assert again.pk == membership.pk
    assert again.status == Membership.Status.REQUESTED


@pytest.mark.parametrize("who", ["agency_editor", "agency_admin", "local_editor"])
def test_confirm_by_allowed_people(
    municipality, who, notifications, django_capture_on_commit_callbacks
):
    membership = MembershipFactory(municipality=municipality, requested=True)
    actor = (
        UserFactory(municipality=municipality) if who == "local_editor" else UserFactory(role=who)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_confirm(actor=actor, membership=membership)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE
    assert membership.decided_by == actor
    assert membership.decided_at is not None
    assert Role.MUNICIPAL_EDITOR in user_roles(membership.user)
    assert notifications.events() == ["membership.confirmed"]
    assert notifications.calls[0]["recipients"] == [membership.user]
    record = membership.history.latest()
    assert (record.history_change_reason, record.history_user) == ("membership.confirmed", actor)


@pytest.mark.parametrize("who", ["registered", "reviewer", "expert", "editor_elsewhere", "self"])
def test_confirm_refused_for_others(municipality, who):
    membership = MembershipFactory(municipality=municipality, requested=True)
    actor = {
        "registered": lambda: UserFactory(),
        "reviewer": lambda: UserFactory(role="reviewer"),
        "expert": lambda: UserFactory(role="expert"),
        "editor_elsewhere": lambda: UserFactory(municipality=MunicipalityFactory()),
        "self": lambda: membership.user,
    }[who]()
    with pytest.raises(PermissionDenied):
        services.membership_confirm(actor=actor, membership=membership)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.REQUESTED


def test_decline(municipality, staff_editor, notifications, django_capture_on_commit_callbacks):
    membership = MembershipFactory(municipality=municipality, requested=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decline(actor=staff_editor, membership=membership)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.DECLINED
    assert notifications.events() == ["membership.declined"]
    with pytest.raises(PermissionDenied):  # decided once, not again
        services.membership_confirm(actor=staff_editor, membership=membership)


def test_withdraw_request_deletes_it(municipality):
    membership = MembershipFactory(municipality=municipality, requested=True)
    assert services.membership_withdraw(actor=membership.user, membership=membership) is None
    assert not Membership.objects.filter(pk=membership.pk).exists()
    deleted = Membership.history.filter(id=membership.pk, history_type="-").get()
    assert deleted.history_change_reason == "membership.withdrawn"


def test_withdraw_active_ends_it(municipality):
    membership = MembershipFactory(municipality=municipality)
    services.membership_withdraw(actor=membership.user, membership=membership)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ENDED


def test_withdraw_someone_elses_is_refused(municipality, staff_editor):
    membership = MembershipFactory(municipality=municipality, requested=True)
    with pytest.raises(PermissionDenied):
        services.membership_withdraw(actor=staff_editor, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_end_by_staff(municipality, staff_editor):
    membership = MembershipFactory(municipality=municipality)
    services.membership_end(actor=staff_editor, membership=membership)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ENDED
    assert membership.history.latest().history_change_reason == "membership.ended"
    assert Role.MUNICIPAL_EDITOR not in user_roles(membership.user)


def test_end_refused_for_local_editor_and_for_requests(municipality, staff_editor):
    membership = MembershipFactory(municipality=municipality)
    colleague = UserFactory(municipality=municipality)
    with pytest.raises(PermissionDenied):
        services.membership_end(actor=colleague, membership=membership)
    request = MembershipFactory(municipality=municipality, requested=True)
    with pytest.raises(PermissionDenied):
        services.membership_end(actor=staff_editor, membership=request)


# --- Invitations ---------------------------------------------------------------------------


def test_invitation_create_sends_mail_in_the_invitees_language(
    municipality, staff_editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=staff_editor, email="new@example.org", municipality=municipality, language="en"
        )
    assert invitation.invited_by == staff_editor
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    assert "Invitation to edit for Köln" in message.subject
    assert f"/en/konto/einladung/{invitation.token}/" in message.body
    html = message.alternatives[0][0]
    assert f"/en/konto/einladung/{invitation.token}/" in html


def test_invitation_create_german(municipality, staff_editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=staff_editor, email="neu@example.org", municipality=municipality, language="de"
        )
    assert f"/de/konto/einladung/{invitation.token}/" in mail.outbox[0].body


def test_invitation_create_refused_for_non_staff(municipality):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=UserFactory(municipality=municipality),
            email="x@example.org",
            municipality=municipality,
        )
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invitation_accept(municipality):
    invitation = InvitationFactory(municipality=municipality, email="Invitee@Example.org")
    person = UserFactory(email="invitee@example.org")
    membership = services.invitation_accept(actor=person, invitation=invitation)
    assert membership.status == Membership.Status.ACTIVE
    assert membership.municipality == municipality
    invitation.refresh_from_db()
    assert invitation.accepted_by == person
    assert invitation.accepted_at is not None
    # Used once: not again.
    other = UserFactory()
    EmailAddress.objects.create(user=other, email="invitee2@example.org", verified=True)
    with pytest.raises(services.InvitationRefused) as refused:
        services.invitation_accept(actor=person, invitation=invitation)
    assert refused.value.code == "used"


def test_invitation_accept_turns_a_request_into_membership(municipality):
    person = UserFactory(email="both@example.org")
    request = MembershipFactory(user=person, municipality=municipality, requested=True)
    invitation = InvitationFactory(municipality=municipality, email="both@example.org")
    membership = services.invitation_accept(actor=person, invitation=invitation)
    assert membership.pk == request.pk
    assert Membership.objects.get(pk=request.pk).status == Membership.Status.ACTIVE


def test_invitation_accept_wrong_email(municipality):
    invitation = InvitationFactory(municipality=municipality, email="invitee@example.org")
    person = UserFactory(email="someone-else@example.org")
    with pytest.raises(services.InvitationRefused) as refused:
        services.invitation_accept(actor=person, invitation=invitation)
    assert refused.value.code == "wrong_email"
    assert "invitee@example.org" in refused.value.messages[0]
    assert not Membership.objects.filter(user=person).exists()


def test_invitation_accept_unverified_email(municipality):
    invitation = InvitationFactory(municipality=municipality, email="invitee@example.org")
    person = UserFactory(email="invitee@example.org", verified=False)
    EmailAddress.objects.create(
        user=person, email="invitee@example.org", verified=False, primary=True
    )
    with pytest.raises(services.InvitationRefused) as refused:
        services.invitation_accept(actor=person, invitation=invitation)
    assert refused.value.code == "wrong_email"
    assert not Membership.objects.filter(user=person).exists()


def test_invitation_accept_with_second_verified_address(municipality):
    invitation = InvitationFactory(municipality=municipality, email="work@example.org")
    person = UserFactory(email="home@example.org")
    EmailAddress.objects.create(user=person, email="work@example.org", verified=True)
    services.invitation_accept(actor=person, invitation=invitation)
    assert Membership.objects.get(user=person).status == Membership.Status.ACTIVE


def test_invitation_expired(municipality):
    invitation = InvitationFactory(
        municipality=municipality,
        email="late@example.org",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    person = UserFactory(email="late@example.org")
    with pytest.raises(services.InvitationRefused) as refused:
        services.invitation_accept(actor=person, invitation=invitation)
    assert refused.value.code == "expired"
    assert not Membership.objects.filter(user=person).exists()


def test_invitation_revoked(municipality, staff_editor):
    invitation = InvitationFactory(municipality=municipality, email="gone@example.org")
    services.invitation_revoke(actor=staff_editor, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    person = UserFactory(email="gone@example.org")
    with pytest.raises(services.InvitationRefused) as refused:
        services.invitation_accept(actor=person, invitation=invitation)
    assert refused.value.code == "revoked"
    assert not Membership.objects.filter(user=person).exists()
    with pytest.raises(PermissionDenied):  # nothing left to revoke
        services.invitation_revoke(actor=staff_editor, invitation=invitation)


def test_invitation_revoke_refused_for_non_staff(municipality):
    invitation = InvitationFactory(municipality=municipality)
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(actor=UserFactory(role="reviewer"), invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- Personal data -------------------------------------------------------------------------


def test_export_contains_everything_about_the_person(municipality):
    person = UserFactory(email="me@example.org", name="Erika Muster", mfa=True)
    EmailAddress.objects.create(user=person, email="second@example.org", verified=False)
    MembershipFactory(user=person, municipality=municipality, message="Ich bin die Kämmerin")
    sent = InvitationFactory(invited_by=person, email="friend@example.org")
    received = InvitationFactory(email="me@example.org", municipality=municipality)
    stranger = UserFactory(email="stranger@example.org")
    MembershipFactory(user=stranger, municipality=municipality)

    data = json.loads(services.account_export_json(actor=person, user=person))

    assert data["profile"]["email"] == "me@example.org"
    assert data["profile"]["name"] == "Erika Muster"
    assert Role.MUNICIPAL_EDITOR.value in data["profile"]["roles"]
    assert {a["email"] for a in data["email_addresses"]} == {"me@example.org", "second@example.org"}
    assert [m["municipality"] for m in data["memberships"]] == ["Köln"]
    assert data["memberships"][0]["message"] == "Ich bin die Kämmerin"
    assert [i["email"] for i in data["invitations_sent"]] == [sent.email]
    assert [i["email"] for i in data["invitations_received"]] == [received.email]
    assert [a["type"] for a in data["mfa_authenticators"]] == ["totp"]
    assert "stranger@example.org" not in json.dumps(data)
    assert "secret" not in json.dumps(data["mfa_authenticators"])


def test_export_contains_the_changes_the_person_made_and_those_about_them(municipality):
    """The audit trail is part of what is stored about a person: every change they made, and
    how their memberships changed (without naming the staff member who decided)."""
    from partnerportal.audit.services import attribute_change

    person = UserFactory(email="me@example.org", name="Erika Muster")
    staff = UserFactory(role="agency_admin", name="Sachbearbeiterin Streng")
    other = MunicipalityFactory(name="Alte Schreibweise")
    attribute_change(other, actor=person, action="update")
    other.name = "Neue Schreibweise"
    other.save()
    membership = services.membership_request(
        actor=person, municipality=municipality, message="Bitte"
    )
    services.membership_confirm(actor=staff, membership=membership)

    data = json.loads(services.account_export_json(actor=person, user=person))

    made = [c for c in data["changes_made"] if c["object_id"] == other.pk]
    assert len(made) == 1
    assert made[0]["object"] == "Neue Schreibweise"
    assert {"field": "Name", "before": "Alte Schreibweise", "after": "Neue Schreibweise"} in made[
        0
    ]["changes"]
    assert any(c["record"] == "Mitgliedschaft" for c in data["changes_made"])
    history = data["membership_history"][0]["changes"]
    assert [c["by_you"] for c in history] == [True, False]
    assert "Sachbearbeiterin Streng" not in json.dumps(data)


def test_export_someone_else_is_refused():
    with pytest.raises(PermissionDenied):
        services.account_export(actor=UserFactory(role="agency_admin"), user=UserFactory())


def test_delete_anonymises(municipality, client):
    person = UserFactory(email="leaving@example.org", name="Max Muster", mfa=True, role="expert")
    active = MembershipFactory(user=person, municipality=municipality)
    pending = MembershipFactory(user=person, municipality=MunicipalityFactory(), requested=True)
    client.force_login(person)
    other = UserFactory()
    other_client = client.__class__()
    other_client.force_login(other)
    assert Session.objects.count() == 2

    services.account_delete(actor=person, user=person)

    person.refresh_from_db()
    assert person.email == f"deleted-{person.pk}@anonymised.invalid"
    assert person.name == ""
    assert person.is_active is False
    assert not person.has_usable_password()
    assert person.anonymised_at is not None
    assert not person.groups.exists()
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not Authenticator.objects.filter(user=person).exists()
    assert not Membership.objects.filter(pk=pending.pk).exists()
    active.refresh_from_db()
    assert active.status == Membership.Status.ENDED
    # Logged out everywhere; the other person's session survives.
    assert Session.objects.count() == 1
    assert client.get("/de/konto/").status_code == 302
    assert other_client.get("/de/konto/").status_code == 200


def test_delete_sends_one_farewell_to_the_verified_address(django_capture_on_commit_callbacks):
    person = UserFactory(email="bye@example.org", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.account_delete(actor=person, user=person)
    assert [m.to for m in mail.outbox] == [["bye@example.org"]]


def test_delete_sends_nothing_to_an_unverified_address(django_capture_on_commit_callbacks):
    person = UserFactory(email="unknown@example.org", verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.account_delete(actor=person, user=person)
    assert mail.outbox == []


def test_delete_someone_else_is_refused():
    victim = UserFactory(email="victim@example.org")
    with pytest.raises(PermissionDenied):
        services.account_delete(actor=UserFactory(role="agency_admin"), user=victim)
    victim.refresh_from_db()
    assert victim.email == "victim@example.org"
    assert victim.is_active


def test_profile_update_validates_language():
    person = UserFactory()
    services.user_profile_update(actor=person, user=person, name=" Neu ", language="en")
    person.refresh_from_db()
    assert (person.name, person.language) == ("Neu", "en")
    with pytest.raises(ValidationError):
        services.user_profile_update(actor=person, user=person, name="x", language="xx")


def test_delete_removes_the_address_from_invitations_to_the_person(municipality):
    person = UserFactory(email="leaving@example.org")
    invitation = InvitationFactory(email="leaving@example.org", municipality=municipality)
    unrelated = InvitationFactory(email="someone@example.org", municipality=municipality)

    services.account_delete(actor=person, user=person)

    invitation.refresh_from_db()
    unrelated.refresh_from_db()
    assert invitation.email == f"deleted-{person.pk}@anonymised.invalid"
    assert unrelated.email == "someone@example.org"
