"""Countries come from pycountry (ISO 3166 codes with German and English names); the world region
and the DAC status come from the versioned files in geo/data/ (see geo/data/README.md)."""

from __future__ import annotations

import csv
import gettext
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pycountry
from babel import Locale
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from partnerportal.accounts.roles import MANAGING_ROLES
from partnerportal.audit.services import attribute_change

from .actions import GeoAction
from .models import Country

DATA_DIR = Path(__file__).resolve().parent / "data"

#: The change reason of the sync's own saves: every other change of a country is a staff edit.
SYNC_ACTION = GeoAction.COUNTRY_SYNCED
#: The fields the data files provide (names come from pycountry).
SYNCED_FIELDS = (
    "iso3",
    "name_de",
    "name_en",
    "name_fr",
    "name_es",
    "name_ar",
    "name_uk",
    "world_region",
    "oda_recipient",
    "dac_income_group",
    "dac_list_years",
    "dac_note",
)
#: Staff in these groups may edit countries in the back office.
COUNTRY_EDITOR_GROUPS = MANAGING_ROLES
COUNTRY_PERMISSIONS = ("view_country", "change_country")


@cache
def _german_names() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"], fallback=True)


def _german_name(record) -> str:
    """The short German name where pycountry translates the common name ("Südkorea"), else the
    translation of the ISO name ("Vereinigte Staaten")."""
    translations = _german_names()
    catalog = getattr(translations, "_catalog", {})
    common = getattr(record, "common_name", None)
    if common and common in catalog:
        return translations.gettext(common)
    return translations.gettext(record.name)


#: The languages whose country names come from CLDR (Babel) rather than pycountry.
CLDR_NAME_LANGUAGES = ("fr", "es", "ar", "uk")


def cldr_names(iso2: str, *, fallback: str) -> dict[str, str]:
    """The country's short name in each of CLDR_NAME_LANGUAGES ("Sénégal", "السنغال"), as
    CLDR (Babel's locale data) gives it; `fallback` (the English name) where CLDR has none."""
    return {
        f"name_{language}": Locale.parse(language).territories.get(iso2) or fallback
        for language in CLDR_NAME_LANGUAGES
    }


def _read(name: str) -> dict[str, dict[str, str]]:
    path = DATA_DIR / name
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["iso2"]: row for row in csv.DictReader(handle)}


@cache
def _regions() -> dict[str, str]:
    return {iso2: row["world_region"] for iso2, row in _read("world_regions.csv").items()}


@cache
def _dac() -> dict[str, dict[str, str]]:
    return _read("dac_list.csv")


#: Codes that GeoNames and the twin-town lists use but ISO 3166 (pycountry) lacks: their names
#: here, their world region and DAC status in geo/data/ like those of every other country.
EXTRA_COUNTRIES = {
    "XK": {"iso3": "XKX", "name_en": "Kosovo", "name_de": "Kosovo"},
}


def country_defaults(iso2: str) -> dict:
    """Names, region and DAC status of a country by its ISO code (or one of EXTRA_COUNTRIES),
    for creating its row."""
    iso2 = iso2.upper()
    record = pycountry.countries.get(alpha_2=iso2)
    if record is not None:
        names = {
            "iso3": record.alpha_3,
            "name_en": getattr(record, "common_name", None) or record.name,
            "name_de": _german_name(record),
        }
    elif iso2 in EXTRA_COUNTRIES:
        names = dict(EXTRA_COUNTRIES[iso2])
    else:
        raise LookupError(f"unknown ISO 3166 alpha-2 code: {iso2!r}")
    dac = _dac().get(iso2, {})
    return {
        **names,
        **cldr_names(iso2, fallback=names["name_en"]),
        "world_region": _regions().get(iso2, ""),
        "oda_recipient": dac.get("oda_recipient") == "yes",
        "dac_income_group": dac.get("dac_income_group", ""),
        "dac_list_years": dac.get("dac_list_years", ""),
        "dac_note": dac.get("dac_note", ""),
    }


def country_ensure(iso2: str) -> Country:
    """The country row for an ISO code (or one of EXTRA_COUNTRIES), created with its names,
    region and DAC status when missing."""
    iso2 = iso2.upper()
    country = Country.objects.filter(pk=iso2).first()
    if country is None:
        country, _created = Country.objects.get_or_create(pk=iso2, defaults=country_defaults(iso2))
    return country


@dataclass
class CountrySyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: (iso2, field) pairs left as staff edited them.
    kept: list[tuple[str, str]] = field(default_factory=list)


def _staff_edited_fields() -> dict[str, set[str]]:
    """The fields of each country that someone other than the sync changed, from the history.

    Comparing consecutive history records is cheap for ~250 countries and needs no extra column:
    the history already knows who changed what."""
    edited: dict[str, set[str]] = {}
    previous: dict[str, object] = {}
    records = Country.history.order_by("iso2", "history_date", "history_id")
    for record in records.iterator():
        before = previous.get(record.iso2)
        if (
            before is not None
            and record.history_type == "~"
            and record.history_change_reason != SYNC_ACTION
        ):
            for name in SYNCED_FIELDS:
                if getattr(record, name) != getattr(before, name):
                    edited.setdefault(record.iso2, set()).add(name)
        previous[record.iso2] = record
    return edited


def countries_sync(*, actor=None, overwrite: bool = False) -> CountrySyncResult:
    """Create every ISO 3166 country and fill names, region and DAC status from the data files;
    rows of EXTRA_COUNTRIES (created by the imports where a place needs them) are filled too.

    A value a staff member changed stays unless `overwrite` is given: the shipped files are a
    starting point, staff corrections are the better knowledge."""
    result = CountrySyncResult()
    with transaction.atomic():
        existing = {country.pk: country for country in Country.objects.all()}
        edited = {} if overwrite else _staff_edited_fields()
        codes = [record.alpha_2 for record in pycountry.countries]
        codes += [iso2 for iso2 in EXTRA_COUNTRIES if iso2 in existing]
        new: list[Country] = []
        for iso2 in codes:
            wanted = country_defaults(iso2)
            country = existing.get(iso2)
            if country is None:
                new.append(Country(iso2=iso2, **wanted))
                continue
            changed = False
            for name, value in wanted.items():
                if getattr(country, name) == value:
                    continue
                if name in edited.get(iso2, ()):
                    result.kept.append((iso2, name))
                    continue
                setattr(country, name, value)
                changed = True
            if changed:
                attribute_change(country, actor=actor, action=SYNC_ACTION)
                country.save()
                result.updated += 1
            else:
                result.unchanged += 1
        # Written together (a fresh database gets all 249 at its first migrate, and again after
        # every flush of the tests): one statement for the rows, one for their history.
        bulk_create_with_history(
            new,
            Country,
            batch_size=500,
            default_user=actor if (actor is not None and actor.is_authenticated) else None,
            default_change_reason=SYNC_ACTION,
        )
        result.created = len(new)
    return result


def country_permissions_ensure() -> None:
    """Let agency administrators and editors view and edit countries in the back office
    (idempotent; the groups come from the accounts migration)."""
    from django.contrib.auth.models import Group, Permission

    permissions = list(
        Permission.objects.filter(content_type__app_label="geo", codename__in=COUNTRY_PERMISSIONS)
    )
    for group in Group.objects.filter(name__in=COUNTRY_EDITOR_GROUPS):
        group.permissions.add(*permissions)
