"""`partnerportal import_twinnings PATH [--report FILE]`: partnerships from a twin towns list."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from partnerportal.registry.importers.errors import ImportFileError
from partnerportal.registry.importers.twinnings import import_twinnings


class Command(BaseCommand):
    help = "Import partnerships from a twin towns list (city1,country1,lat1,lng1,city2,...)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--report", help="CSV file for the rows that were not imported")

    def handle(self, *args, path, report=None, **options):
        started = time.perf_counter()
        tty = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if tty:
                sys.stderr.write(f"\rrows resolved: {done}/{total}")
                if done == total:
                    sys.stderr.write("\n")
                sys.stderr.flush()

        try:
            result = import_twinnings(path, report=report, progress=progress)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(str(error)) from None
        counts = result.as_counts()
        self.stdout.write(
            "Rows: {rows}; partnerships created: {partnerships_created}, already there: "
            "{partnerships_existing}; municipalities created: {municipalities_created} "
            "(unverified: {unverified_created}); review items: {review_items_created}; "
            "rows in the report: {report_rows}.".format(**counts)
        )
        self.stdout.write(
            f"German side resolved to an AGS municipality: {result.german_resolved} of "
            f"{result.german_rows} rows with a German side ({result.german_rate:.2%})."
        )
        self.stdout.write(f"Time: {time.perf_counter() - started:.1f} s.")
