"""Reads of countries that several apps share (the API, filters, the atlas)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Country


def country_list(*, region: str = "", oda_recipient: bool | None = None) -> QuerySet[Country]:
    """Countries in name order, optionally of one world region or by DAC status."""
    countries = Country.objects.all()
    if region:
        countries = countries.in_region(region)
    if oda_recipient is not None:
        countries = countries.filter(oda_recipient=oda_recipient)
    return countries.order_by("name_de")


def is_country_code(text: str) -> bool:
    """Two ASCII letters: anything else (a NUL byte, which PostgreSQL refuses in a query, among
    them) names no country and is not asked of the database."""
    return len(text) == 2 and text.isascii() and text.isalpha()


def country_get(*, iso2: str) -> Country | None:
    """One country by its ISO code (any case), or None."""
    if not is_country_code(iso2):
        return None
    return Country.objects.filter(pk=iso2.upper()).first()
