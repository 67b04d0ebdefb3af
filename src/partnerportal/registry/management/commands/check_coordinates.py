"""`partnerportal check_coordinates [--dry-run]`: every place's coordinates against its country's
outline; places outside it go to the review queue and leave the map (services/coordinates.py).
Also derives the position of Kreise that have none from their Gemeinden (importers/destatis.py).
Safe to run again: a place has one review item however often it is checked."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from partnerportal.registry.importers.destatis import kreis_centres_derive
from partnerportal.registry.services.coordinates import municipalities_coordinates_check


class Command(BaseCommand):
    help = (
        "Check every place's coordinates against its country's outline and move those outside "
        "it to the review queue; give Kreise without coordinates the centre of their Gemeinden."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="only report, change nothing")

    def handle(self, *args, dry_run: bool = False, verbosity: int = 1, **options) -> None:
        started = time.perf_counter()
        kreise = 0 if dry_run else kreis_centres_derive(actor=None)
        outcome = municipalities_coordinates_check(
            actor=None, progress=self._progress, dry_run=dry_run
        )
        self.stderr.write("")
        if verbosity >= 2:
            for pk, name, country, km in outcome.moved + outcome.flagged_official:
                self.stdout.write(f"{pk} {name} ({country}): {km:.0f} km")
        self.stdout.write(
            _(
                "Checked %(checked)s places: %(fitting)s in their country, %(unknown)s without "
                "an outline to check against, %(moved)s moved to the review queue%(dry)s, "
                "%(official)s official places (Destatis) listed there with their coordinates "
                "kept; %(kreise)s Kreise given the centre of their Gemeinden (%(seconds).1f s)."
            )
            % {
                "checked": outcome.checked,
                "fitting": outcome.fitting,
                "unknown": outcome.unknown,
                "moved": len(outcome.moved),
                "dry": _(" (dry run: nothing changed)") if dry_run else "",
                "official": len(outcome.flagged_official),
                "kreise": kreise,
                "seconds": time.perf_counter() - started,
            }
        )

    def _progress(self, done: int, total: int) -> None:
        self.stderr.write(
            "\r" + _("Checking place %(done)s of %(total)s") % {"done": done, "total": total},
            ending="",
        )
        self.stderr.flush()
