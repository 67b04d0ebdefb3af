"""The rule vocabulary: each rule passes, fails or is unknown, with a reason in the reader's
language; rule lists are checked before staff can save them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from partnerportal.funding.eligibility import (
    FAIL,
    PASS,
    UNKNOWN,
    Facts,
    instrument_check,
    rules_validate,
)

from .apply_factories import instrument

TODAY = dt.date(2026, 12, 1)


def _results(inst, **facts):
    return {r.rule: r for r in instrument_check(inst, Facts(today=TODAY, **facts)).results}


@pytest.fixture
def inst(db):
    return instrument()


def test_everything_known_and_fitting_passes(inst):
    outcome = instrument_check(
        inst,
        Facts(
            today=TODAY,
            applicant_kind="kreisfreie_stadt",
            has_partnership=True,
            partnership_status="aktiv",
            partnership_published=True,
            partner_oda=True,
            partner_country="RW",
            amount_eur=Decimal("9000"),
            starts_on=TODAY,
            ends_on=TODAY + dt.timedelta(days=59),
        ),
    )
    assert outcome.certain and outcome.eligible
    assert [r.outcome for r in outcome.results] == [PASS] * 6


def test_nothing_known_is_unknown_not_failed(inst):
    outcome = instrument_check(inst, Facts(today=TODAY))
    assert outcome.eligible and not outcome.certain
    assert {r.outcome for r in outcome.results} == {UNKNOWN}


@pytest.mark.parametrize(
    ("facts", "rule", "words"),
    [
        ({"applicant_kind": "company"}, "applicant_kind", "municipal company"),
        ({"has_partnership": False}, "partnership", "Requires a partnership"),
        (
            {
                "has_partnership": True,
                "partnership_status": "ruhend",
                "partnership_published": True,
            },
            "partnership",
            "Dormant",
        ),
        (
            {
                "has_partnership": True,
                "partnership_status": "aktiv",
                "partnership_published": False,
            },
            "partnership",
            "proposal",
        ),
        ({"partner_oda": False, "partner_country_name": "France"}, "partner_oda", "France is not"),
        ({"amount_eur": Decimal("10000.01")}, "amount_max", "exceeds the ceiling"),
        ({"starts_on": TODAY - dt.timedelta(days=1)}, "start_not_past", "in the past"),
        (
            {"starts_on": TODAY, "ends_on": TODAY + dt.timedelta(days=60)},
            "duration_max",
            "61 days",
        ),
    ],
)
def test_each_rule_fails_with_its_reason(inst, facts, rule, words):
    with translation.override("en"):
        result = _results(inst, **facts)[rule]
    assert result.outcome == FAIL
    assert words in result.reason


def test_the_ceiling_itself_passes(inst):
    assert _results(inst, amount_eur=Decimal("10000"))["amount_max"].outcome == PASS


def test_reasons_are_in_the_readers_language(inst):
    with translation.override("de"):
        reason = _results(inst, amount_eur=Decimal("12000"))["amount_max"].reason
    assert "übersteigt" in reason and "12.000,00" in reason


def test_region_country_minimum_lead_time_and_end(db):
    inst = instrument(
        slug="na",
        eligibility_rules=[
            {"rule": "partner_region", "regions": ["nahost"]},
            {"rule": "partner_country", "countries": ["DZ", "TN"]},
            {"rule": "amount_min", "eur": "500"},
            {"rule": "start_min_days", "days": 21},
            {"rule": "ends_by", "date": "2027-12-31"},
            {"rule": "applicant_country", "countries": ["DE"]},
        ],
    )
    good = _results(
        inst,
        partner_region="nahost",
        partner_country="DZ",
        amount_eur=Decimal("500"),
        starts_on=TODAY + dt.timedelta(days=21),
        ends_on=dt.date(2027, 12, 31),
        applicant_country="DE",
    )
    assert {r.outcome for r in good.values()} == {PASS}
    bad = _results(
        inst,
        partner_region="lateinamerika",
        partner_country="PE",
        amount_eur=Decimal("499.99"),
        starts_on=TODAY + dt.timedelta(days=20),
        ends_on=dt.date(2028, 1, 1),
        applicant_country="AT",
    )
    assert {r.outcome for r in bad.values()} == {FAIL}


def test_closed_and_past_deadline_fail_for_every_instrument(db):
    closed = instrument(slug="zu", is_active=False, eligibility_rules=[])
    assert [r.rule for r in instrument_check(closed, Facts(today=TODAY)).failures] == ["open"]
    late = instrument(
        slug="spaet",
        call_mode="deadline",
        deadline=TODAY - dt.timedelta(days=1),
        eligibility_rules=[],
    )
    assert [r.rule for r in instrument_check(late, Facts(today=TODAY)).failures] == ["deadline"]
    on_time = instrument(
        slug="puenktlich", call_mode="deadline", deadline=TODAY, eligibility_rules=[]
    )
    assert instrument_check(on_time, Facts(today=TODAY)).certain


def test_a_rule_outside_the_vocabulary_fails_rather_than_being_ignored(db):
    inst = instrument(slug="kaputt", eligibility_rules=[{"rule": "moon_phase"}])
    assert instrument_check(inst, Facts(today=TODAY)).failures[0].rule == "moon_phase"


def test_rules_validate_names_every_problem(db):
    with translation.override("en"):
        problems = rules_validate(
            [
                {"rule": "applicant_kind", "kinds": ["gemeinde", "dorf"]},
                {"rule": "nope"},
                {"rule": "duration_max"},
                {"rule": "amount_max", "eur": "viel"},
                {"rule": "partner_country", "countries": ["XX"]},
                {"rule": "ends_by", "date": "morgen"},
                {"rule": "partner_oda", "extra": 1},
                "text",
            ]
        )
    text = "\n".join(problems)
    assert len(problems) == 8
    for words in (
        "dorf",
        "unknown rule “nope”",
        "“days” is missing",
        "amount in EUR",
        "XX",
        "2027-12-31",
        "extra",
        "Rule 8",
    ):
        assert words in text
    assert rules_validate([{"rule": "partner_oda"}, {"rule": "amount_max"}]) == []
    assert rules_validate({"rule": "partner_oda"})
