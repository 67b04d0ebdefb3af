"""The per-diem calculation against cases worked by hand from the BMF rules (§ 9 Abs. 4a EStG,
BMF foreign rates 2025 and 2026; the rates of the table in conftest.py):

- first and last day of a multi-day trip: partial rate; days between: 24-hour rate;
- one-day trip: more than 8 hours partial rate, otherwise nothing;
- each day at the table in force on that day;
- meals provided: 20 % / 40 % / 40 % of the 24-hour rate, never below zero a day."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from partnerportal.funding.models import PerDiemTable
from partnerportal.funding.per_diem import DayKind, PerDiemError, per_diem_calculate

from .conftest import HEADER, table_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages and country names in English (the msgids), whatever the default."""
    with translation.override("en"):
        yield


BERLIN = dt.timezone(dt.timedelta(hours=1))  # CET, for aware inputs in winter


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _calc(country, start, end, city="", **meals):
    return per_diem_calculate(country=country, city=city, start=_at(start), end=_at(end), **meals)


def _summary(result) -> list[tuple[str, str, str, str, str]]:
    return [
        (day.date.isoformat(), day.kind, str(day.rate), str(day.deductions), str(day.amount))
        for day in result.days
    ]


def test_paris_is_a_listed_city_with_its_own_rates(rates):
    # Paris 2026: 24 h 58, partial 39.  2 Mar partial 39 + 3 Mar full 58 + 4 Mar partial 39
    # = 136.00
    result = _calc("FR", "2026-03-02T07:30", "2026-03-04T19:00", city="Paris")
    assert _summary(result) == [
        ("2026-03-02", "partial", "39.00", "0.00", "39.00"),
        ("2026-03-03", "full", "58.00", "0.00", "58.00"),
        ("2026-03-04", "partial", "39.00", "0.00", "39.00"),
    ]
    assert result.total == Decimal("136.00")
    assert result.currency == "EUR"
    assert not result.city_fallback
    assert {day.city for day in result.days} == {"Paris sowie die Departments 77, 78, 91 bis 95"}
    assert result.table_ids == (rates.table.pk,)


def test_france_without_a_city_takes_the_country_rate(rates):
    # France 2026: 24 h 53, partial 36.  36 + 53 + 36 = 125.00
    result = _calc("FR", "2026-03-02T07:30", "2026-03-04T19:00")
    assert [day.amount for day in result.days] == [Decimal(36), Decimal(53), Decimal(36)]
    assert result.total == Decimal("125.00")
    assert not result.city_fallback


def test_a_city_that_is_not_listed_falls_back_to_the_country_rate_and_says_so(rates):
    # Lyon is not listed: France's 36 + 53 + 36 = 125.00, flagged as a fallback
    result = _calc("FR", "2026-03-02T07:30", "2026-03-04T19:00", city="Lyon")
    assert result.total == Decimal("125.00")
    assert result.city_fallback
    assert all(day.city_fallback and day.city == "" for day in result.days)
    assert result.listed_cities == ("Paris sowie die Departments 77, 78, 91 bis 95",)


@pytest.mark.parametrize(
    "city", ["paris", "PARIS", "Paris sowie die Departments 77, 78, 91 bis 95"]
)
def test_the_listed_city_is_found_by_its_name_ignoring_case_and_qualification(rates, city):
    assert _calc("FR", "2026-03-02T07:30", "2026-03-02T18:00", city=city).total == Decimal(39)


def test_washington_matches_the_listing_washington_dc(rates):
    # US 2025 Washington, D. C.: partial 44 (the country's would be 40)
    result = _calc("US", "2025-06-02T06:00", "2025-06-02T20:00", city="Washington")
    assert result.total == Decimal("44.00")
    assert not result.city_fallback


def test_three_day_trip_to_rwanda(rates):
    # Rwanda 2026: 24 h 44, partial 29.  29 + 44 + 29 = 102.00
    result = _calc("RW", "2026-05-10T06:00", "2026-05-12T22:00")
    assert [day.kind for day in result.days] == [DayKind.PARTIAL, DayKind.FULL, DayKind.PARTIAL]
    assert result.total == Decimal("102.00")


def test_arrival_and_departure_days_are_partial_whatever_their_hours(rates):
    # 23:50 to 00:10 the next day and back: two partial days, 29 + 29 = 58.00
    result = _calc("RW", "2026-05-10T23:50", "2026-05-11T00:10")
    assert [day.kind for day in result.days] == [DayKind.PARTIAL, DayKind.PARTIAL]
    assert result.total == Decimal("58.00")


def test_a_one_day_trip_of_nine_hours_earns_the_partial_rate(rates):
    # 08:00 to 17:00 = 9 h > 8 h: France partial 36.00
    result = _calc("FR", "2026-03-02T08:00", "2026-03-02T17:00")
    assert _summary(result) == [("2026-03-02", "partial", "36.00", "0.00", "36.00")]
    assert result.total == Decimal("36.00")


@pytest.mark.parametrize("end", ["2026-03-02T15:00", "2026-03-02T16:00"])
def test_a_one_day_trip_of_eight_hours_or_less_earns_nothing(rates, end):
    # 7 h, and exactly 8 h (the rule asks for more than 8): the day is listed, amount 0
    result = _calc("FR", "2026-03-02T08:00", end)
    assert _summary(result) == [("2026-03-02", "none", "0.00", "0.00", "0.00")]
    assert result.total == Decimal("0.00")


def test_the_eight_hours_are_real_time_on_the_day_the_clocks_go_forward(rates):
    # 29 Mar 2026, 00:30 to 09:15 by the clock, but 02:00–03:00 does not exist: 7 h 45 min
    result = _calc("FR", "2026-03-29T00:30", "2026-03-29T09:15")
    assert result.days[0].kind == DayKind.NONE
    # 25 Oct 2026 (clocks go back), 00:30 to 08:15 by the clock is 8 h 45 min: partial
    result = _calc("FR", "2026-10-25T00:30", "2026-10-25T08:15")
    assert result.days[0].kind == DayKind.PARTIAL


def test_an_aware_time_is_counted_in_german_time(rates):
    # 23:30 UTC on 2 Mar is 00:30 on 3 Mar in Berlin: a one-day trip on 3 Mar, 10 h: 36.00
    result = _calc("FR", "2026-03-02T23:30:00+00:00", "2026-03-03T10:30:00+01:00")
    assert [day.date for day in result.days] == [dt.date(2026, 3, 3)]
    assert result.start.isoformat() == "2026-03-03T00:30:00+01:00"
    assert result.total == Decimal("36.00")


def test_a_trip_over_the_year_change_takes_each_day_at_its_own_table(rates):
    # Bern is listed only from 2026; Switzerland changes its rates in 2026.
    # 30 Dec 2025 partial CH 43 (Bern not listed: fallback)
    # 31 Dec 2025 full    CH 64 (fallback)
    #  1 Jan 2026 full    Bern 82
    #  2 Jan 2026 partial Bern 55                                    total 244.00
    result = _calc("CH", "2025-12-30T09:00", "2026-01-02T18:00", city="Bern")
    assert _summary(result) == [
        ("2025-12-30", "partial", "43.00", "0.00", "43.00"),
        ("2025-12-31", "full", "64.00", "0.00", "64.00"),
        ("2026-01-01", "full", "82.00", "0.00", "82.00"),
        ("2026-01-02", "partial", "55.00", "0.00", "55.00"),
    ]
    assert result.total == Decimal("244.00")
    assert [day.city for day in result.days] == ["", "", "Bern", "Bern"]
    assert result.city_fallback  # on the days of 2025


def test_meals_are_deducted_from_the_24_hour_rate_and_never_below_zero(rates):
    # Paris 2026, 24 h rate 58: breakfast 20 % = 11.60, lunch 40 % = 23.20, dinner 40 % = 23.20.
    # Two breakfasts, one lunch, three dinners, placed from the first day on:
    # 2 Mar partial 39: B + L + D = 58.00 > 39 -> capped at 39.00, amount  0.00
    # 3 Mar full    58: B + D     = 34.80          -> amount 23.20
    # 4 Mar partial 39: D         = 23.20          -> amount 15.80          total 39.00
    result = _calc(
        "FR",
        "2026-03-02T07:30",
        "2026-03-04T19:00",
        city="Paris",
        breakfasts=2,
        lunches=1,
        dinners=3,
    )
    assert _summary(result) == [
        ("2026-03-02", "partial", "39.00", "39.00", "0.00"),
        ("2026-03-03", "full", "58.00", "34.80", "23.20"),
        ("2026-03-04", "partial", "39.00", "23.20", "15.80"),
    ]
    assert [(d.breakfast, d.lunch, d.dinner) for d in result.days] == [
        (True, True, True),
        (True, False, True),
        (False, False, True),
    ]
    assert result.total == Decimal("39.00")


def test_a_breakfast_on_a_one_day_trip(rates):
    # Rwanda 2026, 10 h: partial 29 minus breakfast 20 % of 44 = 8.80 -> 20.20
    result = _calc("RW", "2026-05-10T06:00", "2026-05-10T16:00", breakfasts=1)
    assert result.total == Decimal("20.20")


def test_meals_on_a_day_without_per_diem_deduct_nothing(rates):
    result = _calc("RW", "2026-05-10T06:00", "2026-05-10T12:00", lunches=1)
    assert _summary(result) == [("2026-05-10", "none", "0.00", "0.00", "0.00")]


def test_deductions_are_rounded_half_up_to_the_cent(db):
    # 24 h 40.03: breakfast 20 % = 8.006 -> 8.01, lunch 40 % = 16.012 -> 16.01
    table_import(HEADER + "2026-01-01,,SN,,40.03,26.69,90\n")
    result = _calc("SN", "2026-02-02T06:00", "2026-02-03T20:00", breakfasts=1, lunches=1)
    assert [day.deductions for day in result.days] == [Decimal("24.02"), Decimal("0.00")]
    # 26.69 - 24.02 = 2.67; + 26.69
    assert result.total == Decimal("29.36")


def test_kosovo_has_rates_although_iso_3166_lacks_it(rates):
    # XK 2026: partial 16, full 24: 16 + 24 + 16 = 56.00
    assert _calc("XK", "2026-04-01T08:00", "2026-04-03T20:00").total == Decimal("56.00")


def test_a_newer_import_of_a_year_supersedes_the_older_table_for_that_year_only(rates):
    newer = table_import(HEADER + "2026-01-01,,FR,,60,40,110\n", source_name="bmf-2026.csv")
    assert newer.superseded == {2026: rates.table.pk}
    # 2026: the newer table (40 + 60 + 40)
    result = _calc("FR", "2026-03-02T07:30", "2026-03-04T19:00")
    assert result.total == Decimal("140.00")
    assert result.table_ids == (newer.table.pk,)
    # 2025: still the older table (36 + 53 + 36)
    result = _calc("FR", "2025-03-03T07:30", "2025-03-05T19:00")
    assert result.total == Decimal("125.00")
    assert result.table_ids == (rates.table.pk,)
    # Over the year change: one day of each table
    result = _calc("FR", "2025-12-31T08:00", "2026-01-01T20:00")
    assert result.total == Decimal("76.00")  # 36 (2025) + 40 (2026)
    assert result.table_ids == (rates.table.pk, newer.table.pk)
    assert PerDiemTable.objects.count() == 2  # the older table is kept for the record
    # The newer table has no Rwanda: 2026 trips there have no rate now
    with pytest.raises(PerDiemError) as error:
        _calc("RW", "2026-05-10T06:00", "2026-05-12T22:00")
    assert error.value.problems[0][0] == "country"


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"country": "ZZ"}, "country", "ISO 3166"),
        ({"country": "France"}, "country", "ISO 3166"),
        ({"country": ""}, "country", "ISO 3166"),
        ({"country": "BR"}, "country", "no rate for Brazil"),  # known, but not in the table
        (
            {"country": "AF", "start": "2026-01-02T08:00", "end": "2026-01-02T20:00"},
            "country",
            "no rate for Afghanistan",
        ),  # in the 2025 table, not in 2026's
        ({"start": "2027-01-02T08:00", "end": "2027-01-02T20:00"}, "start", "2025–2026"),
        ({"start": "2024-12-31T08:00", "end": "2025-01-02T18:00"}, "start", "2024-12-31"),
        ({"end": "2027-01-01T10:00"}, "end", "2027-01-01"),
        ({"end": "2026-03-01T10:00"}, "end", "before the start"),
        ({"breakfasts": 4}, "breakfasts", "3 days"),
        ({"dinners": -1}, "dinners", "negative"),
        ({"end": "2028-03-02T10:00"}, "end", "at most 366 days"),
    ],
)
def test_what_cannot_be_calculated_is_refused_with_the_field_named(rates, kwargs, field, text):
    arguments = {
        "country": "FR",
        "start": "2026-03-02T07:30",
        "end": "2026-03-04T19:00",
        **kwargs,
    }
    with pytest.raises(PerDiemError) as error:
        _calc(**arguments)
    fields = [problem[0] for problem in error.value.problems]
    assert field in fields
    message = dict(error.value.problems)[field]
    assert text in message, message


def test_with_no_table_imported_every_date_is_refused(db):
    with pytest.raises(PerDiemError) as error:
        _calc("FR", "2026-03-02T07:30", "2026-03-04T19:00")
    assert error.value.problems == [
        (
            "start",
            "No per-diem table covers 2026-03-02; imported tables cover: none has been "
            "imported yet.",
        )
    ]
