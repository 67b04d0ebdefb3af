"""Reads for the staff's review pages and dashboard: one selector per figure, used by the page
and by its export alike, each one grouped query (the benchmark holds them under 100 ms with
10,000 applications: bench/funding.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
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
    programmes = sorted({(i.programme.pk, i.programme.name) for i in instruments}, key=lambda p: p[1])
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


def applications_by_state() -> Figure:
    counts = dict(
        Application.objects.exclude(state=ApplicationState.DRAFT)
        .values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [
        [str(label), counts.get(value, 0)]
        for value, label in ApplicationState.choices
        if value != ApplicationState.DRAFT
    ]
    return Figure("state", _("Applications by state"), [_("State"), _("Applications")], rows)


def applications_by_programme() -> Figure:
    rows = (
        Application.objects.exclude(state=ApplicationState.DRAFT)
        .values_list("instrument__programme__name")
        .annotate(
            n=Count("pk"),
            open=Count(
                "pk",
                filter=Q(
                    state__in=[
                        ApplicationState.SUBMITTED,
                        ApplicationState.FORMAL_CHECK,
                        ApplicationState.ASSESSMENT,
                        ApplicationState.DECISION,
                    ]
                ),
            ),
        )
        .order_by("-n", "instrument__programme__name")
    )
    return Figure(
        "programme",
        _("Applications by programme"),
        [_("Programme"), _("Applications"), _("In review")],
        [[name, n, open_] for name, n, open_ in rows],
    )


def applications_by_deadline() -> Figure:
    """Applications per call deadline (rolling calls together), open ones counted apart."""
    rows = (
        Application.objects.exclude(state=ApplicationState.DRAFT)
        .values_list("instrument__deadline")
        .annotate(
            n=Count("pk"),
            open=Count(
                "pk",
                filter=Q(
                    state__in=[
                        ApplicationState.SUBMITTED,
                        ApplicationState.FORMAL_CHECK,
                        ApplicationState.ASSESSMENT,
                        ApplicationState.DECISION,
                    ]
                ),
            ),
        )
        .order_by(F("instrument__deadline").asc(nulls_last=True))
    )
    return Figure(
        "deadline",
        _("Applications by deadline"),
        [_("Deadline"), _("Applications"), _("In review")],
        [[deadline or _("Rolling call"), n, open_] for deadline, n, open_ in rows],
    )


def money_by_programme_year() -> Figure:
    """Approved (by year of decision), paid (by year of release) and reported (accepted final
    reports, by year of acceptance), per programme and year, in EUR."""
    table: dict[tuple[str, int], list[Decimal]] = {}

    def add(rows, index: int) -> None:
        for programme, year, total in rows:
            if year is None:
                continue
            cell = table.setdefault((programme, year), [Decimal(0)] * 3)
            cell[index] += total or 0

    add(
        Decision.objects.filter(outcome=DecisionOutcome.APPROVED)
        .values_list("application__instrument__programme__name", ExtractYear("decided_at"))
        .annotate(total=Sum("approved_total"))
        .order_by(),
        0,
    )
    add(
        PaymentRequest.objects.filter(state=PaymentState.RELEASED)
        .values_list("application__instrument__programme__name", ExtractYear("released_at"))
        .annotate(total=Sum("amount"))
        .order_by(),
        1,
    )
    add(
        FinalReport.objects.filter(state=ReportState.ACCEPTED)
        .values_list("application__instrument__programme__name", ExtractYear("reviewed_at"))
        .annotate(total=Sum("actual_total"))
        .order_by(),
        2,
    )
    cent = Decimal("0.01")
    rows = [
        [programme, year, *(Decimal(value).quantize(cent) for value in values)]
        for (programme, year), values in sorted(table.items(), key=lambda item: (item[0][1], item[0][0]))
    ]
    return Figure(
        "money",
        _("Money per programme and year (EUR)"),
        [_("Programme"), _("Year"), _("Approved"), _("Paid"), _("Reported")],
        rows,
    )


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
