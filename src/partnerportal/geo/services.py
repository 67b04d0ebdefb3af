"""Countries come from pycountry (ISO 3166 codes with German and English names); the world region
and the DAC status come from the versioned files in geo/data/."""

from __future__ import annotations

import csv
import gettext
from functools import cache
from pathlib import Path

import pycountry

from .models import Country

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def _german_names() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"], fallback=True)


def _regions() -> dict[str, str]:
    path = DATA_DIR / "world_regions.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return {row["iso2"]: row["world_region"] for row in csv.DictReader(handle)}


def country_defaults(iso2: str) -> dict:
    """Names and region of a country by its ISO code, for creating its row."""
    record = pycountry.countries.get(alpha_2=iso2.upper())
    if record is None:
        raise LookupError(f"unknown ISO 3166 alpha-2 code: {iso2!r}")
    name_en = getattr(record, "common_name", None) or record.name
    return {
        "iso3": record.alpha_3,
        "name_en": name_en,
        "name_de": _german_names().gettext(record.name),
        "world_region": _regions().get(record.alpha_2, ""),
    }


def country_ensure(iso2: str) -> Country:
    """The country row for an ISO code, created from pycountry when missing."""
    iso2 = iso2.upper()
    country = Country.objects.filter(pk=iso2).first()
    if country is None:
        country, _created = Country.objects.get_or_create(pk=iso2, defaults=country_defaults(iso2))
    return country
