"""`partnerportal import_articles FILE [--skip-invalid] [--parent PAGE] [--draft]`: a news archive
from JSON Lines (content/importers.py does the work; this only parses the arguments)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from partnerportal.content.importers import ArticleImportRefused, articles_import
from partnerportal.registry.importers.errors import ImportFileError
from partnerportal.registry.importers.outcome import number, summary_lines


class Command(BaseCommand):
    help = "Import news articles from a JSON Lines file (one article per line)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="the JSON Lines file")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the good lines and report the bad ones (default: import nothing)",
        )
        parser.add_argument(
            "--parent",
            help="id or slug of the article list to import into (default: the news list of "
            "each line's language)",
        )
        parser.add_argument(
            "--draft", action="store_true", help="save as drafts instead of publishing"
        )

    def handle(self, *args, path: Path, skip_invalid: bool, parent, draft: bool, **options):
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        started = time.perf_counter()
        try:
            outcome = articles_import(
                path,
                parent=parent,
                skip_invalid=skip_invalid,
                draft=draft,
                progress=self._progress,
            )
        except ArticleImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _(
                    "%(file)s was not imported: %(count)s lines are bad (listed above). Correct "
                    "them, or import the good lines with --skip-invalid."
                )
                % {"file": path.name, "count": number(len(refused.errors))}
            ) from refused
        except (ImportFileError, OSError) as error:
            raise CommandError(
                _("%(file)s was not imported: %(error)s") % {"file": path.name, "error": error}
            ) from error
        for line in summary_lines(outcome, seconds=time.perf_counter() - started):
            self.stdout.write(line)

    def _progress(self, stage: str, done: int) -> None:
        if stage == "checked":
            message = _("%(count)s lines checked") % {"count": number(done)}
        else:
            message = _("%(count)s articles written") % {"count": number(done)}
        self.stderr.write(message)
