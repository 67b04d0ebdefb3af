"""Load or refresh the countries, their world regions and their DAC status (idempotent)."""

from django.core.management.base import BaseCommand

from partnerportal.geo.services import countries_sync, country_permissions_ensure


class Command(BaseCommand):
    help = (
        "Create every ISO 3166 country and fill world regions and the OECD DAC status from "
        "geo/data/. Keeps values staff edited unless --overwrite is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace values staff edited with those of the data files.",
        )

    def handle(self, *args, overwrite: bool = False, **options):
        result = countries_sync(overwrite=overwrite)
        country_permissions_ensure()
        self.stdout.write(
            f"Countries: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
        for iso2, name in result.kept:
            self.stdout.write(f"  kept the staff edit of {iso2}.{name} (use --overwrite)")
