"""`partnerportal import_per_diem PATH`: the BMF per-diem rate table (yearly). Every row is
checked first; a file with any bad row is refused whole (exit 1, every problem with its line and
field). The new table is in force for the years it covers; older tables stay for the record."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from partnerportal.funding.services import per_diem_table_import
from partnerportal.registry.importers.errors import ImportFileError


class Command(BaseCommand):
    help = "Import the BMF per-diem rates for trips abroad (one table per file)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="the rate table as CSV")

    def handle(self, *args, path: Path, verbosity: int = 1, **options) -> None:
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        interactive = self.stderr.isatty()
        try:
            outcome = per_diem_table_import(
                actor=None,
                path=path,
                source_name=path.name,
                progress=self._progress if interactive else None,
            )
        except ImportFileError as error:
            if interactive:
                self.stderr.write("")
            raise CommandError(
                _("%(file)s was not imported, nothing was changed:\n%(error)s")
                % {"file": path.name, "error": error}
            ) from error
        if interactive:
            self.stderr.write("")
        table = outcome.table
        self.stdout.write(
            _("Imported %(rows)s rates from %(file)s as table %(id)s.")
            % {"rows": table.row_count, "file": table.source_name, "id": table.pk}
        )
        for year, rows in outcome.rows_per_year.items():
            self.stdout.write(_("  %(year)s: %(rows)s rates") % {"year": year, "rows": rows})
        self.stdout.write(
            _("Countries: %(countries)s, listed cities: %(cities)s.")
            % {"countries": outcome.countries, "cities": outcome.cities}
        )
        for year, old in sorted(outcome.superseded.items()):
            self.stdout.write(
                _("%(year)s: replaces table %(old)s (kept for the record).")
                % {"year": year, "old": old}
            )

    def _progress(self, phase: str, done: int, total: int) -> None:
        if phase == "read":
            message = _("Checking line %(done)s of %(total)s") % {"done": done, "total": total}
        else:
            message = _("Writing rate %(done)s of %(total)s") % {"done": done, "total": total}
        self.stderr.write("\r" + message + "   ", ending="")
        self.stderr.flush()
