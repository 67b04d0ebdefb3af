"""`partnerportal import_municipalities PATH`: the German municipalities from the Destatis
Gemeindeverzeichnis. Safe to run again: it updates in place by AGS and says what changed."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from partnerportal.registry.importers.destatis import municipalities_import
from partnerportal.registry.importers.errors import ImportFileError
from partnerportal.registry.importers.outcome import summary_lines


def _value(value) -> str:
    return "–" if value is None or value == "" else str(value)


class Command(BaseCommand):
    help = "Import or update the German municipalities from the Destatis Gemeindeverzeichnis."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="the Gemeindeverzeichnis CSV file")

    def handle(self, *args, path: Path, verbosity: int = 1, **options) -> None:
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        interactive = self.stderr.isatty()
        progress = self._progress if interactive else None
        started = time.perf_counter()
        try:
            outcome = municipalities_import(actor=None, path=path, progress=progress)
        except ImportFileError as error:
            if interactive:
                self.stderr.write("")
            raise CommandError(
                _("%(file)s was not imported: %(error)s") % {"file": path.name, "error": error}
            ) from error
        seconds = time.perf_counter() - started
        if interactive:
            self.stderr.write("")
        if verbosity >= 2:
            for ags, (name, changes) in sorted(outcome.changes.items()):
                described = "; ".join(
                    f"{field_name}: {_value(old)} → {_value(new)}"
                    for field_name, old, new in changes
                )
                self.stdout.write(f"{ags} {name}: {described}")
        for line in summary_lines(outcome, seconds=seconds):
            self.stdout.write(line)

    def _progress(self, phase: str, done: int, total: int) -> None:
        if phase == "read":
            message = _("Reading line %(done)s of %(total)s") % {"done": done, "total": total}
        else:
            message = _("Writing municipality %(done)s of %(total)s") % {
                "done": done,
                "total": total,
            }
        self.stderr.write("\r" + message + "   ", ending="")
        self.stderr.flush()
