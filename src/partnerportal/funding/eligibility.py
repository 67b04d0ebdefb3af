"""Eligibility rules as data: what an instrument asks of an applicant, checked by a machine.

`FundingInstrument.eligibility_rules` is a list of rules, each a dict with a `rule` code and its
parameters. The vocabulary (everything else is refused by `rules_validate`, which the back
office's form runs, so that no instrument holds a rule nobody checks):

==================  ==========================================  ================================
rule                parameters                                  passes when
==================  ==========================================  ================================
applicant_kind      kinds: [Municipality.Kind codes]            the applicant is of one of them
                                                                (gemeinde, stadt,
                                                                kreisfreie_stadt, kreis,
                                                                gemeindeverband, company)
applicant_country   countries: [ISO 3166 alpha-2]               the applicant lies in one of them
partnership         statuses: [PartnershipStatus codes]         the application names a published
                    (default: aktiv, reaktiviert)               partnership of the registry whose
                                                                status is one of them
partner_region      regions: [geo.WorldRegion codes]            the partner lies in one of them
partner_country     countries: [ISO 3166 alpha-2]               the partner lies in one of them
partner_oda         (none)                                      the partner's country is on the
                                                                DAC list of ODA recipients
amount_max          eur: "15000" (default: the ceiling)         the funding asked for is at most
amount_min          eur: "500"                                  ... at least this
start_not_past      (none)                                      the measure starts today or later
start_min_days      days: 28                                    ... at least so many days ahead
duration_max        days: 30                                    it lasts at most so many days
ends_by             date: "2027-12-31"                          it ends by that date
==================  ==========================================  ================================

Two checks apply to every instrument without being listed: it must be open for applications
(`is_active`), and with a deadline call today must not be past the deadline.

Each rule gives PASS or FAIL with a reason in the active language, or UNKNOWN while a fact it
needs is not known yet (the funding finder asks only a few questions; a draft may have no dates
yet). The finder shows UNKNOWN as "still to be checked"; submission needs every rule to PASS.
`field` says which part of an application a rule is about, so that the check before submission
shows the problem at the step where it can be corrected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerportal.core.dates import display_date
from partnerportal.core.templatetags.partnerportal import money

PASS = "pass"  # noqa: S105 - an outcome, not a password
FAIL = "fail"
UNKNOWN = "unknown"

#: The parts of an application a rule can be about (the wizard's steps name the same).
FIELD_APPLICANT = "applicant"
FIELD_PARTNERSHIP = "partnership"
FIELD_AMOUNT = "amount"
FIELD_STARTS_ON = "starts_on"
FIELD_ENDS_ON = "ends_on"
FIELD_INSTRUMENT = "instrument"

DEFAULT_PARTNERSHIP_STATUSES = ("aktiv", "reaktiviert")


@dataclass(frozen=True)
class Facts:
    """What is known about an applicant and a measure. None: not known (yet)."""

    today: dt.date
    applicant_kind: str | None = None
    applicant_country: str | None = None
    #: False: the applicant has no partnership to name (the finder's "no")
    has_partnership: bool | None = None
    partnership_status: str | None = None
    partnership_published: bool | None = None
    partner_country: str | None = None
    partner_country_name: str = ""
    partner_region: str | None = None
    partner_oda: bool | None = None
    amount_eur: Decimal | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    #: Who or what the facts are about, for the finder ("Köln – Yarinacocha")
    label: str = ""
    #: The registry's records they come from (the finder's "apply" link names them)
    applicant_id: int | None = None
    partnership_id: int | None = None


@dataclass(frozen=True)
class RuleResult:
    rule: str
    outcome: str  # PASS, FAIL or UNKNOWN
    reason: str
    field: str

    @property
    def passed(self) -> bool:
        return self.outcome == PASS

    @property
    def failed(self) -> bool:
        return self.outcome == FAIL


@dataclass(frozen=True)
class Eligibility:
    """The outcome for one instrument: every rule's result, failures first."""

    instrument: Any
    results: list[RuleResult] = field(default_factory=list)
    facts: Facts | None = None

    @property
    def failures(self) -> list[RuleResult]:
        return [r for r in self.results if r.outcome == FAIL]

    @property
    def unknown(self) -> list[RuleResult]:
        return [r for r in self.results if r.outcome == UNKNOWN]

    @property
    def passes(self) -> list[RuleResult]:
        return [r for r in self.results if r.outcome == PASS]

    @property
    def eligible(self) -> bool:
        """No rule failed (some may not be known yet)."""
        return not self.failures

    @property
    def certain(self) -> bool:
        """Every rule passed."""
        return all(r.outcome == PASS for r in self.results)


# --- the rules --------------------------------------------------------------------------------


def _labels(choices, codes) -> str:
    names = dict(choices)
    return ", ".join(str(names.get(code, code)) for code in codes)


def _kind_choices():
    from partnerportal.registry.models import Municipality

    return Municipality.Kind.choices


def _status_choices():
    from partnerportal.registry.models import PartnershipStatus

    return PartnershipStatus.choices


def _region_choices():
    from partnerportal.geo.models import WorldRegion

    return WorldRegion.choices


def _country_names(codes) -> str:
    from partnerportal.geo.models import Country

    names = {c.iso2: str(c) for c in Country.objects.filter(iso2__in=list(codes))}
    return ", ".join(names.get(code, code) for code in codes)


def _eur(value) -> Decimal:
    return Decimal(str(value))


def _applicant_kind(rule: dict, facts: Facts, instrument) -> RuleResult:
    kinds = rule.get("kinds") or []
    allowed = _labels(_kind_choices(), kinds)
    if facts.applicant_kind is None:
        return RuleResult(
            "applicant_kind",
            UNKNOWN,
            _("Open to: %(kinds)s.") % {"kinds": allowed},
            FIELD_APPLICANT,
        )
    actual = _labels(_kind_choices(), [facts.applicant_kind])
    if facts.applicant_kind in kinds:
        return RuleResult(
            "applicant_kind",
            PASS,
            _("Applicant: %(kind)s (open to: %(kinds)s).") % {"kind": actual, "kinds": allowed},
            FIELD_APPLICANT,
        )
    return RuleResult(
        "applicant_kind",
        FAIL,
        _("Open only to: %(kinds)s; the applicant is: %(kind)s.")
        % {"kinds": allowed, "kind": actual},
        FIELD_APPLICANT,
    )


def _applicant_country(rule: dict, facts: Facts, instrument) -> RuleResult:
    countries = rule.get("countries") or []
    allowed = _country_names(countries)
    if facts.applicant_country is None:
        return RuleResult(
            "applicant_country",
            UNKNOWN,
            _("Applicants from: %(countries)s.") % {"countries": allowed},
            FIELD_APPLICANT,
        )
    if facts.applicant_country in countries:
        return RuleResult(
            "applicant_country",
            PASS,
            _("The applicant lies in %(countries)s.") % {"countries": allowed},
            FIELD_APPLICANT,
        )
    return RuleResult(
        "applicant_country",
        FAIL,
        _("Only municipalities in %(countries)s can apply.") % {"countries": allowed},
        FIELD_APPLICANT,
    )


def _partnership(rule: dict, facts: Facts, instrument) -> RuleResult:
    statuses = rule.get("statuses") or list(DEFAULT_PARTNERSHIP_STATUSES)
    allowed = _labels(_status_choices(), statuses)
    if facts.has_partnership is False:
        return RuleResult(
            "partnership",
            FAIL,
            _("Requires a partnership in the registry with the status: %(statuses)s.")
            % {"statuses": allowed},
            FIELD_PARTNERSHIP,
        )
    if facts.has_partnership is None:
        return RuleResult(
            "partnership",
            UNKNOWN,
            _("Requires a partnership in the registry with the status: %(statuses)s.")
            % {"statuses": allowed},
            FIELD_PARTNERSHIP,
        )
    if facts.partnership_published is False:
        return RuleResult(
            "partnership",
            FAIL,
            _("The partnership is still a proposal: the agency has not yet confirmed it."),
            FIELD_PARTNERSHIP,
        )
    if facts.partnership_status is None:
        # The finder's plain "yes": the status is taken as the rule wants it, but said so.
        return RuleResult(
            "partnership",
            UNKNOWN,
            _("Requires a partnership in the registry with the status: %(statuses)s.")
            % {"statuses": allowed},
            FIELD_PARTNERSHIP,
        )
    actual = _labels(_status_choices(), [facts.partnership_status])
    if facts.partnership_status in statuses:
        return RuleResult(
            "partnership",
            PASS,
            _("Partnership in the registry, status: %(status)s.") % {"status": actual},
            FIELD_PARTNERSHIP,
        )
    return RuleResult(
        "partnership",
        FAIL,
        _("The partnership's status is “%(status)s”; required: %(statuses)s.")
        % {"status": actual, "statuses": allowed},
        FIELD_PARTNERSHIP,
    )


def _partner_region(rule: dict, facts: Facts, instrument) -> RuleResult:
    regions = rule.get("regions") or []
    allowed = _labels(_region_choices(), regions)
    if facts.partner_region is None:
        return RuleResult(
            "partner_region",
            UNKNOWN,
            _("Partners in: %(regions)s.") % {"regions": allowed},
            FIELD_PARTNERSHIP,
        )
    actual = _labels(_region_choices(), [facts.partner_region])
    if facts.partner_region in regions:
        return RuleResult(
            "partner_region",
            PASS,
            _("The partner lies in %(region)s.") % {"region": actual},
            FIELD_PARTNERSHIP,
        )
    return RuleResult(
        "partner_region",
        FAIL,
        _("Only partners in %(regions)s; the partner lies in %(region)s.")
        % {"regions": allowed, "region": actual},
        FIELD_PARTNERSHIP,
    )


def _partner_country(rule: dict, facts: Facts, instrument) -> RuleResult:
    countries = rule.get("countries") or []
    allowed = _country_names(countries)
    if facts.partner_country is None:
        return RuleResult(
            "partner_country",
            UNKNOWN,
            _("Partners in: %(countries)s.") % {"countries": allowed},
            FIELD_PARTNERSHIP,
        )
    name = facts.partner_country_name or facts.partner_country
    if facts.partner_country in countries:
        return RuleResult(
            "partner_country",
            PASS,
            _("The partner lies in %(country)s.") % {"country": name},
            FIELD_PARTNERSHIP,
        )
    return RuleResult(
        "partner_country",
        FAIL,
        _("Only partners in %(countries)s; the partner lies in %(country)s.")
        % {"countries": allowed, "country": name},
        FIELD_PARTNERSHIP,
    )


def _partner_oda(rule: dict, facts: Facts, instrument) -> RuleResult:
    if facts.partner_oda is None:
        return RuleResult(
            "partner_oda",
            UNKNOWN,
            _("The partner's country must be on the DAC list of ODA recipients."),
            FIELD_PARTNERSHIP,
        )
    name = facts.partner_country_name or facts.partner_country or ""
    if facts.partner_oda:
        return RuleResult(
            "partner_oda",
            PASS,
            _("%(country)s is on the DAC list of ODA recipients.") % {"country": name},
            FIELD_PARTNERSHIP,
        )
    return RuleResult(
        "partner_oda",
        FAIL,
        _("%(country)s is not on the DAC list of ODA recipients.") % {"country": name},
        FIELD_PARTNERSHIP,
    )


def _amount_max(rule: dict, facts: Facts, instrument) -> RuleResult:
    limit = rule.get("eur")
    limit = _eur(limit) if limit not in (None, "") else getattr(instrument, "ceiling_eur", None)
    if limit is None:
        return RuleResult("amount_max", PASS, _("No ceiling."), FIELD_AMOUNT)
    if facts.amount_eur is None:
        return RuleResult(
            "amount_max",
            UNKNOWN,
            _("At most %(limit)s of funding.") % {"limit": money(limit)},
            FIELD_AMOUNT,
        )
    if facts.amount_eur <= limit:
        return RuleResult(
            "amount_max",
            PASS,
            _("%(amount)s is within the ceiling of %(limit)s.")
            % {"amount": money(facts.amount_eur), "limit": money(limit)},
            FIELD_AMOUNT,
        )
    return RuleResult(
        "amount_max",
        FAIL,
        _("%(amount)s exceeds the ceiling of %(limit)s.")
        % {"amount": money(facts.amount_eur), "limit": money(limit)},
        FIELD_AMOUNT,
    )


def _amount_min(rule: dict, facts: Facts, instrument) -> RuleResult:
    limit = _eur(rule["eur"])
    if facts.amount_eur is None:
        return RuleResult(
            "amount_min",
            UNKNOWN,
            _("At least %(limit)s of funding.") % {"limit": money(limit)},
            FIELD_AMOUNT,
        )
    if facts.amount_eur >= limit:
        return RuleResult(
            "amount_min",
            PASS,
            _("%(amount)s reaches the minimum of %(limit)s.")
            % {"amount": money(facts.amount_eur), "limit": money(limit)},
            FIELD_AMOUNT,
        )
    return RuleResult(
        "amount_min",
        FAIL,
        _("%(amount)s is below the minimum of %(limit)s.")
        % {"amount": money(facts.amount_eur), "limit": money(limit)},
        FIELD_AMOUNT,
    )


def _start_not_past(rule: dict, facts: Facts, instrument) -> RuleResult:
    if facts.starts_on is None:
        return RuleResult(
            "start_not_past", UNKNOWN, _("The measure must not have started yet."), FIELD_STARTS_ON
        )
    if facts.starts_on >= facts.today:
        return RuleResult(
            "start_not_past",
            PASS,
            _("The measure starts on %(date)s.") % {"date": display_date(facts.starts_on)},
            FIELD_STARTS_ON,
        )
    return RuleResult(
        "start_not_past",
        FAIL,
        _("The start (%(date)s) lies in the past: measures already begun are not funded.")
        % {"date": display_date(facts.starts_on)},
        FIELD_STARTS_ON,
    )


def _start_min_days(rule: dict, facts: Facts, instrument) -> RuleResult:
    days = int(rule["days"])
    earliest = facts.today + dt.timedelta(days=days)
    if facts.starts_on is None:
        return RuleResult(
            "start_min_days",
            UNKNOWN,
            _("Apply at least %(days)s days before the measure starts.") % {"days": days},
            FIELD_STARTS_ON,
        )
    if facts.starts_on >= earliest:
        return RuleResult(
            "start_min_days",
            PASS,
            _("The start lies at least %(days)s days ahead.") % {"days": days},
            FIELD_STARTS_ON,
        )
    return RuleResult(
        "start_min_days",
        FAIL,
        _("Apply at least %(days)s days ahead: the measure can start on %(date)s at the earliest.")
        % {"days": days, "date": display_date(earliest)},
        FIELD_STARTS_ON,
    )


def _duration_max(rule: dict, facts: Facts, instrument) -> RuleResult:
    days = int(rule["days"])
    if facts.starts_on is None or facts.ends_on is None:
        return RuleResult(
            "duration_max",
            UNKNOWN,
            _("The measure may last at most %(days)s days.") % {"days": days},
            FIELD_ENDS_ON,
        )
    length = (facts.ends_on - facts.starts_on).days + 1
    if length <= days:
        return RuleResult(
            "duration_max",
            PASS,
            _("%(length)s days, at most %(days)s are allowed.") % {"length": length, "days": days},
            FIELD_ENDS_ON,
        )
    return RuleResult(
        "duration_max",
        FAIL,
        _("The measure lasts %(length)s days; at most %(days)s are allowed.")
        % {"length": length, "days": days},
        FIELD_ENDS_ON,
    )


def _ends_by(rule: dict, facts: Facts, instrument) -> RuleResult:
    last = dt.date.fromisoformat(rule["date"])
    if facts.ends_on is None:
        return RuleResult(
            "ends_by",
            UNKNOWN,
            _("The measure must end by %(date)s.") % {"date": display_date(last)},
            FIELD_ENDS_ON,
        )
    if facts.ends_on <= last:
        return RuleResult(
            "ends_by",
            PASS,
            _("The measure ends by %(date)s.") % {"date": display_date(last)},
            FIELD_ENDS_ON,
        )
    return RuleResult(
        "ends_by",
        FAIL,
        _("The measure must end by %(date)s.") % {"date": display_date(last)},
        FIELD_ENDS_ON,
    )


@dataclass(frozen=True)
class RuleSpec:
    check: Callable[[dict, Facts, Any], RuleResult]
    label: Any
    #: parameter name -> kind of value ("codes", "countries", "eur", "days", "date")
    parameters: dict[str, str]
    required: tuple[str, ...] = ()


RULES: dict[str, RuleSpec] = {
    "applicant_kind": RuleSpec(
        _applicant_kind, gettext_lazy("Kind of applicant"), {"kinds": "kinds"}, ("kinds",)
    ),
    "applicant_country": RuleSpec(
        _applicant_country,
        gettext_lazy("Country of the applicant"),
        {"countries": "countries"},
        ("countries",),
    ),
    "partnership": RuleSpec(
        _partnership, gettext_lazy("Partnership in the registry"), {"statuses": "statuses"}
    ),
    "partner_region": RuleSpec(
        _partner_region,
        gettext_lazy("World region of the partner"),
        {"regions": "regions"},
        ("regions",),
    ),
    "partner_country": RuleSpec(
        _partner_country,
        gettext_lazy("Country of the partner"),
        {"countries": "countries"},
        ("countries",),
    ),
    "partner_oda": RuleSpec(_partner_oda, gettext_lazy("Partner on the DAC list"), {}),
    "amount_max": RuleSpec(_amount_max, gettext_lazy("Ceiling"), {"eur": "eur"}),
    "amount_min": RuleSpec(_amount_min, gettext_lazy("Minimum amount"), {"eur": "eur"}, ("eur",)),
    "start_not_past": RuleSpec(_start_not_past, gettext_lazy("Start not in the past"), {}),
    "start_min_days": RuleSpec(
        _start_min_days, gettext_lazy("Lead time"), {"days": "days"}, ("days",)
    ),
    "duration_max": RuleSpec(
        _duration_max, gettext_lazy("Longest duration"), {"days": "days"}, ("days",)
    ),
    "ends_by": RuleSpec(_ends_by, gettext_lazy("Latest end"), {"date": "date"}, ("date",)),
}


def _valid_codes(kind: str) -> set[str] | None:
    if kind == "kinds":
        return {code for code, _label in _kind_choices()}
    if kind == "statuses":
        return {code for code, _label in _status_choices()}
    if kind == "regions":
        return {code for code, _label in _region_choices()}
    return None


def rules_validate(rules: Any) -> list[str]:
    """Every problem of a rule list, in words staff can act on; [] when it is fine."""
    if not isinstance(rules, list):
        return [_("The rules must be a list.")]
    problems: list[str] = []
    for number, rule in enumerate(rules, start=1):
        if not isinstance(rule, dict) or not isinstance(rule.get("rule"), str):
            problems.append(_("Rule %(n)s: a rule needs a “rule” code.") % {"n": number})
            continue
        spec = RULES.get(rule["rule"])
        if spec is None:
            problems.append(
                _("Rule %(n)s: unknown rule “%(code)s” (known: %(known)s).")
                % {"n": number, "code": rule["rule"], "known": ", ".join(RULES)}
            )
            continue
        unknown = set(rule) - {"rule"} - set(spec.parameters)
        if unknown:
            problems.append(
                _("Rule %(n)s: unknown parameters: %(names)s.")
                % {"n": number, "names": ", ".join(sorted(unknown))}
            )
        for name in spec.required:
            if rule.get(name) in (None, "", []):
                problems.append(
                    _("Rule %(n)s: “%(name)s” is missing.") % {"n": number, "name": name}
                )
        for name, kind in spec.parameters.items():
            value = rule.get(name)
            if value in (None, "", []):
                continue
            problem = _parameter_problem(kind, value)
            if problem:
                problems.append(
                    _("Rule %(n)s, “%(name)s”: %(problem)s")
                    % {"n": number, "name": name, "problem": problem}
                )
    return problems


def _parameter_problem(kind: str, value: Any) -> str:
    if kind in ("kinds", "statuses", "regions", "countries"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return _("a list of codes is expected.")
        valid = _valid_codes(kind)
        if kind == "countries":
            from partnerportal.geo.models import Country

            valid = set(Country.objects.filter(iso2__in=value).values_list("iso2", flat=True))
        wrong = [v for v in value if v not in valid]
        if wrong:
            return _("unknown codes: %(codes)s.") % {"codes": ", ".join(wrong)}
        return ""
    if kind == "eur":
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            return _("an amount in EUR is expected.")
        return "" if amount.is_finite() and amount >= 0 else _("an amount in EUR is expected.")
    if kind == "days":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 3660:
            return _("a whole number of days is expected.")
        return ""
    if kind == "date":
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return _("a date like 2027-12-31 is expected.")
        return ""
    return ""


# --- checking ---------------------------------------------------------------------------------


def _standing_checks(instrument, facts: Facts) -> list[RuleResult]:
    """What holds for every instrument: open, and before the deadline of a deadline call."""
    results = []
    if not instrument.is_active:
        results.append(
            RuleResult("open", FAIL, _("Not open for applications at present."), FIELD_INSTRUMENT)
        )
    if instrument.call_mode == "deadline" and instrument.deadline is not None:
        when = display_date(instrument.deadline)
        if facts.today <= instrument.deadline:
            results.append(
                RuleResult(
                    "deadline", PASS, _("Deadline: %(date)s.") % {"date": when}, FIELD_INSTRUMENT
                )
            )
        else:
            results.append(
                RuleResult(
                    "deadline",
                    FAIL,
                    _("The deadline (%(date)s) has passed.") % {"date": when},
                    FIELD_INSTRUMENT,
                )
            )
    return results


def instrument_check(instrument, facts: Facts) -> Eligibility:
    """Every rule of `instrument` against `facts`. A rule the vocabulary does not know (only
    possible by writing around the back office's form) fails, rather than being ignored."""
    results = _standing_checks(instrument, facts)
    for rule in instrument.eligibility_rules or []:
        code = rule.get("rule") if isinstance(rule, dict) else None
        spec = RULES.get(code or "")
        if spec is None or rules_validate([rule]):
            results.append(
                RuleResult(
                    str(code),
                    FAIL,
                    _("This instrument has a rule that cannot be checked; please ask the agency."),
                    FIELD_INSTRUMENT,
                )
            )
            continue
        results.append(spec.check(rule, facts, instrument))
    order = {FAIL: 0, UNKNOWN: 1, PASS: 2}
    results.sort(key=lambda r: order[r.outcome])
    return Eligibility(instrument=instrument, results=results, facts=facts)


def best_eligibility(instrument, candidates: list[Facts]) -> Eligibility:
    """The finder for a logged-in editor: the instrument checked for each of the municipality's
    partnerships; the first that passes everything, else the one with the fewest failures."""
    outcomes = [instrument_check(instrument, facts) for facts in candidates]
    return min(
        outcomes,
        key=lambda e: (len(e.failures), len(e.unknown)),
    )


def rule_summary(instrument) -> list[str]:
    """The instrument's conditions in words, for its card (every fact unknown)."""
    facts = Facts(today=dt.date.today())
    return [r.reason for r in instrument_check(instrument, facts).results if r.rule != "deadline"]
