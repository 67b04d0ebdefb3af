"""Events and registrations: /api/v1/events (issue 12)."""

from ninja import Router

router = Router(tags=["events"])


# --- Registration (evreg) ---------------------------------------------------------------------
# (No `from __future__ import annotations` here: ninja reads the annotations at import.)

from typing import Annotated, Any  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.exceptions import ValidationError as DjangoValidationError  # noqa: E402
from django.core.validators import validate_email  # noqa: E402
from django.http import Http404, HttpRequest  # noqa: E402
from django.shortcuts import get_object_or_404  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from ninja import Field, Path, Schema  # noqa: E402
from ninja.responses import Status  # noqa: E402

from partnerportal.core.throttling import AnonymousRate, ThrottledOut  # noqa: E402
from partnerportal.events.models import Event  # noqa: E402
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


class RegistrationRate(AnonymousRate):
    """Registrations per caller's address, logged in or not (EVENTS_REGISTRATION_RATE): a form
    anyone may send is the first thing a script floods."""

    scope = "events-registration"
    setting = "EVENTS_REGISTRATION_RATE"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


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


def _problem(field: str, message: str) -> dict:
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
    if not can_register_for_event(request.user, event):
        raise Http404
    problems: list[dict] = []
    try:
        validate_email(payload.email)
    except DjangoValidationError:
        problems.append(_problem("email", _("Enter a valid e-mail address.")))
    if not payload.name.strip() or "\x00" in payload.name:
        problems.append(_problem("name", _("Please enter the name.")))
    if payload.language not in dict(settings.LANGUAGES):
        problems.append(_problem("language", _("Please choose one of the site's languages.")))
    municipality = None
    if payload.municipality is not None:
        from partnerportal.registry.models import Municipality

        municipality = Municipality.objects.filter(pk=payload.municipality).first()
        if municipality is None:
            problems.append(_problem("municipality", _("No municipality has this id.")))
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
                    _problem(field, msg) for field, msgs in error.errors.items() for msg in msgs
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
