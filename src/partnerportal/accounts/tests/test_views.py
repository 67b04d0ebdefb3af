import json
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from partnerportal.accounts.models import Invitation, Membership
from partnerportal.accounts.tests.clients import Client

from .factories import (
    PASSWORD,
    InvitationFactory,
    MembershipFactory,
    MunicipalityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Pfinztal")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Overview ------------------------------------------------------------------------------


def test_overview_requires_login(client):
    response = client.get(reverse("accounts:overview"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_overview_shows_roles_memberships_and_links(municipality):
    person = UserFactory(municipality=municipality)
    response = logged_in(person).get(reverse("accounts:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pfinztal" in html
    for name in ("mfa_index", "account_email", "account_change_password"):
        assert f'href="{reverse(name)}"' in html
    assert f'href="{reverse("accounts:data_export")}"' in html
    assert f'href="{reverse("accounts:account_delete")}"' in html
    assert 'for="id_language"' in html
    assert " style=" not in html


def test_overview_profile_form_saves(municipality):
    person = UserFactory(name="Alt", language="de")
    client = logged_in(person)
    response = client.post(reverse("accounts:overview"), {"name": "Neu", "language": "en"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.language) == ("Neu", "en")
    response = client.post(reverse("accounts:overview"), {"name": "X", "language": "xx"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.language == "en"


def test_local_editor_sees_requests_for_own_municipality_only(municipality):
    editor = UserFactory(municipality=municipality)
    own = MembershipFactory(municipality=municipality, requested=True, user__name="Anna Antrag")
    MembershipFactory(municipality=MunicipalityFactory(), requested=True, user__name="Bernd Fremd")
    html = logged_in(editor).get(reverse("accounts:overview")).content.decode()
    assert "Anna Antrag" in html
    assert "Bernd Fremd" not in html
    assert reverse("accounts:membership_confirm", args=[own.pk]) in html


def test_local_editor_confirms_from_account_page(municipality):
    editor = UserFactory(municipality=municipality)
    request = MembershipFactory(municipality=municipality, requested=True)
    response = logged_in(editor).post(
        reverse("accounts:membership_confirm", args=[request.pk]),
        {"next": reverse("accounts:overview")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:overview")
    request.refresh_from_db()
    assert request.status == Membership.Status.ACTIVE


def test_next_parameter_cannot_leave_the_site(municipality, staff_editor):
    request = MembershipFactory(municipality=municipality, requested=True)
    response = logged_in(staff_editor).post(
        reverse("accounts:membership_decline", args=[request.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("accounts:overview")


# --- Memberships ---------------------------------------------------------------------------


def test_request_membership_form(municipality, notifications):
    person = UserFactory()
    client = logged_in(person)
    response = client.get(reverse("accounts:membership_request"))
    assert response.status_code == 200
    # A text field with suggestions, not a list of every municipality.
    assert 'name="municipality"' in response.content.decode()
    assert "<option" not in response.content.decode()
    response = client.post(
        reverse("accounts:membership_request"),
        {"municipality": municipality.name, "message": "Kämmerei"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    assert (membership.status, membership.message) == (Membership.Status.REQUESTED, "Kämmerei")
    # Asking again shows an error, creates nothing.
    response = client.post(
        reverse("accounts:membership_request"), {"municipality": municipality.name}
    )
    assert response.status_code == 200
    assert Membership.objects.filter(user=person).count() == 1


def test_staff_page_forbidden_for_others():
    for user in (
        UserFactory(),
        UserFactory(role="expert"),
        UserFactory(municipality=MunicipalityFactory()),
    ):
        assert logged_in(user).get(reverse("accounts:staff_memberships")).status_code == 403


def test_staff_page_lists_and_decides(municipality, staff_editor):
    pending = MembershipFactory(
        municipality=municipality, requested=True, user__name="Paula Wartend"
    )
    MembershipFactory(municipality=municipality, user__name="Aktiv Adam")
    client = logged_in(staff_editor)
    response = client.get(reverse("accounts:staff_memberships"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Paula Wartend" in html
    assert "Aktiv Adam" in html
    assert reverse("accounts:membership_confirm", args=[pending.pk]) in html
    assert reverse("accounts:membership_decline", args=[pending.pk]) in html

    response = client.post(
        reverse("accounts:membership_confirm", args=[pending.pk]),
        {"next": reverse("accounts:staff_memberships")},
    )
    assert response["Location"] == reverse("accounts:staff_memberships")
    pending.refresh_from_db()
    assert pending.status == Membership.Status.ACTIVE


def test_decision_buttons_only_accept_post(municipality, staff_editor):
    pending = MembershipFactory(municipality=municipality, requested=True)
    response = logged_in(staff_editor).get(
        reverse("accounts:membership_confirm", args=[pending.pk])
    )
    assert response.status_code == 405
    pending.refresh_from_db()
    assert pending.status == Membership.Status.REQUESTED


def test_non_decider_post_is_forbidden(municipality):
    pending = MembershipFactory(municipality=municipality, requested=True)
    response = logged_in(UserFactory()).post(
        reverse("accounts:membership_confirm", args=[pending.pk])
    )
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == Membership.Status.REQUESTED


def test_withdraw_and_end_views(municipality, staff_editor):
    request = MembershipFactory(municipality=municipality, requested=True)
    logged_in(request.user).post(reverse("accounts:membership_withdraw", args=[request.pk]))
    assert not Membership.objects.filter(pk=request.pk).exists()
    active = MembershipFactory(municipality=municipality)
    assert (
        logged_in(active.user)
        .post(reverse("accounts:membership_end", args=[active.pk]))
        .status_code
        == 403
    )
    logged_in(staff_editor).post(reverse("accounts:membership_end", args=[active.pk]))
    active.refresh_from_db()
    assert active.status == Membership.Status.ENDED


def test_forged_post_without_csrf_token_is_rejected(municipality, staff_editor):
    pending = MembershipFactory(municipality=municipality, requested=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_editor)
    response = client.post(reverse("accounts:membership_confirm", args=[pending.pk]))
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == Membership.Status.REQUESTED


# --- Invitations ---------------------------------------------------------------------------


def test_invitation_create_and_revoke_views(
    municipality, staff_editor, django_capture_on_commit_callbacks
):
    client = logged_in(staff_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitation_create"),
            {"email": "neu@example.org", "municipality": municipality.name, "language": "de"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="neu@example.org")
    assert len(mail.outbox) == 1
    assert invitation.token in mail.outbox[0].body
    html = client.get(reverse("accounts:staff_memberships")).content.decode()
    assert "neu@example.org" in html
    client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_invitation_create_invalid_and_forbidden(municipality, staff_editor):
    response = logged_in(staff_editor).post(
        reverse("accounts:invitation_create"), {"email": "nope", "municipality": municipality.name}
    )
    assert response.status_code == 400
    response = logged_in(UserFactory(municipality=municipality)).post(
        reverse("accounts:invitation_create"),
        {"email": "x@example.org", "municipality": municipality.name, "language": "de"},
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def _accept_url(invitation) -> str:
    return reverse("accounts:invitation_accept", args=[invitation.token])


def test_invitation_accept_anonymous_is_asked_to_log_in(municipality, client):
    invitation = InvitationFactory(municipality=municipality, email="gast@example.org")
    response = client.get(_accept_url(invitation))
    html = response.content.decode()
    assert response.status_code == 200
    assert "gast@example.org" in html
    assert reverse("account_login") in html
    assert reverse("account_signup") in html
    response = client.post(_accept_url(invitation))
    assert not Membership.objects.exists()


@pytest.mark.parametrize("token", ["a%00b", "a.b", "%C3%A4"])
def test_invitation_link_with_a_token_we_never_make_is_404(client, token):
    """Tokens are URL-safe base64; a NUL byte used to reach PostgreSQL, which refuses it (500)."""
    assert client.get(f"/de/konto/einladung/{token}/").status_code == 404


def test_invitation_accept_flow(municipality):
    invitation = InvitationFactory(municipality=municipality, email="gast@example.org")
    person = UserFactory(email="gast@example.org")
    client = logged_in(person)
    html = client.get(_accept_url(invitation)).content.decode()
    assert "kern-alert" not in html
    assert 'class="pp-form"' in html
    response = client.post(_accept_url(invitation))
    assert response.status_code == 302
    assert Membership.objects.get(user=person).status == Membership.Status.ACTIVE


def test_invitation_accept_wrong_email_shows_message(municipality):
    invitation = InvitationFactory(municipality=municipality, email="gast@example.org")
    person = UserFactory(email="anders@example.org")
    client = logged_in(person)
    response = client.post(_accept_url(invitation), follow=True)
    assert "gast@example.org" in response.content.decode()
    assert not Membership.objects.filter(user=person).exists()


@pytest.mark.parametrize("state", ["expired", "revoked", "used"])
def test_invitation_accept_refused(municipality, state):
    extra = {
        "expired": {"expires_at": timezone.now() - timedelta(days=1)},
        "revoked": {"revoked_at": timezone.now()},
        "used": {"accepted_at": timezone.now()},
    }[state]
    invitation = InvitationFactory(municipality=municipality, email="gast@example.org", **extra)
    person = UserFactory(email="gast@example.org")
    client = logged_in(person)
    html = client.get(_accept_url(invitation)).content.decode()
    assert 'class="kern-alert kern-alert--warning"' in html
    client.post(_accept_url(invitation))
    assert not Membership.objects.filter(user=person).exists()


def test_invitation_unknown_token(client):
    assert client.get(reverse("accounts:invitation_accept", args=["nope"])).status_code == 404


# --- Personal data -------------------------------------------------------------------------


def test_data_export_downloads_own_data(municipality):
    person = UserFactory(email="ich@example.org")
    MembershipFactory(user=person, municipality=municipality)
    UserFactory(email="andere@example.org")
    response = logged_in(person).get(reverse("accounts:data_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == "ich@example.org"
    assert data["memberships"][0]["municipality"] == "Pfinztal"
    assert b"andere@example.org" not in response.content


def test_data_export_requires_login(client):
    assert client.get(reverse("accounts:data_export")).status_code == 302


def test_account_delete_wrong_password_keeps_account():
    person = UserFactory(email="bleibe@example.org")
    response = logged_in(person).post(reverse("accounts:account_delete"), {"password": "wrong"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.is_active and person.email == "bleibe@example.org"


def test_account_delete_anonymises_and_logs_out():
    person = UserFactory(email="gehe@example.org")
    client = logged_in(person)
    assert client.get(reverse("accounts:account_delete")).status_code == 200
    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == f"deleted-{person.pk}@anonymised.invalid"
    assert not person.is_active
    assert "_auth_user_id" not in client.session
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(person.pk) for s in Session.objects.all()
    )
    assert client.get(reverse("accounts:overview")).status_code == 302
    assert not client.login(email="gehe@example.org", password=PASSWORD)


def test_account_delete_forged_post_without_csrf_is_rejected():
    person = UserFactory(email="opfer@example.org")
    client = Client(enforce_csrf_checks=True)
    client.login(email="opfer@example.org", password=PASSWORD)
    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD})
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.is_active and person.email == "opfer@example.org"


# --- Staff MFA -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agency_admin", "agency_editor", "reviewer"])
def test_staff_without_second_factor_is_sent_to_set_it_up(role):
    response = logged_in(UserFactory(role=role)).get(reverse("accounts:overview"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize("role", ["agency_admin", "agency_editor", "reviewer"])
def test_staff_with_second_factor_passes(role):
    response = logged_in(UserFactory(role=role, mfa=True)).get(reverse("accounts:overview"))
    assert response.status_code == 200


def test_experts_and_registered_users_need_no_second_factor():
    assert (
        logged_in(UserFactory(role="expert")).get(reverse("accounts:overview")).status_code == 200
    )
    assert logged_in(UserFactory()).get(reverse("accounts:overview")).status_code == 200


def test_staff_without_second_factor_may_reach_the_setup_page():
    response = logged_in(UserFactory(role="agency_admin")).get(reverse("mfa_activate_totp"))
    # Either the form itself or allauth's re-authentication step, but no redirect loop.
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("account_reauthenticate"))
