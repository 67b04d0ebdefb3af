"""Events and registrations: /api/v1/events (issue 12).
(No `from __future__ import annotations` here: ninja reads the annotations at import.)

- `GET /events`, `GET /events/{id}`: open data (`auth=None`), published public events only,
  with `capacity`, `confirmed` and `waitlisted` counted from the registrations.
- `POST /events`, `PATCH /events/{id}`: staff integrations with an API token of an agency
  administrator or editor (`ApiTokenAuth(permission=can_manage_event)`: 401 without or with a
  bad token, 403 for other roles). They call the same services as the staff pages
  (events.services), so the same checks and audit entries apply; a validation problem answers
  422 in ninja's shape (`detail`: list of `loc`, `msg`, `type`).
`POST /events/{id}/registrations` is evreg's."""

import datetime as dt
import zoneinfo
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import field_validator, model_validator

from partnerportal.core.concurrency import EditConflict
from partnerportal.events.models import Event, EventFormat, EventSeries
from partnerportal.events.permissions import can_manage_event
from partnerportal.events.selectors import api_event_get, api_event_list
from partnerportal.events.services import event_create, event_update
from partnerportal.events.throttling import RegistrationRate
from partnerportal.geo.models import Country

from ..authentication import ApiTokenAuth
from ..documentation import auth_extra, extra, responses
from .accounts import ErrorOut
from .registry import MAX_ID, Pages

router = Router(tags=["events"])


# --- Registration (evreg) ---------------------------------------------------------------------
# (No `from __future__ import annotations` here: ninja reads the annotations at import.)

from typing import Annotated  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.exceptions import ValidationError as DjangoValidationError  # noqa: E402
from django.core.validators import validate_email  # noqa: E402
from django.http import Http404  # noqa: E402
from django.shortcuts import get_object_or_404  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from partnerportal.core.throttling import ThrottledOut  # noqa: E402
from partnerportal.events.permissions import can_register_for_event  # noqa: E402
from partnerportal.events.registrations import (  # noqa: E402
    Person,
    RegistrationClosed,
    RegistrationInvalid,
    registration_create,
)

from ..documentation import NotFoundOut, ValidationErrorOut  # noqa: E402

#: Ids are 64-bit in the database; a larger number is a 422, not a database error.
_MAX_ID = 2**63 - 1


class RegistrationIn(Schema):
    name: str = Field(..., max_length=200, description="Full name of the participant.")
    email: str = Field(..., max_length=254, description="E-mail address; the link goes there.")
    language: str = Field("de", description="Language of the e-mails: de, en, fr, es, ar or uk.")
    municipality: int | None = Field(
        None, ge=1, le=_MAX_ID, description="Id of the participant's municipality."
    )
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="Answers to the organisers' questions by question id; yes/no as booleans.",
    )
    consent: bool = Field(False, description="Agreement to the event's consent text, if any.")


class RegistrationOut(Schema):
    id: int
    status: str = Field(..., description="`confirmed` or `waitlisted`.")
    position: int | None = Field(
        None, description="Place on the waiting list (a delegation counts once); null if seated."
    )


class ClosedOut(Schema):
    """409 (registration closed, and why) and 400 (a body that is not JSON)."""

    detail: str


def _registration_problem(field: str, message: str) -> dict:
    """One entry of ninja's 422 shape; an answer (`q_<id>`) sits under `answers`."""
    loc = ["body", "payload", *(["answers", field[2:]] if field.startswith("q_") else [field])]
    return {"type": "value_error", "loc": loc, "msg": message}


@router.post(
    "/events/{event_id}/registrations",
    auth=None,
    throttle=[RegistrationRate()],
    response={
        201: RegistrationOut,
        400: ClosedOut,
        404: NotFoundOut,
        409: ClosedOut,
        422: ValidationErrorOut,
        429: ThrottledOut,
    },
    summary="Register for an event",
    description=(
        "Registers one person for a public event; no login needed. Answers 201 with `status` "
        "`confirmed` (a seat) or `waitlisted` and the `position` on the waiting list; 400 for a "
        "body that is not JSON; 409 when "
        "registration is closed; 422 naming each invalid field; 429 when one address sends "
        "more than the rate set by the operator. The person receives an e-mail with a link to "
        "see, change or cancel the registration."
    ),
    openapi_extra={"responses": {429: extra(conditional=False)["responses"][429]}},
)
def event_registration_create(
    request: HttpRequest,
    event_id: Annotated[int, Path(ge=1, le=_MAX_ID)],
    payload: RegistrationIn,
):
    """Public for published public events (events.permissions.can_register_for_event); other
    events are a 404. Seats are decided by registrations.registration_create under the
    event's lock."""
    event = get_object_or_404(Event, pk=event_id)
    # This endpoint takes no credentials (auth=None, no CSRF check): it answers as to anyone,
    # never with the browser's session (which would open non-public events to a forged POST).
    if not can_register_for_event(AnonymousUser(), event):
        raise Http404
    problems: list[dict] = []
    try:
        validate_email(payload.email)
    except DjangoValidationError:
        problems.append(_registration_problem("email", _("Enter a valid e-mail address.")))
    if not payload.name.strip() or "\x00" in payload.name:
        problems.append(_registration_problem("name", _("Please enter the name.")))
    if payload.language not in dict(settings.LANGUAGES):
        problems.append(
            _registration_problem("language", _("Please choose one of the site's languages."))
        )
    municipality = None
    if payload.municipality is not None:
        from partnerportal.registry.models import Municipality

        municipality = Municipality.objects.filter(pk=payload.municipality).first()
        if municipality is None:
            problems.append(
                _registration_problem("municipality", _("No municipality has this id."))
            )
    if problems:
        return Status(422, {"detail": problems})
    person = Person(
        name=payload.name,
        email=payload.email,
        language=payload.language,
        municipality=municipality,
        answers={str(k): v for k, v in payload.answers.items()},
        consent=payload.consent,
    )
    try:
        (result,) = registration_create(event=event, people=[person], actor=None)
    except RegistrationClosed as error:
        return Status(409, {"detail": str(error)})
    except RegistrationInvalid as error:
        return Status(
            422,
            {
                "detail": [
                    _registration_problem(field, msg)
                    for field, msgs in error.errors.items()
                    for msg in msgs
                ]
            },
        )
    return Status(
        201,
        {
            "id": result.registration.pk,
            "status": result.registration.status,
            "position": result.position,
        },
    )


staff_only = ApiTokenAuth(permission=can_manage_event)


class EventOut(Schema):
    id: int
    slug: str
    title: str
    series: str | None = Field(None, description="Slug of the series.")
    format: str
    status: str
    summary: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    timezone: str = Field(..., examples=["Europe/Berlin"])
    date_precision: str = Field(
        ..., description="day, month or year: how much of the date is known (history)."
    )
    venue: str
    place: str
    country: str | None = Field(None, description="ISO code of the venue's country.")
    online_url: str
    languages: list[str]
    interpretation: str
    target_group: str
    partner_countries: list[str]
    host_municipalities: list[int]
    co_host_municipalities: list[int]
    capacity: int | None
    registration_open: bool
    confirmed: int
    waitlisted: int
    version: int = Field(..., description="Send it with PATCH to detect changes in between.")

    @staticmethod
    def resolve_series(obj: Event) -> str | None:
        return obj.series.slug if obj.series_id else None

    @staticmethod
    def resolve_format(obj: Event) -> str:
        return obj.format or (obj.series.format if obj.series_id else "")

    @staticmethod
    def resolve_country(obj: Event) -> str | None:
        return obj.country_id

    @staticmethod
    def resolve_partner_countries(obj: Event) -> list[str]:
        return sorted(c.iso2 for c in obj.partner_countries.all())

    @staticmethod
    def resolve_host_municipalities(obj: Event) -> list[int]:
        return sorted(m.pk for m in obj.host_municipalities.all())

    @staticmethod
    def resolve_co_host_municipalities(obj: Event) -> list[int]:
        return sorted(m.pk for m in obj.co_host_municipalities.all())

    @staticmethod
    def resolve_confirmed(obj: Event) -> int:
        return getattr(obj, "confirmed_count", 0)

    @staticmethod
    def resolve_waitlisted(obj: Event) -> int:
        return getattr(obj, "waitlisted_count", 0)


class EventFilters(Schema):
    series: str = Field("", max_length=80, description="Slug or id of a series.")
    country: str = Field(
        "", max_length=2, description="ISO code: partner country, venue or series country."
    )
    from_: dt.datetime | None = Field(
        None, alias="from", description="Events that end at or after this moment (ISO 8601)."
    )
    to: dt.datetime | None = Field(None, description="Events that start at or before this moment.")

    @field_validator("from_", "to")
    @classmethod
    def _moment(cls, value: dt.datetime | None) -> dt.datetime | None:
        """A moment without offset is German time, as on the calendar page."""
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
        return _in_utc(value)


def _in_utc(value: dt.datetime) -> dt.datetime:
    """The moment in UTC: PostgreSQL refuses offsets past ±15:59 that ISO 8601 and Python allow."""
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError("The moment lies outside the years 1 to 9999 in UTC.") from None


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("Give the time with its offset from UTC, e.g. 2027-03-12T09:00:00+01:00.")
    return _in_utc(value)


class _EventWrite(Schema):
    series: str | int | None = Field(None, description="Slug or id of the series.")
    format: EventFormat | None = None
    status: Event.Status | None = None
    is_public: bool | None = None
    summary: str | None = Field(None, max_length=5000)
    venue: str | None = Field(None, max_length=200)
    place: str | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=300)
    country: str | None = Field(None, max_length=2, description="ISO code of the venue.")
    online_url: str | None = Field(None, max_length=200)
    languages: list[str] | None = None
    interpretation: str | None = Field(None, max_length=300)
    target_group: str | None = Field(None, max_length=2000)
    agenda: str | None = None
    results: str | None = None
    report: str | None = None
    partner_countries: list[str] | None = None
    registration_closes_at: dt.datetime | None = None

    @field_validator("registration_closes_at")
    @classmethod
    def _closes_aware(cls, value):
        return _aware(value)


class EventCreateIn(_EventWrite):
    title: str = Field(..., min_length=1, max_length=200)
    starts_at: dt.datetime = Field(..., description="ISO 8601 with offset.")
    ends_at: dt.datetime = Field(..., description="ISO 8601 with offset.")
    timezone: str = Field(..., examples=["Europe/Berlin"], description="IANA time zone.")
    capacity: int | None = Field(..., ge=0, le=1_000_000, description="Seats; null: no limit.")
    registration_open: bool

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _with_offset(cls, value):
        return _aware(value)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in zoneinfo.available_timezones():
            raise ValueError(f"Unknown time zone {value!r} (IANA names, e.g. Europe/Berlin).")
        return value

    @model_validator(mode="after")
    def _order(self):
        if self.ends_at < self.starts_at:
            raise ValueError("ends_at is before starts_at.")
        return self


class EventPatchIn(_EventWrite):
    title: str | None = Field(None, min_length=1, max_length=200)
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    timezone: str | None = None
    capacity: int | None = Field(None, ge=0, le=1_000_000)
    registration_open: bool | None = None
    version: int | None = Field(
        None, description="The version last read; a changed event then answers 409."
    )

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _with_offset(cls, value):
        return _aware(value)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value):
        if value is not None and value not in zoneinfo.available_timezones():
            raise ValueError(f"Unknown time zone {value!r} (IANA names, e.g. Europe/Berlin).")
        return value


def _problem(field: str, message: str) -> dict:
    return {"loc": ["body", "payload", field], "msg": message, "type": "value_error"}


def _resolve(payload: _EventWrite, fields: dict[str, Any]) -> dict[str, Any]:
    """Slugs and codes to objects; unknown ones are 422 with their field."""
    problems = []
    if "series" in fields:
        ref = fields["series"]
        if ref is None:
            pass
        else:
            text = str(ref)
            series = (
                EventSeries.objects.filter(pk=int(text)).first()
                if text.isdigit()
                else EventSeries.objects.filter(slug=text).first()
            )
            if series is None:
                problems.append(_problem("series", "Unknown series."))
            fields["series"] = series
    if "country" in fields and fields["country"] is not None:
        country = Country.objects.filter(iso2=fields["country"].upper()).first()
        if country is None:
            problems.append(_problem("country", "Unknown country code."))
        fields["country"] = country
    if "partner_countries" in fields:
        codes = [c.upper() for c in fields["partner_countries"] or []]
        countries = list(Country.objects.filter(iso2__in=codes))
        if len(countries) != len(set(codes)):
            problems.append(_problem("partner_countries", "Unknown country code."))
        fields["partner_countries"] = countries
    for name in ("format", "status"):
        if fields.get(name) is not None:
            fields[name] = str(getattr(fields[name], "value", fields[name]))
    for name in ("summary", "venue", "place", "address", "online_url", "interpretation"):
        if name in fields and fields[name] is None:
            fields[name] = ""
    if problems:
        raise NinjaValidationError(problems)
    return fields


def _model_problems(error: ValidationError) -> NinjaValidationError:
    if hasattr(error, "error_dict"):
        return NinjaValidationError(
            [_problem(field, " ".join(e.messages)) for field, e in error.error_dict.items()]
        )
    return NinjaValidationError([_problem("__all__", " ".join(error.messages))])


def _out(event_id: int) -> Event:
    return api_event_get(event_id, include_hidden=True)


@router.get(
    "/events",
    response=responses(list[EventOut], conditional=False),
    openapi_extra=extra(conditional=False),
    auth=None,
    summary="List events",
    description=(
        "Published public events, ordered by start, with seats (`capacity`, `confirmed`, "
        "`waitlisted`). Filters: `series` (slug or id), `country` (ISO code of a partner "
        "country, the venue or the series), `from` and `to` (ISO 8601). "
        "Example: `/api/v1/events?series=regionalkonferenz-afrika&from=2027-01-01T00:00:00Z`."
    ),
)
@paginate(Pages)
def events(request: HttpRequest, filters: Query[EventFilters]):
    """Public: published public events only."""
    return api_event_list(
        series=filters.series,
        country=filters.country,
        starts_from=filters.from_,
        starts_to=filters.to,
    )


@router.get(
    "/events/{event_id}",
    response=responses(EventOut, not_found=True, conditional=False),
    openapi_extra=extra(conditional=False),
    auth=None,
    summary="One event",
    description="A published public event with its seats. Example: `/api/v1/events/1`.",
)
def event(request: HttpRequest, event_id: int = Path(..., ge=1, le=MAX_ID)):
    """Public: published public events only (others are 404, as if they did not exist)."""
    found = api_event_get(event_id)
    if found is None:
        raise HttpError(404, "Not found.")
    return found


@router.post(
    "/events",
    response={
        201: EventOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ValidationErrorOut,
        429: ThrottledOut,
    },
    auth=staff_only,
    summary="Create an event (staff)",
    description=(
        "Needs `title`, `starts_at` and `ends_at` (ISO 8601 with offset), `timezone` (IANA), "
        "`capacity` (null: no limit) and `registration_open`; everything else is optional. "
        "Answers 201 with the event; 422 for bad input (times without offset, an unknown zone, "
        "an end before the start)."
    ),
    openapi_extra=auth_extra(),
)
def events_create(request: HttpRequest, payload: EventCreateIn):
    """Agency administrators and editors, by API token (events.permissions.can_manage_event)."""
    fields = _resolve(payload, payload.dict(exclude_unset=True))
    try:
        created = event_create(actor=request.user, **fields)
    except ValidationError as error:
        raise _model_problems(error) from error
    return Status(201, _out(created.pk))


@router.patch(
    "/events/{event_id}",
    response={
        200: EventOut,
        401: ErrorOut,
        403: ErrorOut,
        404: NotFoundOut,
        409: dict,
        422: ValidationErrorOut,
        429: ThrottledOut,
    },
    auth=staff_only,
    summary="Change an event (staff)",
    description=(
        "Only the fields sent change. Send `version` (from a previous answer) to be refused "
        "with 409 when someone changed the event in between."
    ),
    openapi_extra=auth_extra(),
)
def events_update(
    request: HttpRequest, payload: EventPatchIn, event_id: int = Path(..., ge=1, le=MAX_ID)
):
    """Agency administrators and editors, by API token."""
    found = Event.objects.select_related("series").filter(pk=event_id).first()
    if found is None:
        raise HttpError(404, "Not found.")
    fields = payload.dict(exclude_unset=True)
    version = fields.pop("version", None)
    fields = _resolve(payload, fields)
    starts = fields.get("starts_at", found.starts_at)
    ends = fields.get("ends_at", found.ends_at)
    if ends < starts:
        raise NinjaValidationError([_problem("ends_at", "ends_at is before starts_at.")])
    try:
        event_update(actor=request.user, event=found, expected_version=version, **fields)
    except EditConflict as error:
        return Status(
            409,
            {
                "detail": "The event was changed in the meantime.",
                "code": "edit_conflict",
                "version": error.current_version,
            },
        )
    except ValidationError as error:
        raise _model_problems(error) from error
    return Status(200, _out(found.pk))
