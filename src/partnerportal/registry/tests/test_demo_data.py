from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, validate_totp_code
from allauth.mfa.utils import decrypt
from django.core.management import call_command
from django.db.models import Q

from partnerportal.accounts.models import Membership, User
from partnerportal.accounts.roles import Role, user_roles
from partnerportal.geo.models import Country
from partnerportal.registry.management.commands.demo_data import DEMO_PASSWORD, DEMO_TOTP_SECRET
from partnerportal.registry.management.commands.demo_totp import demo_totp_code
from partnerportal.registry.models import Municipality, Partnership, PartnershipStatusChange

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "municipalities": Municipality.objects.count(),
        "users": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "memberships": Membership.objects.count(),
        "authenticators": Authenticator.objects.count(),
        "partnerships": Partnership.objects.count(),
        "status_changes": PartnershipStatusChange.objects.count(),
        "countries": Country.objects.count(),
    }


def _run() -> str:
    out = StringIO()
    call_command("demo_data", stdout=out)
    return out.getvalue()


def test_demo_data_creates_everything_and_is_idempotent():
    output = _run()
    first = _counts()
    # advisory's demo_deployments adds Rheinland-Pfalz and its partnership with Kigali.
    assert first == {
        "municipalities": 75,
        "users": 7,
        "emails": 7,
        "memberships": 2,
        "authenticators": 3,
        "partnerships": 7,
        "status_changes": 7,
        "countries": 249,
    }
    _run()
    assert _counts() == first

    assert Municipality.objects.get(ags="05315000").name == "Köln"
    enzkreis = Municipality.objects.get(name="Enzkreis")
    assert (enzkreis.kind, enzkreis.ags) == (Municipality.Kind.KREIS, "08236000")
    kidira = Municipality.objects.get(name="Kidira")
    assert (kidira.country_id, kidira.kind, kidira.ags) == ("SN", Municipality.Kind.FOREIGN, None)

    # Coordinates only from the gazetteer; none invented for places it does not list.
    koeln = Municipality.objects.get(ags="05315000")
    assert (koeln.latitude, koeln.longitude) == (50.93333, 6.95)
    assert Municipality.objects.get(name="Pfinztal").latitude is None
    kyjiw = Municipality.objects.get(name="Kyjiw")
    assert (kyjiw.geonames_id, kyjiw.country_id) == (703448, "UA")
    assert not Municipality.objects.filter(name="Kyiv").exists()
    assert Municipality.objects.filter(source=Municipality.Source.GEONAMES).count() == 51

    def pair(german, partner):
        return Partnership.objects.involving(Municipality.objects.get(name=german)).get(
            Q(municipality_a__name=partner) | Q(municipality_b__name=partner)
        )

    cologne = pair("Köln", "Yarinacocha")
    assert (cologne.type, cologne.status, cologne.start_year) == (
        "klimapartnerschaft",
        "aktiv",
        2017,
    )
    assert cologne.status_changes.get().valid_from.isoformat() == "2017-10-01"
    assert pair("Pfinztal", "Kidira").type == "klimapartnerschaft"
    assert pair("Leipzig", "Kyjiw").start_year == 1961
    assert pair("Hildesheim", "Padang").start_year is None
    annaba = pair("Sindelfingen", "Annaba")
    assert (annaba.type, annaba.start_year) == ("projektpartnerschaft", 2016)
    assert [p.name for p in annaba.programmes.all()] == [
        "Kommunale Zusammenarbeit Maghreb-Deutschland"
    ]
    rachiine = pair("Kißlegg", "Rachiine")
    assert rachiine.status == "anbahnung"
    assert rachiine.programmes.get().slug == "ikkn"
    assert not Partnership.objects.involving(Municipality.objects.get(name="Hamburg")).exists()
    assert Country.objects.get(pk="SN").dac_income_group == "ldc"

    admin = User.objects.get(email="admin@demo.partnerportal.invalid")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(DEMO_PASSWORD)
    assert Role.AGENCY_ADMIN in user_roles(admin)
    koeln = User.objects.get(email="koeln@demo.partnerportal.invalid")
    assert Role.MUNICIPAL_EDITOR in user_roles(koeln)
    assert koeln.memberships.active().get().municipality.name == "Köln"
    person = User.objects.get(email="person@demo.partnerportal.invalid")
    assert user_roles(person) == {Role.REGISTERED}
    assert not EmailAddress.objects.filter(verified=False).exists()

    staff_with_totp = set(Authenticator.objects.values_list("user__email", flat=True))
    assert staff_with_totp == {
        "admin@demo.partnerportal.invalid",
        "redaktion@demo.partnerportal.invalid",
        "gutachter@demo.partnerportal.invalid",
    }
    authenticator = Authenticator.objects.get(user=admin)
    assert decrypt(authenticator.data["secret"]) == DEMO_TOTP_SECRET

    assert DEMO_TOTP_SECRET in output
    assert "demo_totp" in output
    for local in ("admin", "redaktion", "gutachter", "fachkraft", "koeln", "pfinztal", "person"):
        assert f"{local}@demo.partnerportal.invalid" in output


def test_demo_login_works_through_the_login_page(client):
    _run()
    response = client.post(
        "/de/konto/login/",
        {"login": "person@demo.partnerportal.invalid", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/de/konto/").status_code == 200


def test_demo_totp_prints_a_valid_code():
    out = StringIO()
    call_command("demo_totp", stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    assert validate_totp_code(DEMO_TOTP_SECRET, code)
    # The code follows the clock (one counter per 30-second period), from the one demo secret.
    assert demo_totp_code(at=0) == format_hotp_value(hotp_value(DEMO_TOTP_SECRET, 0))
    assert demo_totp_code(at=95) == format_hotp_value(hotp_value(DEMO_TOTP_SECRET, 3))
