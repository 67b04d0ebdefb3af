"""Six languages: German first, English beside it, French, Spanish, Arabic (right to left) and
Ukrainian for people from partner municipalities. The interface in each, the switch between
them, their formats and names, and the checks that keep the catalogues complete."""

import re
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from partnerportal.accounts.tests.factories import MunicipalityFactory, UserFactory
from partnerportal.core.dates import display_date, display_datetime
from partnerportal.core.i18n import localized_name, name_field
from partnerportal.core.templatetags.partnerportal import money, number

ROOT = Path(__file__).resolve().parents[4]
LANGUAGES = ["de", "en", "fr", "es", "ar", "uk"]
OWN_NAMES = {
    "de": "Deutsch",
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "uk": "Українська",
}


def test_german_first_english_second_then_the_partner_languages():
    assert [code for code, _name in settings.LANGUAGES] == LANGUAGES
    assert settings.LANGUAGE_CODE == "de"
    assert [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES] == LANGUAGES
    # The back office stays German and English (README: Languages).
    assert [code for code, _name in settings.WAGTAILADMIN_PERMITTED_LANGUAGES] == ["de", "en"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "name", ["content:home", "registry:partnership_list", "atlas:map", "account_login"]
)
def test_every_language_answers_under_its_prefix(client, site, language, name):
    with translation.override(language):
        url = reverse(name)
    assert url.startswith(f"/{language}/")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    # Only right-to-left pages load the mirrored KERN rules.
    assert ("core/rtl" in html) is (language == "ar")


@pytest.mark.django_db
def test_the_switcher_offers_every_language_by_its_own_name(client, site):
    html = client.get("/ar/register/partnerschaften/?country=SN").content.decode()
    switcher = html[html.index('class="pp-language"') : html.index("</nav>")]
    for code, own_name in OWN_NAMES.items():
        if code == "ar":
            assert f'aria-current="true" lang="ar" dir="rtl">{own_name}</span>' in switcher
        else:
            link = re.search(rf'<a [^>]*hreflang="{code}"[^>]*>([^<]+)</a>', switcher)
            assert link is not None, code
            assert link.group(1) == own_name
            assert f'href="/{code}/register/partnerschaften/?country=SN"' in link.group(0)
            assert f'lang="{code}"' in link.group(0)
    # In their order: German first.
    positions = [switcher.index(name) for name in OWN_NAMES.values()]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_a_page_not_yet_translated_marks_its_text_with_its_own_language(client, site):
    html = client.get("/ar/").content.decode()
    heading = re.search(r"<h1[^>]*>", html).group(0)
    assert 'lang="de"' in heading
    assert 'dir="ltr"' in heading
    # The English home page exists: no marking there.
    english = client.get("/en/").content.decode()
    assert 'lang="de"' not in re.search(r"<h1[^>]*>", english).group(0)


@pytest.mark.parametrize(
    ("language", "expected_number", "expected_money"),
    [
        ("fr", "12\u202f345,5", "1\u202f234,50\xa0€"),
        ("es", "12.345,5", "1.234,50\xa0€"),
        # Arabic with Latin digits (README: Languages), the separators of CLDR's "ar".
        ("ar", "12,345.5", "\u200f1,234.50\xa0€"),
        ("uk", "12\xa0345,5", "1\xa0234,50\xa0EUR"),
    ],
)
def test_numbers_follow_the_partner_locales(language, expected_number, expected_money):
    with translation.override(language):
        assert number(12345.5) == expected_number
        assert money(1234.5) == expected_money


@pytest.mark.parametrize(
    ("language", "long", "moment"),
    [
        ("fr", "22 novembre 2026", "22 nov. 2026, 14:05"),
        ("es", "22 de noviembre de 2026", "22 nov 2026, 14:05"),
        ("ar", "22 نوفمبر 2026", "22\u200f/11\u200f/2026، 2:05 م"),
        ("uk", "22 листопада 2026\u202fр.", "22 лист. 2026\u202fр., 14:05"),
    ],
)
def test_dates_follow_the_partner_locales(language, long, moment):
    with translation.override(language):
        assert display_date(date(2026, 11, 22)) == long
        # Stored in UTC, shown in the portal's time zone.
        assert display_datetime(datetime(2026, 11, 22, 13, 5, tzinfo=ZoneInfo("UTC"))) == moment


def test_arabic_figures_use_latin_digits():
    with translation.override("ar"):
        text = number(1234567) + display_date(date(2026, 11, 22), "short")
    assert not re.search("[\u0660-\u0669\u06f0-\u06f9]", text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "senegal"),
    [
        ("de", "Senegal"),
        ("en", "Senegal"),
        ("fr", "Sénégal"),
        ("es", "Senegal"),
        ("ar", "السنغال"),
        ("uk", "Сенегал"),
    ],
)
def test_country_names_in_every_language(language, senegal):
    from partnerportal.geo.models import Country

    country = Country.objects.get(pk="SN")
    with translation.override(language):
        assert country.name == senegal
        assert Country.objects.filter(pk="SN").values_list(name_field(), flat=True)[0] == senegal


@pytest.mark.django_db
def test_country_names_in_the_registrys_filter(client, site):
    html = client.get("/uk/register/partnerschaften/").content.decode()
    assert ">Південна Корея</option>" in html or "Південна Корея" in html
    assert "Сенегал" in html


@pytest.mark.django_db
def test_themes_without_a_column_for_the_language_read_english():
    from partnerportal.registry.models import Theme

    theme = Theme.objects.exclude(name_en="").first()
    if theme is None:
        pytest.skip("no themes in this database")
    with translation.override("ar"):
        assert localized_name(theme) == theme.name_en
    with translation.override("de"):
        assert localized_name(theme) == theme.name_de


# --- E-mails in the recipient's language --------------------------------------------------------


@pytest.mark.django_db
def test_notifications_reach_arabic_and_ukrainian_readers_in_their_language(
    django_capture_on_commit_callbacks,
):
    from partnerportal.notifications.events import Event
    from partnerportal.notifications.services import notify

    arabic, ukrainian = UserFactory(language="ar"), UserFactory(language="uk")
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        notify(
            event=Event.MEMBERSHIP_CONFIRMED,
            recipients=[arabic, ukrainian],
            target=MunicipalityFactory(name="Kidira"),
        )
    by_recipient = {message.to[0]: message for message in mail.outbox}
    to_arabic = by_recipient[arabic.email]
    assert '<html lang="ar" dir="rtl">' in to_arabic.alternatives[0].content
    assert "/ar/aktivitaet/" in to_arabic.body
    to_ukrainian = by_recipient[ukrainian.email]
    assert '<html lang="uk" dir="ltr">' in to_ukrainian.alternatives[0].content
    assert "/uk/aktivitaet/" in to_ukrainian.body


@pytest.mark.django_db
def test_a_password_reset_asked_from_a_german_page_arrives_in_the_persons_language(
    client, site, django_capture_on_commit_callbacks
):
    person = UserFactory(language="uk", verified=True)
    with translation.override("de"):
        url = reverse("account_reset_password")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": person.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    with translation.override("uk"):
        expected = translation.gettext("Password Reset Email")
    assert expected != "Password Reset Email"
    assert expected in message.subject


@pytest.mark.django_db
def test_the_back_office_keeps_german_for_a_partner_language(site):
    from wagtail.users.models import UserProfile

    person = UserFactory(role="agency_editor", language="ar")
    assert UserProfile.get_for_user(person).preferred_language == ""
    person.language = "en"
    person.save()
    assert UserProfile.get_for_user(person).preferred_language == "en"


@pytest.mark.django_db
def test_the_account_page_offers_every_language(client, site):
    person = UserFactory(language="de")
    client.force_login(person)
    with translation.override("fr"):
        url = reverse("accounts:overview")
    html = client.get(url).content.decode()
    for code in LANGUAGES:
        assert f'value="{code}"' in html


# --- The catalogues and their checks -------------------------------------------------------------


def test_makemessages_extracts_every_language_of_the_settings():
    makefile = (ROOT / "Makefile").read_text()
    line = next(row for row in makefile.splitlines() if "makemessages -l" in row)
    assert re.findall(r"-l (\w+)", line) == LANGUAGES


@pytest.fixture
def checks():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import check_translations

        yield check_translations
    finally:
        sys.path.remove(str(ROOT / "scripts"))


@pytest.mark.parametrize(
    ("language", "header", "wrong"),
    [
        (
            "ar",
            "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
            "n%100>=11 && n%100<=99 ? 4 : 5;",
            False,
        ),
        ("ar", "nplurals=2; plural=(n != 1);", True),
        (
            "uk",
            "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
            "(n%100<10 || n%100>=20) ? 1 : 2);",
            False,
        ),
        # Django's own Ukrainian rule: a fourth form for fractions that no translator fills.
        (
            "uk",
            "nplurals=4; plural=(n % 1 == 0 && n % 10 == 1 && n % 100 != 11 ? 0 : "
            "n % 1 == 0 && n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : "
            "n % 1 == 0 && (n % 10 ==0 || (n % 10 >=5 && n % 10 <=9) || (n % 100 >=11 && "
            "n % 100 <=14 )) ? 2: 3);",
            True,
        ),
        ("fr", "nplurals=2; plural=(n > 1);", False),
        ("fr", "nplurals=2; plural=(n != 1);", True),
        ("es", "nplurals=2; plural=(n != 1);", False),
        ("de", None, True),
    ],
)
def test_the_plural_rule_of_each_catalogue_is_checked(checks, language, header, wrong):
    assert (checks.plural_problem(header, language) is not None) is wrong


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalogue_exists_with_the_right_plural_rule(checks, language):
    from babel.messages.pofile import read_po

    po_path = ROOT / "src/partnerportal/locale" / language / "LC_MESSAGES/django.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    assert checks.plural_problem(dict(catalog.mime_headers).get("Plural-Forms"), language) is None
    assert str(catalog.locale) == language


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["record", "no page"])
def test_the_switcher_links_what_djangos_translate_url_gives(client, site, kind):
    """The switcher resolves the address once (the handler's match) and reverses it per
    language; Django's `translate_url`, which resolves it again for each, gives the same."""
    from django.urls import translate_url
    from django.utils.translation import override

    if kind == "record":
        with override("de"):
            path = reverse("registry:municipality_detail", args=[MunicipalityFactory().pk])
    else:
        path = "/de/gibt-es-nicht/"
    html = client.get(f"{path}?seite=2").content.decode()
    switcher = html[html.index('class="pp-language"') : html.index("</nav>")]
    for code in OWN_NAMES:
        if code == "de":
            continue
        with override("de"):
            expected = translate_url(f"{path}?seite=2", code)
        assert expected.startswith(f"/{code}/")
        assert f'href="{expected}"' in switcher, code
