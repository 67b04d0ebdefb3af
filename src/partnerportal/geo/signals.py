"""After migrate: the countries with their regions and DAC status, and the staff's permission to
edit them (what `partnerportal load_countries` does; staff edits are kept)."""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, router

from partnerportal.core.setup import migrated, permissions_ensure

from .models import Country
from .services import countries_sync, country_permissions_ensure


def countries_after_migrate(
    sender, *, using: str = DEFAULT_DB_ALIAS, apps=global_apps, verbosity: int = 1, **kwargs
) -> None:
    if not migrated(apps, "geo.Country", "geo.HistoricalCountry", "auth.Group"):
        return
    if not router.allow_migrate_model(using, Country):
        return
    result = countries_sync()
    permissions_ensure(["geo"], using=using, apps=apps)
    country_permissions_ensure()
    if verbosity >= 2 or (verbosity >= 1 and (result.created or result.updated)):
        print(f"  Countries: {result.created} created, {result.updated} updated.")
