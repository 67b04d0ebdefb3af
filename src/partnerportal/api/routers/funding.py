"""The per-diem calculation for trips abroad by the official BMF rates (funding app).
(No `from __future__ import annotations` here: ninja reads the annotations at import.)

Public (`auth=None`, `funding.permissions.can_calculate_per_diem`): it uses only the official
rates and stores nothing. The parameters arrive as text and are checked here, so that every
invalid one gets a 422 with its name and a message in the request's language (German unless the
request asks for English), in the same shape as ninja's own 422 (`detail`: `loc`, `type`,
`msg`)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import WithJsonSchema

from partnerportal.funding.per_diem import (
    MAX_DAYS,
    PerDiemError,
    PerDiemResult,
    per_diem_calculate,
)
from partnerportal.funding.permissions import can_calculate_per_diem

from ..documentation import extra, responses

router = Router(tags=["funding"])

MEALS = ("breakfasts", "lunches", "dinners")

#: More meals than any trip of MAX_DAYS can have; the count is checked against the trip's days.
MAX_MEALS = MAX_DAYS

_DATETIME_SCHEMA = WithJsonSchema({"type": "string", "format": "date-time"})
_COUNT_SCHEMA = WithJsonSchema({"type": "integer", "minimum": 0, "maximum": MAX_MEALS})


class PerDiemQuery(Schema):
    country: str = Field(..., description="ISO 3166 alpha-2 code of the destination, e.g. FR.")
    city: str = Field(
        "",
        max_length=120,
        description=(
            "The destination city as the BMF lists it (German names: Paris, Rom, Peking, New "
            "York City; the part before a qualification is enough). A city the table does not "
            "list falls back to the country's rate, and `city_fallback` says so."
        ),
    )
    start: Annotated[str, _DATETIME_SCHEMA] = Field(
        ...,
        description=(
            "Departure, ISO 8601 date and time, e.g. 2026-03-02T07:30 or "
            "2026-03-02T07:30:00+01:00. Without an offset it is German time (Europe/Berlin); "
            "the days of the trip are counted in German time."
        ),
    )
    end: Annotated[str, _DATETIME_SCHEMA] = Field(..., description="Return, as `start`.")
    breakfasts: Annotated[str, _COUNT_SCHEMA] = Field(
        "0", description="Breakfasts provided during the trip (20 % of the 24-hour rate each)."
    )
    lunches: Annotated[str, _COUNT_SCHEMA] = Field(
        "0", description="Lunches provided (40 % of the 24-hour rate each)."
    )
    dinners: Annotated[str, _COUNT_SCHEMA] = Field(
        "0", description="Dinners provided (40 % of the 24-hour rate each)."
    )


class PerDiemDayOut(Schema):
    date: dt.date
    kind: Literal["full", "partial", "none"] = Field(
        ...,
        description=(
            "full: a day between arrival and departure (24-hour rate); partial: the day of "
            "departure or return, or a one-day trip of more than 8 hours; none: a one-day trip "
            "of 8 hours or less (no per diem)."
        ),
    )
    rate: str = Field(..., description="EUR, two decimals: the rate of this kind.")
    deductions: str = Field(
        ..., description="EUR: meals provided this day, never more than the rate."
    )
    amount: str = Field(..., description="EUR: rate minus deductions.")
    breakfast: bool
    lunch: bool
    dinner: bool
    city: str = Field(
        ..., description="The listed city whose rate applies; empty for the country's rate."
    )
    table: int = Field(..., description="Id of the imported rate table used for this day.")


class PerDiemOut(Schema):
    country: str = Field(..., examples=["FR"])
    city: str = Field(..., description="The city asked for.")
    start: dt.datetime = Field(..., description="The departure in German time.")
    end: dt.datetime = Field(..., description="The return in German time.")
    total: str = Field(..., description="EUR, two decimals.", examples=["134.00"])
    currency: Literal["EUR"]
    city_fallback: bool = Field(
        ...,
        description="True when the city asked for is not listed and the country's rate applies.",
    )
    message: str = Field(
        ..., description="Says, in the request's language, when the country's rate stands in."
    )
    listed_cities: list[str] = Field(
        ..., description="The cities with their own rate in the country (tables used)."
    )
    tables: list[int] = Field(..., description="Ids of the imported rate tables used.")
    days: list[PerDiemDayOut]


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _problem(field: str, message: str, kind: str = "value_error") -> dict:
    return {"loc": ["query", field], "type": kind, "msg": message}


def _datetime(value: str, field: str, problems: list[dict]) -> dt.datetime | None:
    try:
        if len(value.strip()) <= len("2026-03-02"):  # a date alone: the hours matter
            raise ValueError(value)
        return dt.datetime.fromisoformat(value.strip())
    except ValueError:
        problems.append(
            _problem(
                field,
                _("Not a date and time in ISO 8601 form (e.g. 2026-03-02T07:30)."),
                "datetime_parsing",
            )
        )
        return None


def _count(value: str, field: str, problems: list[dict]) -> int:
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 4 or int(text) > MAX_MEALS:
        problems.append(
            _problem(
                field,
                _("A whole number from 0 to %(max)s is needed.") % {"max": MAX_MEALS},
                "int_parsing",
            )
        )
        return 0
    return int(text)


def _out(result: PerDiemResult) -> dict:
    message = ""
    if result.city_fallback:
        message = _("%(city)s is not listed separately: the rate of the country applies.") % {
            "city": result.city
        }
    return {
        "country": result.country,
        "city": result.city,
        "start": result.start,
        "end": result.end,
        "total": _money(result.total),
        "currency": result.currency,
        "city_fallback": result.city_fallback,
        "message": message,
        "listed_cities": list(result.listed_cities),
        "tables": list(result.table_ids),
        "days": [
            {
                "date": day.date,
                "kind": day.kind,
                "rate": _money(day.rate),
                "deductions": _money(day.deductions),
                "amount": _money(day.amount),
                "breakfast": day.breakfast,
                "lunch": day.lunch,
                "dinner": day.dinner,
                "city": day.city,
                "table": day.table_id,
            }
            for day in result.days
        ],
    }


@router.get(
    "/per-diem",
    response=responses(PerDiemOut, conditional=False),
    openapi_extra=extra(conditional=False),
    auth=None,
    summary="Per diem of a trip abroad",
    description=(
        "The per diem (Verpflegungspauschale) of a trip abroad by the official BMF rates in "
        "force on each day: the first and last day at the partial rate, the days between at "
        "the 24-hour rate, a one-day trip of more than 8 hours at the partial rate (8 hours or "
        "less: none). Meals provided are deducted from the 24-hour rate (breakfast 20 %, lunch "
        "and dinner 40 % each), placed one a day from the first day on, and never below zero. "
        "Amounts in EUR as strings with two decimals. An unknown country, a day no imported "
        "table covers, an end before the start or a meal count above the trip's days is a 422 "
        "naming the parameter. Example: "
        "`/api/v1/per-diem?country=FR&city=Paris&start=2026-03-02T07:30&end=2026-03-04T19:00"
        "&breakfasts=2`."
    ),
)
def per_diem(request: HttpRequest, query: Query[PerDiemQuery]):
    """Public (can_calculate_per_diem): official rates only, nothing stored."""
    if not can_calculate_per_diem(request.user):  # pragma: no cover - public by rule
        raise HttpError(403, "Forbidden.")
    problems: list[dict] = []
    start = _datetime(query.start, "start", problems)
    end = _datetime(query.end, "end", problems)
    counts = {name: _count(getattr(query, name), name, problems) for name in MEALS}
    if problems:
        return Status(422, {"detail": problems})
    try:
        result = per_diem_calculate(
            country=query.country, city=query.city, start=start, end=end, **counts
        )
    except PerDiemError as error:
        return Status(
            422, {"detail": [_problem(field, message) for field, message in error.problems]}
        )
    return Status(200, _out(result))


# --- After submission: the review workflow and payment approvals (fundreview) ------------------
# Agency staff with an API token (ApiTokenAuth; permission funding.can_review_applications) take
# the same steps as on the review pages, through the same services, so the four-eyes rules hold
# here too: a refused step is a 403 with code "four_eyes" and changes nothing.

from django.core.exceptions import PermissionDenied as _PermissionDenied  # noqa: E402
from django.core.exceptions import ValidationError as _ValidationError  # noqa: E402
from django.shortcuts import get_object_or_404 as _get_object_or_404  # noqa: E402

from partnerportal.core.concurrency import EditConflict as _EditConflict  # noqa: E402
from partnerportal.core.throttling import ThrottledOut as _ThrottledOut  # noqa: E402
from partnerportal.funding.models import Application as _Application  # noqa: E402
from partnerportal.funding.models import PaymentRequest as _PaymentRequest  # noqa: E402
from partnerportal.funding.payments import payment_transition as _payment_transition  # noqa: E402
from partnerportal.funding.permissions import can_review_applications  # noqa: E402
from partnerportal.funding.workflows import (  # noqa: E402
    FourEyesRefused as _FourEyesRefused,
)
from partnerportal.funding.workflows import (  # noqa: E402
    TransitionRefused as _TransitionRefused,
)
from partnerportal.funding.workflows import (  # noqa: E402
    application_transition as _application_transition,
)
from partnerportal.funding.workflows import (  # noqa: E402
    available_actions as _available_actions,
)

from ..authentication import ApiTokenAuth  # noqa: E402
from ..documentation import ValidationErrorOut, auth_extra  # noqa: E402


class FundingErrorOut(Schema):
    detail: str = Field(..., description="What went wrong, in the request's language.")
    code: str = Field(
        ...,
        description=(
            "four_eyes (this person already took part), not_permitted, wrong_state, "
            "conflict (the version sent is old), invalid."
        ),
        examples=["four_eyes"],
    )


class FundingActionIn(Schema):
    action: str = Field(..., description="The step, e.g. start_formal_check, approve, release.")
    note: str = Field("", description="Notes of the formal check, reasons of a rejection.")
    version: int | None = Field(
        None, description="The version last read; the step is refused (409) if it has moved on."
    )


class FundingApplicationOut(Schema):
    id: int
    reference: str
    state: str
    version: int
    actions: list[str] = Field(..., description="The steps the token's holder may take now.")


class FundingPaymentOut(Schema):
    id: int
    application: int
    amount: str
    state: str
    version: int
    actions: list[str]


_FUNDING_RESPONSES = {
    401: FundingErrorOut,
    403: FundingErrorOut,
    404: FundingErrorOut,
    409: FundingErrorOut,
    422: ValidationErrorOut,
    429: _ThrottledOut,
}


def _application_out(application, user) -> dict:
    return {
        "id": application.pk,
        "reference": application.reference or "",
        "state": application.state,
        "version": application.version,
        "actions": [t.action for t in _available_actions(application, user)],
    }


def _payment_out(payment, user) -> dict:
    return {
        "id": payment.pk,
        "application": payment.application_id,
        "amount": f"{payment.amount:.2f}",
        "state": payment.state,
        "version": payment.version,
        "actions": [t.action for t in _available_actions(payment, user)],
    }


def _refusal(error: Exception):
    """The services' refusals as HTTP answers (the four-eyes refusal before the others)."""
    if isinstance(error, _FourEyesRefused):
        return Status(403, {"detail": error.message, "code": "four_eyes"})
    if isinstance(error, _EditConflict):
        return Status(
            409, {"detail": _("Someone else changed this meanwhile."), "code": "conflict"}
        )
    if isinstance(error, _TransitionRefused):
        return Status(409, {"detail": " ".join(error.messages), "code": "wrong_state"})
    if isinstance(error, _ValidationError):
        return Status(422, {"detail": [_problem("body", " ".join(error.messages))]})
    return Status(403, {"detail": _("You may not do this."), "code": "not_permitted"})


@router.get(
    "/funding/applications/{application_id}",
    auth=ApiTokenAuth(permission=can_review_applications),
    response={200: FundingApplicationOut, **_FUNDING_RESPONSES},
    summary="A funding application's state and the steps open to the caller",
    openapi_extra=auth_extra(),
)
def funding_application(request: HttpRequest, application_id: int):
    """Agency staff (can_review_applications)."""
    application = _get_object_or_404(_Application, pk=application_id)
    return Status(200, _application_out(application, request.auth))


@router.post(
    "/funding/applications/{application_id}/actions",
    auth=ApiTokenAuth(permission=can_review_applications),
    response={200: FundingApplicationOut, **_FUNDING_RESPONSES},
    summary="Take a step of a funding application's review",
    description=(
        "One step of the review workflow: start_formal_check, pass_formal_check, "
        "return_to_applicant, submit_assessment, approve, reject, send_back; withdraw only for "
        "a token holder who is agency staff and also edits for the applicant municipality "
        "(until the decision; applicants withdraw on their application's page). Closing "
        "follows the final report's acceptance. The four-eyes rules apply: whoever assessed "
        "or changed the application (cost plan, decision draft) cannot approve or reject it "
        "(403, code four_eyes)."
    ),
    openapi_extra=auth_extra(),
)
def funding_application_action(request: HttpRequest, application_id: int, body: FundingActionIn):
    """Agency staff (can_review_applications); the step's own rules are the service's."""
    application = _get_object_or_404(_Application, pk=application_id)
    try:
        application = _application_transition(
            obj=application,
            action=body.action,
            actor=request.auth,
            note=body.note,
            expected_version=body.version,
        )
    except (_ValidationError, _PermissionDenied, _EditConflict) as error:
        return _refusal(error)
    return Status(200, _application_out(application, request.auth))


@router.post(
    "/funding/payments/{payment_id}/actions",
    auth=ApiTokenAuth(permission=can_review_applications),
    response={200: FundingPaymentOut, **_FUNDING_RESPONSES},
    summary="Approve, release or reject a payment request",
    description=(
        "first_approve, release or reject. A payment is released by two different people, "
        "neither of whom requested it (403, code four_eyes)."
    ),
    openapi_extra=auth_extra(),
)
def funding_payment_action(request: HttpRequest, payment_id: int, body: FundingActionIn):
    """Agency staff (can_review_applications); the four-eyes rules are the service's."""
    payment = _get_object_or_404(_PaymentRequest, pk=payment_id)
    try:
        payment = _payment_transition(
            obj=payment, action=body.action, actor=request.auth, expected_version=body.version
        )
    except (_ValidationError, _PermissionDenied, _EditConflict) as error:
        return _refusal(error)
    return Status(200, _payment_out(payment, request.auth))


# --- Change requests of an approved application (funding/changes.py) ---------------------------
# The same service as the pages: the applicant's editors ask (a token holder who also edits for
# the applicant municipality), staff decide under four eyes (first approval and acceptance by
# two different people, neither of them the requester). Who may not see the application gets
# 404, as on the pages.

from django.http import Http404 as _Http404  # noqa: E402

from partnerportal.funding.changes import (  # noqa: E402
    change_request_create as _change_request_create,
)
from partnerportal.funding.changes import change_transition as _change_transition  # noqa: E402
from partnerportal.funding.models import ChangeRequest as _ChangeRequest  # noqa: E402
from partnerportal.funding.permissions import can_view_application as _can_view  # noqa: E402


class ChangeLineIn(Schema):
    kind: Literal["flight", "accommodation", "per_diem", "interpretation", "other"]
    description: str = Field(..., max_length=300)
    amount_eur: str = Field(..., description="EUR, e.g. 1200.00.", examples=["1200.00"])


class ChangeRequestIn(Schema):
    reason: str = Field(..., description="Why the change is needed.")
    starts_on: dt.date | None = Field(None, description="The new start of the measure.")
    ends_on: dt.date | None = Field(None, description="The new end of the measure.")
    lines: list[ChangeLineIn] = Field(
        [], description="The proposed approved cost plan; empty: the plan stays as it is."
    )


class ChangeLineOut(Schema):
    kind: str
    description: str
    amount_eur: str


class ChangeRequestOut(Schema):
    id: int
    application: int
    state: Literal["requested", "first_approval", "accepted", "rejected"]
    reason: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    lines: list[ChangeLineOut]
    requested_at: dt.datetime
    version: int
    actions: list[str] = Field(..., description="The steps the token's holder may take now.")


class ChangeActionIn(Schema):
    action: Literal["first_approve", "accept", "reject"] = Field(
        ..., description="first_approve, then accept (by someone else), or reject."
    )
    version: int | None = Field(
        None, description="The version last read; the step is refused (409) if it has moved on."
    )


def _change_out(change, user) -> dict:
    return {
        "id": change.pk,
        "application": change.application_id,
        "state": change.state,
        "reason": change.reason,
        "starts_on": change.starts_on,
        "ends_on": change.ends_on,
        "lines": [
            {
                "kind": str(line.get("kind", "")),
                "description": str(line.get("description", "")),
                "amount_eur": f"{Decimal(str(line.get('amount_eur', '0'))):.2f}",
            }
            for line in change.lines or []
        ],
        "requested_at": change.requested_at,
        "version": change.version,
        "actions": [t.action for t in _available_actions(change, user)],
    }


def _visible_application(request: HttpRequest, application_id: int):
    application = _get_object_or_404(_Application, pk=application_id)
    if not _can_view(request.auth, application):
        raise _Http404  # as on the pages: nobody learns that it exists
    return application


@router.get(
    "/funding/applications/{application_id}/change-requests",
    auth=ApiTokenAuth(),
    response={200: list[ChangeRequestOut], **_FUNDING_RESPONSES},
    summary="The change requests of a funding application",
    description=(
        "Newest first, each with the steps the token's holder may take now. For agency staff "
        "and the applicant municipality's editors; to anyone else the application does not "
        "exist (404)."
    ),
    openapi_extra=auth_extra(),
)
def funding_change_requests(request: HttpRequest, application_id: int):
    """Staff and the applicant's editors (can_view_application); 404 for anyone else."""
    application = _visible_application(request, application_id)
    changes = _ChangeRequest.objects.filter(application=application)
    return Status(200, [_change_out(change, request.auth) for change in changes])


@router.post(
    "/funding/applications/{application_id}/change-requests",
    auth=ApiTokenAuth(),
    response={201: ChangeRequestOut, **_FUNDING_RESPONSES},
    summary="Ask for a change of an approved funding application",
    description=(
        "New dates and/or a new approved cost plan, with a reason. Only the applicant "
        "municipality's editors (403 not_permitted for anyone else who sees it), only for an "
        "approved application (422), the plan within the instrument's ceiling (422)."
    ),
    openapi_extra={
        "responses": {
            **{k: v for k, v in auth_extra()["responses"].items() if k != 200},
            201: {"description": "Created: the change request as stored."},
        }
    },
)
def funding_change_request_create(request: HttpRequest, application_id: int, body: ChangeRequestIn):
    """The applicant's editors (funding.changes.change_request_create decides)."""
    application = _visible_application(request, application_id)
    try:
        change = _change_request_create(
            application=application,
            actor=request.auth,
            reason=body.reason,
            starts_on=body.starts_on,
            ends_on=body.ends_on,
            lines=[line.dict() for line in body.lines],
        )
    except (_ValidationError, _PermissionDenied) as error:
        return _refusal(error)
    return Status(201, _change_out(change, request.auth))


@router.post(
    "/funding/change-requests/{change_id}/actions",
    auth=ApiTokenAuth(permission=can_review_applications),
    response={200: ChangeRequestOut, **_FUNDING_RESPONSES},
    summary="Approve, accept or reject a change request",
    description=(
        "first_approve, accept or reject. A change is accepted by two different members of "
        "staff, neither of whom requested it or edits for the applicant (403, code four_eyes); "
        "accepting replaces the approved plan and the dates. A step in the wrong state or "
        "with an old version is a 409."
    ),
    openapi_extra=auth_extra(),
)
def funding_change_action(request: HttpRequest, change_id: int, body: ChangeActionIn):
    """Agency staff (can_review_applications); the four-eyes rules are the service's."""
    change = _get_object_or_404(_ChangeRequest, pk=change_id)
    try:
        change = _change_transition(
            obj=change, action=body.action, actor=request.auth, expected_version=body.version
        )
    except (_ValidationError, _PermissionDenied, _EditConflict) as error:
        return _refusal(error)
    return Status(200, _change_out(change, request.auth))


# --- The programmes' instruments (the funding finder's data) -----------------------------------


class InstrumentRuleOut(Schema):
    rule: str = Field(..., description="Code of the rule (funding/eligibility.py).")
    parameters: dict = Field(..., description="The rule's parameters as stored.")
    text: str = Field(..., description="The condition in words, in the request's language.")


class InstrumentOut(Schema):
    slug: str = Field(..., examples=["reisekosten-anbahnung-delegation"])
    name: str
    programme: str = Field(..., description="Short name of the programme.")
    programme_name: str
    description: str
    cost_kinds: list[str] = Field(
        ..., description="flight, accommodation, per_diem, interpretation, other."
    )
    funding_rate_percent: str = Field(..., examples=["90.00"])
    own_contribution_percent: str = Field(..., examples=["10.00"])
    ceiling_eur: str | None = Field(None, description="EUR, two decimals; null: none.")
    call_mode: Literal["rolling", "deadline"]
    deadline: dt.date | None
    rules: list[InstrumentRuleOut]


@router.get(
    "/funding/instruments",
    response=responses(list[InstrumentOut], conditional=False),
    openapi_extra=extra(conditional=False),
    auth=None,
    summary="Open funding instruments",
    description=(
        "The instruments open for applications, with their rates, ceilings, kinds of cost and "
        "their eligibility rules: each as its code and parameters (the rule vocabulary of "
        "funding/eligibility.py) and in words in the request's language."
    ),
)
def funding_instruments(request: HttpRequest):
    """Public: what the funding finder shows everyone."""
    from partnerportal.funding.finder import open_instruments

    rows = []
    for instrument in open_instruments():
        rules = [rule for rule in instrument.eligibility_rules or [] if isinstance(rule, dict)]
        rows.append(
            {
                "slug": instrument.slug,
                "name": instrument.name,
                "programme": instrument.programme.slug,
                "programme_name": instrument.programme.name,
                "description": instrument.description,
                "cost_kinds": list(instrument.cost_kinds or []),
                "funding_rate_percent": _money(instrument.funding_rate_percent),
                "own_contribution_percent": _money(instrument.own_contribution_percent),
                "ceiling_eur": None
                if instrument.ceiling_eur is None
                else _money(instrument.ceiling_eur),
                "call_mode": instrument.call_mode,
                "deadline": instrument.deadline,
                "rules": [
                    {
                        "rule": str(rule.get("rule")),
                        "parameters": {k: v for k, v in rule.items() if k != "rule"},
                        "text": text,
                    }
                    for rule, text in zip(rules, _rule_texts(instrument), strict=True)
                ],
            }
        )
    return Status(200, rows)


def _rule_texts(instrument) -> list[str]:
    """The words of each listed rule, in the order of the list, with every fact unknown (the
    standing checks, open and deadline, are not listed rules)."""
    from partnerportal.funding.eligibility import Facts, instrument_check

    facts = Facts(today=dt.date.today())
    by_rule = {}
    for result in instrument_check(instrument, facts).results:
        by_rule.setdefault(result.rule, []).append(result.reason)
    out = []
    for rule in instrument.eligibility_rules or []:
        if not isinstance(rule, dict):
            continue
        reasons = by_rule.get(str(rule.get("rule")), [])
        out.append(reasons.pop(0) if reasons else "")
    return out
