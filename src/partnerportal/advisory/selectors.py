"""Reads of the advisory app that join several tables or depend on who asks: the staff's case
list and the dashboard's figures, one selector per figure (each one query, grouped in the
database, so the dashboard's cost does not grow with the number of cases)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case as When_
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ActionPlan, Case, CaseNote, CaseState, PlanComment
from .models.cases import OPEN_STATES

# --- Advisory cases and action plans (issue 14, cases part) -----------------------------------


@dataclass(frozen=True)
class CaseFilters:
    state: str = ""
    advisor: int | None = None
    programme: int | None = None
    country: str = ""
    overdue: bool = False
    query: str = ""


def cases_overdue(queryset: QuerySet | None = None, *, today: dt.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return (queryset if queryset is not None else Case.objects.all()).filter(
        state__in=OPEN_STATES, due_on__lt=today
    )


def case_list(filters: CaseFilters) -> QuerySet:
    """The staff's list: the filters in SQL, the columns the list shows in one join."""
    cases = Case.objects.select_related(
        "advisor", "programme", "municipality", "country", "partnership"
    )
    if filters.state:
        cases = cases.filter(state=filters.state)
    if filters.advisor == 0:
        cases = cases.filter(advisor__isnull=True)
    elif filters.advisor:
        cases = cases.filter(advisor_id=filters.advisor)
    if filters.programme:
        cases = cases.filter(programme_id=filters.programme)
    if filters.country:
        cases = cases.filter(country_id=filters.country)
    if filters.overdue:
        cases = cases_overdue(cases)
    if filters.query:
        q = filters.query.strip()
        cases = cases.filter(
            Q(reference__iexact=q)
            | Q(requester_name__icontains=q)
            | Q(municipality__name__icontains=q)
            | Q(municipality_text__icontains=q)
        )
    return cases.order_by("-opened_at", "-pk")


#: What a row of the staff's list shows, read as plain values (no model instances).
CASE_LIST_COLUMNS = (
    "pk",
    "reference",
    "requester_name",
    "municipality__name",
    "municipality_text",
    "country_id",
    "state",
    "advisor__name",
    "advisor__email",
    "programme__name",
    "due_on",
    "opened_at",
)


def case_list_rows(filters: CaseFilters) -> QuerySet:
    """The staff's list as values of CASE_LIST_COLUMNS, in the list's order (one join)."""
    return case_list(filters).values(*CASE_LIST_COLUMNS)


def cases_by_state() -> list[dict]:
    counts = dict(Case.objects.values_list("state").annotate(n=Count("pk")).order_by())
    return [
        {"key": state, "label": label, "count": counts.get(state, 0)}
        for state, label in CaseState.choices
    ]


def _grouped(queryset: QuerySet, column: str) -> list[tuple]:
    """(value, count) per value of `column`, grouped on the column alone: no join per row; the
    few labels are read afterwards."""
    return list(queryset.values_list(column).annotate(n=Count("pk")).order_by("-n"))


def cases_by_advisor() -> list[dict]:
    """Open cases per advisor; the unassigned first."""
    rows = _grouped(Case.objects.filter(state__in=OPEN_STATES), "advisor_id")
    from django.contrib.auth import get_user_model

    names = {
        pk: name or email
        for pk, name, email in get_user_model()
        .objects.filter(pk__in=[pk for pk, _n in rows if pk])
        .values_list("pk", "name", "email")
    }
    result = [
        {"key": pk or 0, "label": names.get(pk) if pk else _("nobody yet"), "count": n}
        for pk, n in rows
    ]
    return sorted(result, key=lambda r: (r["key"] != 0, -r["count"]))


def cases_by_programme() -> list[dict]:
    from partnerportal.registry.models import Programme

    rows = _grouped(Case.objects.all(), "programme_id")
    names = dict(
        Programme.objects.filter(pk__in=[pk for pk, _n in rows if pk]).values_list("pk", "name")
    )
    return [
        {"key": pk or "", "label": names.get(pk) if pk else _("no programme"), "count": n}
        for pk, n in rows
    ]


def cases_by_country() -> list[dict]:
    from partnerportal.geo.models import Country

    rows = _grouped(Case.objects.all(), "country_id")
    countries = {c.pk: str(c) for c in Country.objects.filter(pk__in=[pk for pk, _n in rows if pk])}
    return [
        {"key": pk or "", "label": countries.get(pk) if pk else _("not known yet"), "count": n}
        for pk, n in rows
    ]


#: Age of open cases since they were opened, in days: (upper bound, label).
AGE_BUCKETS = (
    (30, _("under 30 days")),
    (90, _("30 to 89 days")),
    (180, _("90 to 179 days")),
    (365, _("180 to 364 days")),
    (None, _("a year or more")),
)


def cases_by_age(*, now: dt.datetime | None = None) -> list[dict]:
    """Open cases by how long ago they were opened: one query with a CASE expression."""
    now = now or timezone.now()
    whens = []
    lower = 0
    for index, (upper, _label) in enumerate(AGE_BUCKETS):
        if upper is not None:
            whens.append(When(opened_at__gt=now - dt.timedelta(days=upper), then=Value(index)))
        lower = upper
    bucket = When_(*whens, default=Value(len(AGE_BUCKETS) - 1), output_field=IntegerField())
    counts = dict(
        Case.objects.filter(state__in=OPEN_STATES)
        .annotate(bucket=bucket)
        .values_list("bucket")
        .annotate(n=Count("pk"))
        .order_by()
    )
    del lower
    return [
        {"key": index, "label": label, "count": counts.get(index, 0)}
        for index, (_upper, label) in enumerate(AGE_BUCKETS)
    ]


def overdue_cases(*, limit: int = 20) -> tuple[int, list[Case]]:
    """How many open cases are past their due date, and the longest overdue of them."""
    overdue = cases_overdue()
    rows = list(
        overdue.select_related("advisor")
        .only("reference", "requester_name", "due_on", "state", "advisor__name", "advisor__email")
        .order_by("due_on", "pk")[:limit]
    )
    count = len(rows) if len(rows) < limit else overdue.count()
    return count, rows


def cases_per_quarter(*, quarters: int = 8, today: dt.date | None = None) -> list[dict]:
    """Cases opened and closed per quarter, for the last `quarters` quarters (the current one
    included): one query of filtered counts over ranges of the indexed columns (no date
    function per row, which SQLite would run in Python for every case)."""
    today = today or timezone.localdate()
    keys = []
    year, quarter = today.year, (today.month - 1) // 3
    for _i in range(quarters):
        keys.append((year, quarter))
        quarter -= 1
        if quarter < 0:
            year, quarter = year - 1, 3
    keys.reverse()

    def start_of(year: int, quarter: int) -> dt.datetime:
        if quarter > 3:
            year, quarter = year + 1, 0
        return timezone.make_aware(dt.datetime(year, quarter * 3 + 1, 1))

    bounds = [start_of(year, quarter) for year, quarter in keys]
    bounds.append(start_of(keys[-1][0], keys[-1][1] + 1))

    def per_quarter(column: str) -> dict[int, int]:
        # one CASE per row (a few comparisons of the indexed column), grouped in the database
        bucket = When_(
            *[When(**{f"{column}__lt": bounds[i + 1]}, then=Value(i)) for i in range(len(keys))],
            default=Value(len(keys)),
            output_field=IntegerField(),
        )
        return dict(
            Case.objects.filter(**{f"{column}__gte": bounds[0]})
            .annotate(bucket=bucket)
            .values_list("bucket")
            .annotate(n=Count("pk"))
            .order_by()
        )

    opened, closed = per_quarter("opened_at"), per_quarter("closed_at")
    return [
        {"label": f"{year} Q{quarter + 1}", "opened": opened.get(i, 0), "closed": closed.get(i, 0)}
        for i, (year, quarter) in enumerate(keys)
    ]


def case_log(case: Case) -> QuerySet:
    """The internal log, newest first (ask permissions.can_view_case_log before)."""
    return CaseNote.objects.filter(case=case).select_related("author").order_by("-date", "-pk")


def case_plan(case: Case) -> ActionPlan | None:
    """The case's action plan, or None before anyone started it (reading never makes one)."""
    return ActionPlan.objects.filter(case=case).first()


def plan_comments(plan) -> QuerySet:
    return (
        PlanComment.objects.filter(plan=plan)
        .select_related("author", "measure")
        .order_by("created_at", "pk")
    )


def plans_for_editor(user) -> QuerySet:
    """The cases whose plan an editor sees: those of their municipalities' partnerships, or of
    their municipality where there is no partnership."""
    from partnerportal.accounts.roles import edited_municipality_ids

    ids = edited_municipality_ids(user)
    if not ids:
        return Case.objects.none()
    return (
        Case.objects.filter(anonymised_at__isnull=True)
        .filter(
            Q(partnership__municipality_a_id__in=ids)
            | Q(partnership__municipality_b_id__in=ids)
            | Q(partnership__isnull=True, municipality_id__in=ids)
        )
        .filter(plan__isnull=False)
        .select_related(
            "partnership__municipality_a",
            "partnership__municipality_b",
            "municipality",
            "programme",
        )
        .order_by("-opened_at")
    )


def public_summaries(*, partnership=None, municipality=None, limit: int = 10) -> list[Case]:
    """Cases with a public summary for a partnership's or municipality's page (only the
    summary is shown; nothing about the requester)."""
    cases = Case.objects.exclude(public_summary="").filter(anonymised_at__isnull=True)
    if partnership is not None:
        cases = cases.filter(partnership=partnership)
    elif municipality is not None:
        cases = cases.filter(
            Q(municipality=municipality)
            | Q(partnership__municipality_a=municipality)
            | Q(partnership__municipality_b=municipality)
        )
    else:
        return []
    return list(
        cases.select_related("programme")
        .only("public_summary", "state", "opened_at", "programme__name")
        .order_by("-opened_at")[:limit]
    )
