"""What a twin towns import tells: the outcome (counts and the share of German sides resolved),
the reasons a side failed, and the CSV report of every row not imported as a partnership."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from partnerportal.core import csv as safe_csv

from ..outcome import ImportOutcome, number
from .reading import HEADER

if TYPE_CHECKING:
    from .reading import Row


@dataclass(slots=True)
class Failure:
    reason: str
    candidates: list[dict] = field(default_factory=list)


@dataclass
class TwinningsOutcome(ImportOutcome):
    rows: int = 0
    partnerships_created: int = 0
    partnerships_existing: int = 0
    municipalities_created: int = 0
    unverified_created: int = 0
    review_items_created: int = 0
    report_rows: int = 0
    german_rows: int = 0
    german_resolved: int = 0

    @property
    def german_rate(self) -> float:
        return self.german_resolved / self.german_rows if self.german_rows else 1.0

    def counts(self) -> dict:
        return {
            "rows": self.rows,
            "partnerships_created": self.partnerships_created,
            "partnerships_existing": self.partnerships_existing,
            "municipalities_created": self.municipalities_created,
            "unverified_created": self.unverified_created,
            "review_items_created": self.review_items_created,
            "report_rows": self.report_rows,
            "german_rows": self.german_rows,
            "german_resolved": self.german_resolved,
            "german_rate": round(self.german_rate, 4),
        }

    def headline(self) -> str:
        return _(
            "Partnerships: %(created)s created, %(existing)s already in the registry; "
            "municipalities: %(municipalities)s created, %(unverified)s of them unverified"
        ) % {
            "created": number(self.partnerships_created),
            "existing": number(self.partnerships_existing),
            "municipalities": number(self.municipalities_created),
            "unverified": number(self.unverified_created),
        }

    def details(self) -> list[str]:
        return [
            _(
                "Rows: %(rows)s; %(review)s new items in the review queue; %(report)s rows in "
                "the report."
            )
            % {
                "rows": number(self.rows),
                "review": number(self.review_items_created),
                "report": number(self.report_rows),
            },
            _(
                "German side resolved to an AGS municipality: %(resolved)s of %(rows)s rows "
                "with a German side (%(percent)s %%)."
            )
            % {
                "resolved": number(self.german_resolved),
                "rows": number(self.german_rows),
                "percent": number_format(self.german_rate * 100, decimal_pos=2),
            },
        ]

    def source(self) -> str:
        return self.run.file_name if self.run is not None else ""


def write_report_rows(writer, failures: list[tuple[Row, str, Failure]]) -> None:
    for row, side, failure in failures:
        candidates = "; ".join(
            f"{c['name']} ({c.get('ags') or c.get('id')}, {c.get('km')} km)"
            for c in failure.candidates
        )
        writer.writerow(
            [row.number, side, failure.reason, candidates, *(row.raw[h] for h in HEADER)]
        )


def write_report(path: Path, rows: IO[str], result: TwinningsOutcome) -> None:
    """CSV of every row not imported as a partnership: the original row, where and why (the
    rows as write_report_rows() wrote them, in the order of the file)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            f"# German side resolved to an AGS municipality: {result.german_resolved} of "
            f"{result.german_rows} rows with a German side ({result.german_rate:.2%})\n"
        )
        safe_csv.writer(handle).writerow(["row", "side", "reason", "candidates", *HEADER])
        shutil.copyfileobj(rows, handle)
