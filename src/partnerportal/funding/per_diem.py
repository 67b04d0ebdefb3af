"""Per diems for a trip abroad by the BMF rules (§ 9 Abs. 4a EStG with the BMF's foreign rates).

- The days are the calendar days of the trip in German time (Europe/Berlin): a naive start or
  end is taken as German time, an aware one is converted to it. The eight hours of a one-day
  trip are real elapsed time (a night of the clock change counts as it lasts).
- A trip over several calendar days: the first and the last day at the partial rate, whatever
  the hours; the days between at the 24-hour (full) rate. A trip that ends on the next
  calendar day counts as one with an overnight stay (two partial days); the tax rule for a
  night trip without accommodation (one partial day for the longer part) is not modelled.
- A one-day trip: more than 8 hours at the partial rate; 8 hours or less earns nothing (the day
  is listed with kind "none" and amount 0).
- Each day takes the rate of the table in force for its year (the newest import covering it)
  and the row valid on that day: a trip from 30 Dec 2025 to 2 Jan 2026 uses 2025 rates for the
  first two days and 2026 rates for the others.
- A city the BMF lists has its own rate; any other city falls back to the country's rate, and
  the result says so (`city_fallback`).
- Meals provided are deducted from the 24-hour rate of that day's place: breakfast 20 %, lunch
  and dinner 40 % each, each rounded half up to the cent. The counts are for the whole trip and
  are placed one per day, from the first day on (at most one breakfast, lunch and dinner a
  day); a day's deductions never exceed its amount, so no day and no total goes below zero.

All arithmetic is Decimal, rounded half up to the cent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import Max, Q
from django.utils.translation import gettext as _

from partnerportal.core.text import fold
from partnerportal.geo.models import Country
from partnerportal.geo.services import country_defaults

from .models import PerDiemRate, PerDiemTableYear

#: The time zone the days of a trip are counted in (the traveller's home time).
TRIP_ZONE = ZoneInfo("Europe/Berlin")
CURRENCY = "EUR"
CENT = Decimal("0.01")
#: A one-day trip must last more than this to earn the partial rate.
ONE_DAY_MINIMUM = dt.timedelta(hours=8)
#: Shares of the 24-hour rate deducted for meals provided.
BREAKFAST_SHARE = Decimal("0.20")
LUNCH_SHARE = Decimal("0.40")
DINNER_SHARE = Decimal("0.40")
#: The longest trip calculated (bounds the work of one request).
MAX_DAYS = 366


class DayKind:
    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rate:
    """The rates of a place on a day, and where they come from."""

    full_day: Decimal
    partial_day: Decimal
    city: str  # the city as the BMF lists it; "" for the country's rate
    table_id: int


@dataclass(frozen=True)
class PerDiemDay:
    date: dt.date
    kind: str  # DayKind
    rate: Decimal  # the rate of this kind (0 for "none")
    full_day_rate: Decimal  # the 24-hour rate the meal deductions are taken from
    breakfast: bool
    lunch: bool
    dinner: bool
    deductions: Decimal  # deducted for meals, at most `rate`
    amount: Decimal
    city: str  # the listed city whose rate applies; "" for the country's rate
    city_fallback: bool  # a city was asked for, but the table lists none of that name this day
    table_id: int


@dataclass(frozen=True)
class PerDiemResult:
    country: str
    city: str
    start: dt.datetime  # in TRIP_ZONE
    end: dt.datetime
    days: tuple[PerDiemDay, ...]
    total: Decimal
    currency: str
    city_fallback: bool
    table_ids: tuple[int, ...]
    #: The cities listed for the country in the tables used (for a fallback's message).
    listed_cities: tuple[str, ...]


class PerDiemError(Exception):
    """The trip cannot be calculated: one (field, message) per problem, in the active
    language. `field` is the parameter's name as the API spells it."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.problems))


def trip_time(value: dt.datetime) -> dt.datetime:
    """The moment in German time (naive: taken as German time). OverflowError near the ends
    of the calendar."""
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=TRIP_ZONE)
    return value.astimezone(TRIP_ZONE)


def trip_days(start: dt.datetime, end: dt.datetime) -> list[tuple[dt.date, str]]:
    """The calendar days of a trip with their kind, by the rules above (start ≤ end, both in
    TRIP_ZONE)."""
    first, last = start.date(), end.date()
    if first == last:
        # Aware subtraction in UTC: real elapsed time, also across a clock change.
        hours = end.astimezone(dt.UTC) - start.astimezone(dt.UTC)
        return [(first, DayKind.PARTIAL if hours > ONE_DAY_MINIMUM else DayKind.NONE)]
    count = (last - first).days + 1
    return [
        (
            first + dt.timedelta(days=index),
            DayKind.PARTIAL if index in (0, count - 1) else DayKind.FULL,
        )
        for index in range(count)
    ]


def day_amount(
    *,
    date: dt.date,
    kind: str,
    rate: Rate,
    breakfast: bool,
    lunch: bool,
    dinner: bool,
    city_fallback: bool,
) -> PerDiemDay:
    """One day: its rate by kind, the meals deducted from the 24-hour rate, capped at the rate."""
    if kind == DayKind.FULL:
        base = rate.full_day
    elif kind == DayKind.PARTIAL:
        base = rate.partial_day
    else:
        base = Decimal(0)
    base = cents(base)
    deductions = sum(
        (
            cents(rate.full_day * share)
            for share, provided in (
                (BREAKFAST_SHARE, breakfast),
                (LUNCH_SHARE, lunch),
                (DINNER_SHARE, dinner),
            )
            if provided
        ),
        Decimal("0.00"),
    )
    deductions = min(deductions, base)
    return PerDiemDay(
        date=date,
        kind=kind,
        rate=base,
        full_day_rate=cents(rate.full_day),
        breakfast=breakfast,
        lunch=lunch,
        dinner=dinner,
        deductions=cents(deductions),
        amount=cents(base - deductions),
        city=rate.city,
        city_fallback=city_fallback,
        table_id=rate.table_id,
    )


#: rate_for(date) -> (rate, city_fallback); raises PerDiemError when there is none.
RateLookup = Callable[[dt.date], tuple[Rate, bool]]


def per_diem_compute(
    *,
    start: dt.datetime,
    end: dt.datetime,
    rate_for: RateLookup,
    breakfasts: int = 0,
    lunches: int = 0,
    dinners: int = 0,
) -> tuple[PerDiemDay, ...]:
    """The days of a trip with their amounts: the rules without the database (start and end in
    TRIP_ZONE, already checked)."""
    days = []
    for index, (date, kind) in enumerate(trip_days(start, end)):
        rate, fallback = rate_for(date)
        days.append(
            day_amount(
                date=date,
                kind=kind,
                rate=rate,
                breakfast=index < breakfasts,
                lunch=index < lunches,
                dinner=index < dinners,
                city_fallback=fallback,
            )
        )
    return tuple(days)


def city_matches(asked: str, listed: str) -> bool:
    """Whether the city asked for is the one the BMF lists: the same name ignoring case,
    accents and punctuation, or the name before the listing's qualification ("Paris" for
    "Paris sowie die Departments 77, 78, 91 bis 95", "Washington" for "Washington, D. C.")."""
    wanted = fold(asked)
    if not wanted:
        return False
    if wanted == fold(listed):
        return True
    head = listed.split(",")[0].split(" sowie ")[0].split(" (")[0]
    return wanted == fold(head)


def _country_name(iso2: str) -> str | None:
    country = Country.objects.filter(pk=iso2).first()
    if country is not None:
        return country.name
    try:
        defaults = country_defaults(iso2)
    except LookupError:
        return None
    return defaults["name_en"]


def _year_tables(first_year: int, last_year: int) -> dict[int, int]:
    """year -> id of the table in force for it (the newest covering it)."""
    return dict(
        PerDiemTableYear.objects.filter(year__gte=first_year, year__lte=last_year)
        .values("year")
        .annotate(table=Max("table_id"))
        .values_list("year", "table")
    )


def _covered_years() -> list[int]:
    return sorted(set(PerDiemTableYear.objects.values_list("year", flat=True)))


def _years_text(years: list[int]) -> str:
    if not years:
        return _("none has been imported yet")
    runs: list[list[int]] = []
    for year in years:
        if runs and runs[-1][-1] == year - 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def per_diem_calculate(
    *,
    country: str,
    city: str = "",
    start: dt.datetime,
    end: dt.datetime,
    breakfasts: int = 0,
    lunches: int = 0,
    dinners: int = 0,
) -> PerDiemResult:
    """The per diem of a trip to `country` (ISO 3166 alpha-2) and optionally a `city`, from the
    tables in force; PerDiemError naming every problem found (nothing is stored)."""
    problems: list[tuple[str, str]] = []
    iso2 = (country or "").strip().upper()
    city = (city or "").strip()
    country_name = _country_name(iso2) if len(iso2) == 2 and iso2.isalpha() else None
    if country_name is None:
        problems.append(
            ("country", _("“%(code)s” is not an ISO 3166 country code.") % {"code": country})
        )
    try:
        start, end = trip_time(start), trip_time(end)
        if not (1900 <= start.year <= 2100 and 1900 <= end.year <= 2100):
            raise OverflowError  # a local time zone's history reaches no further
    except OverflowError:
        raise PerDiemError([("start", _("The date lies outside the calendar."))]) from None
    if end < start:
        problems.append(("end", _("The end lies before the start.")))
    elif (end.date() - start.date()).days + 1 > MAX_DAYS:
        problems.append(("end", _("A trip may last at most %(days)s days.") % {"days": MAX_DAYS}))
    for name, count in (("breakfasts", breakfasts), ("lunches", lunches), ("dinners", dinners)):
        if count < 0:
            problems.append((name, _("The number must not be negative.")))
    if problems:
        raise PerDiemError(problems)

    days = trip_days(start, end)
    for name, count in (("breakfasts", breakfasts), ("lunches", lunches), ("dinners", dinners)):
        if count > len(days):
            problems.append(
                (
                    name,
                    _("At most one a day: the trip has %(days)s days.") % {"days": len(days)},
                )
            )
    in_force = _year_tables(days[0][0].year, days[-1][0].year)
    uncovered = [date for date, _kind in days if date.year not in in_force]
    if uncovered:
        field = "start" if uncovered[0] == days[0][0] else "end"
        problems.append(
            (
                field,
                _("No per-diem table covers %(date)s; imported tables cover: %(years)s.")
                % {"date": uncovered[0].isoformat(), "years": _years_text(_covered_years())},
            )
        )
    if problems:
        raise PerDiemError(problems)

    rows = list(
        PerDiemRate.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=days[0][0]),
            table_id__in=set(in_force.values()),
            country_id=iso2,
            valid_from__lte=days[-1][0],
        ).order_by("valid_from", "city")
    )
    missing: list[dt.date] = []

    def rate_for(date: dt.date) -> tuple[Rate, bool]:
        table_id = in_force[date.year]
        valid = [
            row
            for row in rows
            if row.table_id == table_id
            and row.valid_from <= date
            and (row.valid_until is None or row.valid_until >= date)
        ]
        listed = [row for row in valid if row.city and city_matches(city, row.city)]
        country_rows = [row for row in valid if not row.city]
        chosen = listed[0] if listed else (country_rows[0] if country_rows else None)
        if chosen is None:
            missing.append(date)
            return Rate(Decimal(0), Decimal(0), "", table_id), False
        rate = Rate(chosen.full_day, chosen.partial_day, chosen.city, table_id)
        return rate, bool(city) and not listed

    computed = per_diem_compute(
        start=start,
        end=end,
        rate_for=rate_for,
        breakfasts=breakfasts,
        lunches=lunches,
        dinners=dinners,
    )
    if missing:
        raise PerDiemError(
            [
                (
                    "country",
                    _("The per-diem table in force on %(date)s has no rate for %(country)s.")
                    % {"date": missing[0].isoformat(), "country": country_name},
                )
            ]
        )
    listed_cities = tuple(sorted({row.city for row in rows if row.city}))
    return PerDiemResult(
        country=iso2,
        city=city,
        start=start,
        end=end,
        days=computed,
        total=cents(sum((day.amount for day in computed), Decimal("0.00"))),
        currency=CURRENCY,
        city_fallback=any(day.city_fallback for day in computed),
        table_ids=tuple(sorted({day.table_id for day in computed})),
        listed_cities=listed_cities,
    )
