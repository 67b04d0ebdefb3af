"""Numbers, money and dates as the reader's locale writes them, and a layout ready for
right-to-left languages."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from partnerportal.core.templatetags.partnerportal import local_date, local_datetime, money, number


@pytest.mark.parametrize(
    ("language", "expected"),
    [("de", "12.345,5"), ("en", "12,345.5")],
)
def test_numbers_follow_the_locale(language, expected):
    with translation.override(language):
        assert number(12345.5) == expected


def test_numbers_with_fixed_digits():
    with translation.override("de"):
        assert number(Decimal("1234"), 2) == "1.234,00"
        assert number(1234.56, 0) == "1.235"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("de", "1.234,50\xa0€"), ("en", "€1,234.50")],
)
def test_money_follows_the_locale(language, expected):
    with translation.override(language):
        assert money(Decimal("1234.5")) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("de", "22. November 2026"), ("en", "November 22, 2026")],
)
def test_dates_follow_the_locale(language, expected):
    with translation.override(language):
        assert local_date(date(2026, 11, 22)) == expected


def test_aware_datetimes_are_shown_in_berlin_time():
    moment = datetime(2026, 11, 22, 23, 30, tzinfo=ZoneInfo("UTC"))
    with translation.override("de"):
        # A date is the date in Berlin; the moment to the minute is local_datetime's.
        assert local_date(moment) == "23. November 2026"
        assert local_datetime(moment) == "23.11.2026, 00:30"


def test_empty_values_render_as_nothing():
    assert number(None) == "" and money("") == "" and local_date(None) == ""


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "direction"), [("de", "ltr"), ("ar", "rtl")])
def test_the_layout_sets_language_and_direction(site, language, direction):
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override(language):
        html = Template('{% extends "base.html" %}').render(Context({"request": request}))
    assert f'<html lang="{language}" dir="{direction}">' in html


def test_no_template_of_ours_formats_a_date_by_itself():
    """Dates are shown one way, in the portal's time zone (core.dates: `local_date`,
    `local_datetime`); `|date:` showed UTC on some pages and local time on others."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.html")
        if "wagtailadmin" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "|date:" in line or "|time:" in line
    ]
    assert offenders == []
