"""What an import did, told the same way by every import command, in the language of the person
running it: a headline with the time taken, the details, and where the data comes from."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..models import ImportRun


def number(value: int) -> str:
    """A count as people read it (11,088 or 11.088)."""
    return number_format(value, force_grouping=True)


@dataclass
class ImportOutcome:
    """The counts of one import run; each importer says what they mean."""

    run: ImportRun | None

    def counts(self) -> dict:
        """The counts kept on the ImportRun (for the record, not for people)."""
        raise NotImplementedError

    def headline(self) -> str:
        """What the import did to the registry, in one sentence without its full stop."""
        raise NotImplementedError

    def details(self) -> list[str]:
        """Further sentences worth reading: what was left out and why."""
        return []

    def source(self) -> str:
        """Where the data comes from (its publisher and licence, or the file)."""
        raise NotImplementedError


def summary_lines(outcome: ImportOutcome, *, seconds: float) -> list[str]:
    """The lines an import command prints, in this order for every importer."""
    return [
        _("%(headline)s (%(seconds).1f s).") % {"headline": outcome.headline(), "seconds": seconds},
        *outcome.details(),
        _("Source: %(source)s") % {"source": outcome.source()},
    ]
