"""Reads for the staff's review pages and dashboard: one selector per figure, used by the page
and by its export alike, each one grouped query (the benchmark holds them under 100 ms with
10,000 applications: bench/funding.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from .models import (
    Application,
    ApplicationState,
    Decision,
    DecisionOutcome,
    FinalReport,
    FundingInstrument,
    PaymentRequest,
    PaymentState,
    ReportState,
)


@dataclass(frozen=True)
class ApplicationFilters:
    state: str = ""
    programme: int | None = None
    instrument: int | None = None
    #: an instrument deadline (ISO date), or "rolling" for instruments without one
    deadline: str = ""


def application_list(filters: ApplicationFilters) -> QuerySet[Application]:
    """Submitted applications (no drafts) for the staff list, newest submission first."""
    rows = Application.objects.exclude(state=ApplicationState.DRAFT)
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.programme:
        rows = rows.filter(instrument__programme_id=filters.programme)
    if filters.instrument:
        rows = rows.filter(instrument_id=filters.instrument)
    if filters.deadline == "rolling":
        rows = rows.filter(instrument__deadline__isnull=True)
    elif filters.deadline:
        try:
            rows = rows.filter(instrument__deadline=date.fromisoformat(filters.deadline))
        except ValueError:
            rows = rows.none()
    return rows.select_related("instrument__programme", "applicant").only(
        "pk", "reference", "title", "state", "submitted_at", "version",
        "instrument__name", "instrument__deadline", "instrument__programme__name",
        "applicant__name",
    ).order_by("-submitted_at", "-pk")  # fmt: skip


def filter_choices() -> dict:
    """The programmes, instruments and deadlines the list's filters offer."""
    instruments = list(
        FundingInstrument.objects.select_related("programme").only(
            "id", "name", "deadline", "programme__id", "programme__name"
        )
    )
    programmes = sorted(
        {(i.programme.pk, i.programme.name) for i in instruments}, key=lambda p: p[1]
    )
    deadlines = sorted({i.deadline for i in instruments if i.deadline})
    return {
        "states": [c for c in ApplicationState.choices if c[0] != ApplicationState.DRAFT],
        "programmes": programmes,
        "instruments": [(i.pk, i.name) for i in instruments],
        "deadlines": deadlines,
    }


# --- The dashboard's figures ------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    columns: list[str]
    rows: list[list]


OPEN_STATES = (
    ApplicationState.SUBMITTED,
    ApplicationState.FORMAL_CHECK,
    ApplicationState.ASSESSMENT,
    ApplicationState.DECISION,
)


class Reads:
    """The two reads the count figures share, each made once however many figures fold them:
    (instrument id, state, count) of the submitted applications (one grouped scan of the
    (state, instrument) index, no join) and the instruments with their programmes."""

    def __init__(self) -> None:
        self._counts: list[tuple[int, str, int]] | None = None
        self._instruments: dict[int, FundingInstrument] | None = None

    @property
    def counts(self) -> list[tuple[int, str, int]]:
        if self._counts is None:
            self._counts = list(
                Application.objects.exclude(state=ApplicationState.DRAFT)
                .values_list("instrument_id", "state")
                .annotate(n=Count("pk"))
                .order_by()
            )
        return self._counts

    @property
    def instruments(self) -> dict[int, FundingInstrument]:
        if self._instruments is None:
            self._instruments = (
                FundingInstrument.objects.select_related("programme")
                .only("id", "deadline", "programme__id", "programme__name")
                .in_bulk()
            )
        return self._instruments


def applications_by_state(reads: Reads | None = None) -> Figure:
    reads = reads or Reads()
    counts: dict[str, int] = {}
    for _instrument, state, n in reads.counts:
        counts[state] = counts.get(state, 0) + n
    rows = [
        [str(label), counts.get(value, 0)]
        for value, label in ApplicationState.choices
        if value != ApplicationState.DRAFT
    ]
    return Figure("state", _("Applications by state"), [_("State"), _("Applications")], rows)


def _fold(reads: Reads, key) -> list[tuple]:
    """Counts (all, open) per key(instrument)."""
    instruments = reads.instruments
    folded: dict = {}
    for instrument_id, state, n in reads.counts:
        cell = folded.setdefault(key(instruments[instrument_id]), [0, 0])
        cell[0] += n
        if state in OPEN_STATES:
            cell[1] += n
    return list(folded.items())


def applications_by_programme(reads: Reads | None = None) -> Figure:
    rows = sorted(
        _fold(reads or Reads(), lambda i: i.programme.name),
        key=lambda item: (-item[1][0], item[0]),
    )
    return Figure(
        "programme",
        _("Applications by programme"),
        [_("Programme"), _("Applications"), _("In review")],
        [[name, n, open_] for name, (n, open_) in rows],
    )


def applications_by_deadline(reads: Reads | None = None) -> Figure:
    """Applications per call deadline (rolling calls together, last), open ones counted apart."""
    rows = sorted(
        _fold(reads or Reads(), lambda i: i.deadline),
        key=lambda item: (item[0] is None, item[0] or 0),
    )
    return Figure(
        "deadline",
        _("Applications by deadline"),
        [_("Deadline"), _("Applications"), _("In review")],
        [[deadline or _("Rolling call"), n, open_] for deadline, (n, open_) in rows],
    )


def money_by_programme_year(reads: Reads | None = None) -> Figure:
    """Approved (by year of decision), paid (by year of release) and reported (accepted final
    reports, by year of acceptance), per programme and year, in EUR. The years are stored with
    each step (German time), so the sums group by plain columns."""
    programme_of = {pk: i.programme.name for pk, i in (reads or Reads()).instruments.items()}
    table: dict[tuple[str, int], list[Decimal]] = {}

    def add(rows, index: int) -> None:
        for instrument_id, year, total in rows:
            if year is None:
                continue
            cell = table.setdefault((programme_of[instrument_id], year), [Decimal(0)] * 3)
            cell[index] += total or 0

    add(
        Decision.objects.filter(outcome=DecisionOutcome.APPROVED)
        .values_list("application__instrument_id", "decided_year")
        .annotate(total=Sum("approved_total"))
        .order_by(),
        0,
    )
    add(
        PaymentRequest.objects.filter(state=PaymentState.RELEASED)
        .values_list("application__instrument_id", "released_year")
        .annotate(total=Sum("amount"))
        .order_by(),
        1,
    )
    add(
        FinalReport.objects.filter(state=ReportState.ACCEPTED)
        .values_list("application__instrument_id", "reviewed_year")
        .annotate(total=Sum("actual_total"))
        .order_by(),
        2,
    )
    cent = Decimal("0.01")
    rows = [
        [programme, year, *(Decimal(value).quantize(cent) for value in values)]
        for (programme, year), values in sorted(
            table.items(), key=lambda item: (item[0][1], item[0][0])
        )
    ]
    return Figure(
        "money",
        _("Money per programme and year (EUR)"),
        [
            _("Programme"),
            _("Year"),
            _("Approved"),
            _("Paid"),
            _("Reported"),
        ],
        rows,
    )


def money_by_programme(money: Figure) -> list[list]:
    """The money figure summed over the years per programme (the page's table; the export has
    every programme and year)."""
    programmes: dict[str, list[Decimal]] = {}
    for programme, _year, *values in money.rows:
        cell = programmes.setdefault(programme, [Decimal(0)] * 3)
        for index, value in enumerate(values):
            cell[index] += value
    return [[programme, *values] for programme, values in sorted(programmes.items())]


def money_by_year(money: Figure) -> tuple[list[str], list[list[float]]]:
    """The money figure summed over programmes per year, for the line chart."""
    years: dict[int, list[float]] = {}
    for _programme, year, approved, paid, reported in money.rows:
        cell = years.setdefault(year, [0.0, 0.0, 0.0])
        cell[0] += float(approved)
        cell[1] += float(paid)
        cell[2] += float(reported)
    labels = [str(year) for year in sorted(years)]
    return labels, [[years[int(year)][i] for year in labels] for i in range(3)]


FIGURES = {
    "state": applications_by_state,
    "programme": applications_by_programme,
    "deadline": applications_by_deadline,
    "money": money_by_programme_year,
}


def dashboard_figures() -> dict[str, Figure]:
    """Every figure of the dashboard from one set of reads (five queries)."""
    reads = Reads()
    return {key: selector(reads) for key, selector in FIGURES.items()}


#: The records the figures are counted from (the programme names are the registry's version).
_COUNTED = (Application, Decision, PaymentRequest, FinalReport, FundingInstrument)


def figures_version() -> str:
    """A fingerprint of everything the figures are counted from, read in one query: per table
    the number of rows, the sum of their versions (every save moves a row's version on,
    core.concurrency) and the highest id. Any save, creation or deletion changes it, bulk
    writes included, on every app server, with no signal and nothing kept in memory; so the
    dashboard may cache what it drew under it."""
    from django.db import connection

    quote = connection.ops.quote_name
    parts = []
    for model in _COUNTED:
        table = quote(model._meta.db_table)
        parts += [
            f"(SELECT COUNT(*) FROM {table})",  # noqa: S608 - our table names, quoted
            f"(SELECT COALESCE(SUM({quote('version')}), 0) FROM {table})",  # noqa: S608
            f"(SELECT COALESCE(MAX({quote('id')}), 0) FROM {table})",  # noqa: S608
        ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return "-".join(str(int(value)) for value in row)
