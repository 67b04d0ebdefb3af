"""`partnerportal import_twinnings PATH [--report FILE]`: partnerships from a twin towns list."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from partnerportal.registry.importers.errors import ImportFileError
from partnerportal.registry.importers.outcome import summary_lines
from partnerportal.registry.importers.twinnings import import_twinnings


class Command(BaseCommand):
    help = "Import partnerships from a twin towns list (city1,country1,lat1,lng1,city2,...)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="the twin towns CSV file")
        parser.add_argument("--report", help="CSV file for the rows that were not imported")

    def handle(self, *args, path: Path, report: str | None = None, **options) -> None:
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        interactive = self.stderr.isatty()
        started = time.perf_counter()
        try:
            outcome = import_twinnings(
                path, report=report, progress=self._progress if interactive else None
            )
        except (ImportFileError, OSError, ValidationError) as error:
            if interactive:
                self.stderr.write("")
            reason = " ".join(error.messages) if isinstance(error, ValidationError) else error
            raise CommandError(
                _("%(file)s was not imported: %(error)s") % {"file": path.name, "error": reason}
            ) from error
        if interactive:
            self.stderr.write("")
        for line in summary_lines(outcome, seconds=time.perf_counter() - started):
            self.stdout.write(line)

    def _progress(self, done: int, total: int) -> None:
        message = _("Resolving row %(done)s of %(total)s") % {"done": done, "total": total}
        self.stderr.write("\r" + message + "   ", ending="")
        self.stderr.flush()
