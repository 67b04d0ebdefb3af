"""API tokens: the services (who may hold, make and revoke one; what a secret is worth), the
command line, the account page (shown once, revoke, second factor) and the person's data
(export, erasure). The API's side (401/403/429) is in api/tests/test_authentication.py."""

import hashlib
import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client as PlainClient
from django.urls import reverse
from django.utils import timezone

from partnerportal.accounts import services
from partnerportal.accounts.models import ApiToken
from partnerportal.accounts.roles import forget_roles
from partnerportal.accounts.tests.clients import Client
from partnerportal.audit.selectors import history_manager
from partnerportal.audit.services import change_revert

from .conftest import REAL_NOTIFICATION_SERVICES
from .factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(role="agency_editor", mfa=True, name="Erika Muster", language="de")


def make(user, name="Event calendar", **kwargs):
    return services.api_token_create(actor=user, user=user, name=name, **kwargs)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Who may hold a token ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "allowed"),
    [
        ({"role": "agency_admin", "mfa": True}, True),
        ({"role": "agency_editor", "mfa": True}, True),
        ({"role": "reviewer", "mfa": True}, True),
        ({"role": "expert"}, False),
        ({"municipality": "make"}, False),
        ({}, False),
    ],
)
def test_only_agency_staff_may_hold_tokens(kwargs, allowed):
    if kwargs.get("municipality") == "make":
        kwargs["municipality"] = MunicipalityFactory()
    person = UserFactory(**kwargs)
    if allowed:
        _token, secret = make(person)
        assert services.api_token_authenticate(secret) == person
    else:
        with pytest.raises(PermissionDenied):
            make(person)
        assert not ApiToken.objects.exists()


def test_nobody_makes_a_token_for_someone_else(staff):
    admin = UserFactory(role="agency_admin", mfa=True)
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=admin, user=staff, name="Impersonation")
    assert not ApiToken.objects.exists()


def test_an_inactive_account_gets_no_token(staff):
    staff.is_active = False
    staff.save()
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=None, user=staff, name="x")


# --- Creating ------------------------------------------------------------------------------


def test_create_stores_only_the_hash_and_a_prefix(staff):
    token, secret = make(staff, name="  Event   calendar ")
    assert secret.startswith("pp_") and len(secret) == services.API_TOKEN_LENGTH
    token.refresh_from_db()
    assert token.name == "Event calendar"
    assert token.prefix == secret[:11]
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    # The secret itself is in no column of the token nor of its history.
    for table in (ApiToken._meta.db_table, history_manager(ApiToken).model._meta.db_table):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (our own table names)
            assert not any(secret in str(value) for row in cursor.fetchall() for value in row)
    # A year by default.
    assert abs(token.expires_at - (timezone.now() + timedelta(days=365))) < timedelta(minutes=1)
    assert token.state == "active"


def test_two_tokens_have_different_secrets(staff):
    (_first, one), (_second, two) = make(staff), make(staff)
    assert one != two


@pytest.mark.parametrize(
    ("name", "expires_in", "code"),
    [
        ("", timedelta(days=30), "name_required"),
        ("   ", timedelta(days=30), "name_required"),
        ("x" * 101, timedelta(days=30), "name"),
        ("ok", timedelta(days=-1), "expires"),
        ("ok", timedelta(days=731), "expires_too_late"),
    ],
)
def test_create_refuses_bad_values_and_changes_nothing(staff, name, expires_in, code):
    with pytest.raises(ValidationError) as error:
        make(staff, name=name, expires_at=timezone.now() + expires_in)
    assert error.value.code == code
    assert not ApiToken.objects.exists()


def test_at_most_twenty_active_tokens(staff, monkeypatch):
    monkeypatch.setattr(services, "API_TOKEN_MAX_ACTIVE", 3)
    for number in range(3):
        make(staff, name=f"t{number}")
    with pytest.raises(ValidationError) as error:
        make(staff, name="one too many")
    assert error.value.code == "too_many"
    # A revoked one frees its place.
    services.api_token_revoke(actor=staff, token=ApiToken.objects.first())
    make(staff, name="now it fits")
    assert ApiToken.objects.active().filter(user=staff).count() == 3


def test_create_and_revoke_are_in_the_audit_trail(staff):
    token, _secret = make(staff)
    services.api_token_revoke(actor=staff, token=token)
    records = list(history_manager(ApiToken).filter(id=token.pk).order_by("history_id"))
    assert [(r.history_change_reason, r.history_user_id) for r in records] == [
        ("api_token.created", staff.pk),
        ("api_token.revoked", staff.pk),
    ]
    assert not hasattr(records[0], "secret_hash")


def test_a_revocation_cannot_be_reverted(staff):
    admin = UserFactory(role="agency_admin", mfa=True)
    token, secret = make(staff)
    services.api_token_revoke(actor=staff, token=token)
    revocation = history_manager(ApiToken).filter(id=token.pk).latest("history_id")
    with pytest.raises(ValidationError):
        change_revert(actor=admin, history_record=revocation, expected_version=None)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.api_token_authenticate(secret) is None


def test_the_person_is_told_by_mail_and_feed_even_when_they_made_it(
    staff, monkeypatch, django_capture_on_commit_callbacks
):
    from partnerportal.notifications.models import Activity

    monkeypatch.setattr(services, "notifications", REAL_NOTIFICATION_SERVICES)
    with django_capture_on_commit_callbacks(execute=True):
        token, secret = make(staff, name="Einsatzplanung")
    activity = Activity.objects.get(recipient=staff, event="api_token.created")
    assert activity.read_at is None  # in the feed, unread
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff.email]
    assert "API-Token" in message.subject  # German: the person's language
    assert "Einsatzplanung" in message.body and token.prefix in message.body
    assert "Kontoseite" in message.body
    html = message.alternatives[0][0]
    assert secret not in message.body and secret not in html and secret not in message.subject


def test_the_command_line_says_so_in_the_mail(
    staff, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "notifications", REAL_NOTIFICATION_SERVICES)
    staff.language = "en"
    staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.api_token_create(actor=None, user=staff, name="Sync")
    assert "command line" in mail.outbox[0].body


# --- What a secret is worth ----------------------------------------------------------------


def test_authenticate_matrix(staff):
    _valid_token, valid = make(staff, name="valid")
    revoked_token, revoked = make(staff, name="revoked")
    services.api_token_revoke(actor=staff, token=revoked_token)
    expired_token, expired = make(staff, name="expired")
    ApiToken.objects.filter(pk=expired_token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert services.api_token_authenticate(valid) == staff
    assert services.api_token_check(revoked).problem == "revoked"
    assert services.api_token_check(expired).problem == "expired"
    for wrong in (
        "",
        "pp_",
        valid[:-1],
        valid[:-1] + ("A" if valid[-1] != "A" else "B"),
        valid.upper(),
        "x" * 46,
        valid + "x",
    ):
        assert services.api_token_check(wrong).problem == "invalid", wrong
        assert services.api_token_authenticate(wrong) is None


def test_a_closed_account_authenticates_nothing(staff):
    _token, secret = make(staff)
    staff.is_active = False
    staff.save()
    assert services.api_token_check(secret).problem == "invalid"


def test_losing_the_role_stops_the_token_and_regaining_it_restores_it(staff):
    _token, secret = make(staff)
    staff.groups.remove(Group.objects.get(name="agency_editor"))
    check = services.api_token_check(secret)
    assert check.problem == "not_permitted" and check.user == staff
    assert services.api_token_authenticate(secret) is None
    staff.groups.add(Group.objects.get(name="reviewer"))
    forget_roles(staff)
    assert services.api_token_authenticate(secret) == staff


def test_last_use_is_written_at_most_once_a_minute(staff, django_assert_num_queries):
    token, secret = make(staff)
    assert token.last_used_at is None
    services.api_token_authenticate(secret)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    # Within the minute: the lookup and the role check, no write.
    with django_assert_num_queries(3):
        services.api_token_authenticate(secret)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(seconds=61))
    services.api_token_authenticate(secret)
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(seconds=61)


# --- Revoking ------------------------------------------------------------------------------


def test_revoke_by_holder_admin_and_not_by_other_staff(staff):
    colleague = UserFactory(role="agency_editor", mfa=True)
    admin = UserFactory(role="agency_admin", mfa=True)
    first, first_secret = make(staff, name="first")
    second, _ = make(staff, name="second")
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=colleague, token=first)
    assert services.api_token_authenticate(first_secret) == staff
    services.api_token_revoke(actor=staff, token=first)
    assert services.api_token_authenticate(first_secret) is None
    services.api_token_revoke(actor=admin, token=second)
    second.refresh_from_db()
    assert second.revoked_at is not None
    with pytest.raises(ValidationError):
        services.api_token_revoke(actor=staff, token=first)


# --- The command line ----------------------------------------------------------------------


def test_command_prints_the_token_alone_on_its_last_line(staff):
    out = io.StringIO()
    call_command(
        "api_token", staff.email.upper(), "--name", "Kalender", "--expires", "30", stdout=out
    )
    lines = out.getvalue().splitlines()
    secret = lines[-1]
    assert len(lines) > 1 and "shown only once" in out.getvalue()
    assert secret == secret.strip() and secret.startswith("pp_")
    assert services.api_token_authenticate(secret) == staff
    token = ApiToken.objects.get(user=staff)
    assert token.name == "Kalender"
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert all(secret not in line for line in lines[:-1])


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["nobody@example.org"], "No account"),
        (["{registered}"], "not agency staff"),
        (["{staff}", "--expires", "0"], "between 1 and 730"),
        (["{staff}", "--expires", "731"], "between 1 and 730"),
        (["{staff}", "--name", "x" * 101], "too long"),
    ],
)
def test_command_refusals_exit_1_and_create_nothing(staff, argv, words):
    """A CommandError is what makes `partnerportal` exit with its returncode (1) and print the
    message to stderr (BaseCommand.run_from_argv, which also closes the test's connection)."""
    registered = UserFactory()
    argv = [a.format(staff=staff.email, registered=registered.email) for a in argv]
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("api_token", *argv, stdout=out)
    assert error.value.returncode == 1
    assert words in str(error.value) and "Nothing created" in str(error.value)
    assert out.getvalue() == ""
    assert not ApiToken.objects.exists()


# --- The account page ----------------------------------------------------------------------


def test_page_is_for_agency_staff_only(client):
    url = reverse("accounts:api_tokens")
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    for person in (
        UserFactory(),
        UserFactory(role="expert"),
        UserFactory(municipality=MunicipalityFactory()),
    ):
        assert logged_in(person).get(url).status_code == 403
        assert logged_in(person).post(url, {"name": "x", "lifetime": "30"}).status_code == 403
    assert not ApiToken.objects.exists()
    for role in ("agency_admin", "agency_editor", "reviewer"):
        assert logged_in(UserFactory(role=role, mfa=True)).get(url).status_code == 200


def test_overview_links_the_tokens_for_staff_only(staff):
    url = reverse("accounts:overview")
    tokens_url = reverse("accounts:api_tokens")
    make(staff)
    html = logged_in(staff).get(url).content.decode()
    assert f'href="{tokens_url}"' in html and "1 aktives API-Token" in html
    assert tokens_url not in logged_in(UserFactory()).get(url).content.decode()


def test_page_shows_the_new_secret_once(staff):
    client = logged_in(staff)
    url = reverse("accounts:api_tokens")
    response = client.post(url, {"name": "Veranstaltungskalender", "lifetime": "90"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=staff)
    secret = response.context["secret"]
    html = response.content.decode()
    assert f">{secret}</textarea>" in html
    assert "nur dieses eine Mal" in html
    assert services.api_token_authenticate(secret) == staff
    assert abs(token.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    # Never again: the list shows the name and prefix only.
    again = client.get(url).content.decode()
    assert secret not in again
    assert "Veranstaltungskalender" in again and f"{token.prefix}…" in again


def test_page_refuses_bad_input_and_creates_nothing(staff):
    client = logged_in(staff)
    response = client.post(reverse("accounts:api_tokens"), {"name": "", "lifetime": "9999"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
    assert "secret" not in response.context or response.context["secret"] is None


def test_page_needs_the_second_factor_in_this_session(staff):
    """A session with the password alone: the middleware sends staff to the second factor."""
    client = PlainClient()
    client.force_login(staff)
    response = client.post(reverse("accounts:api_tokens"), {"name": "x", "lifetime": "30"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert not ApiToken.objects.exists()


def test_page_needs_the_second_factor_even_when_staff_need_not_use_it(staff, settings):
    settings.PARTNERPORTAL_STAFF_MFA_REQUIRED = False
    client = PlainClient()
    client.force_login(staff)
    url = reverse("accounts:api_tokens")
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()  # no form, a link to confirm instead
    assert reverse("mfa_reauthenticate") in page.content.decode()
    response = client.post(url, {"name": "x", "lifetime": "30"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate") + "?next=")
    assert not ApiToken.objects.exists()
    # Without an authenticator: set one up first.
    newcomer = UserFactory(role="reviewer")
    client.force_login(newcomer)
    response = client.post(url, {"name": "x", "lifetime": "30"})
    assert response["Location"] == reverse("mfa_activate_totp")
    assert not ApiToken.objects.exists()


def test_revoke_asks_first_then_revokes(staff):
    token, secret = make(staff)
    client = logged_in(staff)
    url = reverse("accounts:api_token_revoke", args=[token.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert token.name in confirm.content.decode() and 'method="post"' in confirm.content.decode()
    assert services.api_token_authenticate(secret) == staff  # asking changed nothing
    response = client.post(url)
    assert response["Location"] == reverse("accounts:api_tokens")
    assert services.api_token_authenticate(secret) is None
    listing = client.get(reverse("accounts:api_tokens")).content.decode()
    assert "widerrufen" in listing
    assert url not in listing  # no second revoke button
    again = client.post(url, follow=True)
    assert "bereits widerrufen" in again.content.decode()


def test_nobody_revokes_someone_elses_token_on_the_page(staff):
    token, secret = make(staff)
    other = UserFactory(role="agency_admin", mfa=True)
    url = reverse("accounts:api_token_revoke", args=[token.pk])
    assert logged_in(other).get(url).status_code == 404
    assert logged_in(other).post(url).status_code == 404
    assert services.api_token_authenticate(secret) == staff


def test_page_queries_are_bounded(staff, django_assert_max_num_queries):
    for number in range(15):
        make(staff, name=f"token {number}")
    client = logged_in(staff)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("accounts:api_tokens"))
    assert response.content.decode().count("data-token=") == 15


# --- The person's data ---------------------------------------------------------------------


def test_export_lists_the_tokens_without_hash(staff):
    token, secret = make(staff, name="Kalender")
    services.api_token_revoke(actor=staff, token=token)
    make(staff, name="Einsätze")
    exported = json.loads(services.account_export_json(actor=staff, user=staff))
    rows = exported["api_tokens"]
    assert [(row["name"], row["state"]) for row in rows] == [
        ("Kalender", "revoked"),
        ("Einsätze", "active"),
    ]
    assert set(rows[0]) == {
        "name",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
        "state",
    }
    text = json.dumps(exported)
    assert token.secret_hash not in text and secret not in text


def test_erasure_deletes_the_tokens(staff):
    _token, secret = make(staff)
    services.account_delete(actor=staff, user=staff)
    assert not ApiToken.objects.filter(user=staff).exists()
    assert services.api_token_authenticate(secret) is None
    deleted = history_manager(ApiToken).filter(history_type="-")
    assert [r.history_change_reason for r in deleted] == ["api_token.deleted"]


def test_dead_tokens_are_deleted_after_ninety_days(staff):
    from partnerportal.accounts import tasks

    now = timezone.now()
    _alive, _ = make(staff, name="alive")
    recently_revoked, _ = make(staff, name="recently revoked")
    long_revoked, _ = make(staff, name="long revoked")
    long_expired, _ = make(staff, name="long expired")
    ApiToken.objects.filter(pk=recently_revoked.pk).update(revoked_at=now - timedelta(days=89))
    ApiToken.objects.filter(pk=long_revoked.pk).update(revoked_at=now - timedelta(days=91))
    ApiToken.objects.filter(pk=long_expired.pk).update(expires_at=now - timedelta(days=91))
    assert tasks.api_tokens_purge_dead.call() == 2
    assert set(ApiToken.objects.values_list("name", flat=True)) == {"alive", "recently revoked"}
