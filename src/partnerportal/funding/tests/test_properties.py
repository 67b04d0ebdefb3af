"""Property-based tests of the per-diem rules (Hypothesis): whatever the trip, its rates and its
meals, no day and no total goes below zero, the total never exceeds the 24-hour rates of its
days nor the total before deductions.

Hypothesis's pytest plugin is off (pyproject.toml), so @given is applied inside the tests, as
the schemathesis tests do; each example builds its own data (no function-scoped fixture is
shared between examples)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerportal.funding.per_diem import (
    TRIP_ZONE,
    DayKind,
    Rate,
    per_diem_calculate,
    per_diem_compute,
    trip_time,
)

from .conftest import table_import

SETTINGS = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)

amounts = st.decimals(min_value=0, max_value=500, places=2, allow_nan=False)


@st.composite
def rate(draw) -> Rate:
    full = draw(amounts)
    partial = draw(st.decimals(min_value=0, max_value=full, places=2))
    return Rate(full_day=full, partial_day=partial, city="", table_id=1)


@st.composite
def trip(draw):
    start = draw(
        st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2026, 12, 1))
    )
    length = draw(
        st.one_of(
            st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(hours=23)),
            st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=25)),
        )
    )
    start = trip_time(start)
    end = trip_time((start + length).replace(tzinfo=None))
    if end < start:  # a wall-clock time skipped by the clock change
        end = start
    days = (end.date() - start.date()).days + 1
    rates = draw(st.lists(rate(), min_size=days, max_size=days))
    meals = [draw(st.integers(min_value=0, max_value=days)) for _ in range(3)]
    return start, end, rates, meals


def test_total_stays_between_zero_and_the_full_rates():
    @given(case=trip())
    @SETTINGS
    def check(case):
        start, end, rates, (breakfasts, lunches, dinners) = case
        first = start.date()
        days = per_diem_compute(
            start=start,
            end=end,
            rate_for=lambda date: (rates[(date - first).days], False),
            breakfasts=breakfasts,
            lunches=lunches,
            dinners=dinners,
        )
        assert len(days) == len(rates)
        total = sum((day.amount for day in days), Decimal(0))
        undeducted = sum((day.rate for day in days), Decimal(0))
        full_rates = sum((r.full_day for r in rates), Decimal(0))
        assert Decimal(0) <= total <= undeducted <= full_rates
        for day, day_rate in zip(days, rates, strict=True):
            assert Decimal(0) <= day.deductions <= day.rate
            assert day.amount == day.rate - day.deductions >= 0
            assert day.rate <= day_rate.full_day
            if day.kind == DayKind.NONE:
                assert day.amount == 0
        assert sum(day.breakfast for day in days) == breakfasts
        assert sum(day.lunch for day in days) == lunches
        assert sum(day.dinner for day in days) == dinners
        # Full days only between the first and the last; those two are partial (or none).
        assert all(day.kind != DayKind.FULL for day in (days[0], days[-1]))
        assert all(day.kind == DayKind.FULL for day in days[1:-1])

    check()


@pytest.mark.django_db
def test_calculation_on_the_stored_table_stays_within_its_bounds():
    """The same bounds through the database, on a table with several places."""
    table_import(
        "valid_from,valid_until,country_code,city,full_day_eur,partial_day_eur,overnight_eur\n"
        "2025-01-01,2025-12-31,CH,,64,43,180\n"
        "2026-01-01,,CH,,70,47,195\n"
        "2026-01-01,,CH,Bern,82,55,195\n"
        "2025-01-01,2025-12-31,SN,,42.50,28.35,90\n"
        "2026-01-01,,SN,,40.03,26.69,90\n"
    )

    @given(
        country=st.sampled_from(["CH", "SN"]),
        city=st.sampled_from(["", "Bern", "Zürich"]),
        start=st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2026, 12, 20)),
        hours=st.integers(min_value=0, max_value=24 * 12),
        meals=st.tuples(*(st.integers(min_value=0, max_value=13) for _ in range(3))),
    )
    @settings(max_examples=60, deadline=None, database=None)
    def check(country, city, start, hours, meals):
        end = start + dt.timedelta(hours=hours)
        if end.year > 2026:
            return
        days = (end.date() - start.date()).days + 1
        breakfasts, lunches, dinners = (min(count, days) for count in meals)
        result = per_diem_calculate(
            country=country,
            city=city,
            start=start,
            end=end,
            breakfasts=breakfasts,
            lunches=lunches,
            dinners=dinners,
        )
        full_rates = sum((day.full_day_rate for day in result.days), Decimal(0))
        undeducted = sum((day.rate for day in result.days), Decimal(0))
        assert Decimal(0) <= result.total <= undeducted <= full_rates
        assert result.total == sum((day.amount for day in result.days), Decimal(0))
        assert result.total == result.total.quantize(Decimal("0.01"))
        assert all(day.date.year in (2025, 2026) for day in result.days)
        assert result.start.tzinfo is TRIP_ZONE

    check()
