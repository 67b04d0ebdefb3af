"""Every way into a staff session passes the second factor in that session.

Each test walks one door with the password alone (Django's plain client and the real login,
reset, confirmation and invitation pages; nothing recorded by hand) and then knocks on every
staff page: none may answer. The last tests show that entering a code opens them, so the
refusals are the second factor's doing and not a broken page.
"""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
from django.urls import reverse

from partnerportal.accounts.tests.factories import (
    PASSWORD,
    InvitationFactory,
    MunicipalityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def staff_pages() -> list[tuple[str, str]]:
    """(method, path) of pages only staff may use; the audit trail of a real record."""
    municipality = MunicipalityFactory()
    history = reverse(
        "audit:history",
        kwargs={"app_label": "registry", "model_name": "municipality", "pk": municipality.pk},
    )
    return [
        ("get", "/admin/"),
        ("get", "/admin/pages/"),
        ("get", "/admin/users/"),
        ("get", reverse("registry:review_list")),
        ("get", reverse("registry:stale_list")),
        ("get", reverse("accounts:staff_memberships")),
        ("get", reverse("accounts:invitation_create")),
        ("get", history),
        ("post", f"{history}1/revert/"),
    ]


def assert_no_staff_page_answers(client: Client) -> None:
    answered = []
    for method, path in staff_pages():
        response = getattr(client, method)(path)
        if response.status_code < 300:
            answered.append(f"{method.upper()} {path} -> {response.status_code}")
        elif response.status_code in (301, 302):
            where = response["Location"]
            if not re.search(r"/konto/(login|2fa|reauthenticate)", where):
                answered.append(f"{method.upper()} {path} -> redirect to {where}")
    assert not answered, "staff pages answered without the second factor:\n" + "\n".join(answered)


def current_totp(secret: str) -> str:
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def logged_in_as(client: Client):
    from django.contrib.auth import get_user

    return get_user(client)


@pytest.fixture
def staff():
    return UserFactory(role="agency_admin", mfa=True)


def test_back_office_login_is_the_sites_login(staff):
    client = Client()
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/pages/"
    # The form Wagtail used to answer signs nobody in any more.
    response = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert not logged_in_as(client).is_authenticated
    assert client.get("/admin/")["Location"].startswith(reverse("account_login"))
    assert_no_staff_page_answers(client)


def test_back_office_password_reset_is_the_sites(staff):
    client = Client()
    response = client.get("/admin/password_reset/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password")
    client.post("/admin/password_reset/", {"email": staff.email})
    assert mail.outbox == []


def test_site_login_with_password_alone_stops_at_the_second_factor(staff):
    client = Client()
    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not logged_in_as(client).is_authenticated
    assert_no_staff_page_answers(client)


@pytest.mark.parametrize("login_on_reset", [False, True])
def test_password_reset_does_not_open_a_staff_session(staff, settings, login_on_reset):
    settings.ACCOUNT_LOGIN_ON_PASSWORD_RESET = login_on_reset
    client = Client()
    client.post(reverse("account_reset_password"), {"email": staff.email})
    link = re.search(r"https?://[^/\s]+(/\S+/password/reset/key/\S+/)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    response = client.get(link.group(1))
    form_url = response["Location"] if response.status_code == 302 else link.group(1)
    new_password = "another-long-passphrase-42"
    client.post(form_url, {"password1": new_password, "password2": new_password})
    staff.refresh_from_db()
    assert staff.check_password(new_password)
    assert_no_staff_page_answers(client)


def test_email_confirmation_does_not_open_a_staff_session(settings):
    settings.ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
    person = UserFactory(role="agency_editor", mfa=True, verified=False)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)
    client = Client()
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    link = re.search(r"https?://[^/\s]+(/\S+/confirm-email/\S+/)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    client.post(link.group(1))
    assert EmailAddress.objects.get(user=person).verified
    assert_no_staff_page_answers(client)


def test_invitation_link_leads_to_the_full_login(staff):
    invitation = InvitationFactory(email=staff.email)
    client = Client()
    accept = reverse("accounts:invitation_accept", kwargs={"token": invitation.token})
    response = client.get(accept)
    assert response.status_code == 200
    response = client.post(
        reverse("account_login"), {"login": staff.email, "password": PASSWORD, "next": accept}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.post(accept).status_code != 302 or not logged_in_as(client).is_authenticated
    assert_no_staff_page_answers(client)


def test_session_begun_before_the_person_became_staff():
    person = UserFactory()
    client = Client()
    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_as(client).is_authenticated
    person.groups.add(Group.objects.get(name="agency_editor"))
    # No second factor yet: every staff page leads to setting one up.
    assert client.get(reverse("registry:review_list"))["Location"] == reverse("mfa_activate_totp")
    assert_no_staff_page_answers(client)


def test_session_begun_before_the_person_became_staff_with_an_authenticator():
    person = UserFactory(mfa=True)
    client = Client()
    client.force_login(person)  # any login that recorded no second factor
    person.groups.add(Group.objects.get(name="reviewer"))
    response = client.get(reverse("registry:review_list"))
    assert response["Location"].startswith(reverse("mfa_reauthenticate") + "?next=")
    assert_no_staff_page_answers(client)


@pytest.mark.parametrize("kind", ["superuser", "django_staff", "back_office_permission"])
def test_everyone_who_reaches_the_back_office_needs_the_second_factor(kind):
    person = UserFactory()
    if kind == "superuser":
        person.is_superuser = True
        person.save()
    elif kind == "django_staff":
        person.is_staff = True
        person.save()
    else:
        group = Group.objects.create(name="back office only")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        person.groups.add(group)
    client = Client()
    client.force_login(person)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_half_signed_in_staff_use_the_api_as_the_public(staff):
    client = Client()
    client.force_login(staff)
    response = client.get("/api/v1/countries")
    assert response.status_code == 200


def test_the_code_opens_the_staff_pages(staff):
    """The counter-check: the same session, after a valid code, reaches a staff page."""
    client = Client()
    client.force_login(staff)
    review = reverse("registry:review_list")
    response = client.get(review)
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next={review}"
    response = client.post(
        response["Location"], {"code": current_totp(staff.totp_secret), "next": review}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == review
    assert client.get(review).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_the_full_login_opens_the_staff_pages(staff):
    client = Client()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp(staff.totp_secret)})
    assert response.status_code == 302
    assert client.get(reverse("registry:review_list")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_setting_up_the_second_factor_counts_for_the_session():
    """A new staff member types a code to set TOTP up: that session is then trusted. allauth
    announces the new authenticator once its transaction has committed, so this test commits
    (and puts back the role groups that an earlier transactional test's flush removed)."""
    import importlib

    from django.apps import apps

    importlib.import_module("partnerportal.accounts.migrations.0003_role_groups").create_groups(
        apps, None
    )
    person = UserFactory(role="agency_editor")
    client = Client()
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert client.get(reverse("registry:review_list"))["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    if page.status_code == 302:  # allauth asks for the password again before the set-up
        assert page["Location"].startswith(reverse("account_reauthenticate"))
        client.post(page["Location"], {"password": PASSWORD})
        page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200, page.status_code
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_totp(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get(reverse("registry:review_list")).status_code == 200
