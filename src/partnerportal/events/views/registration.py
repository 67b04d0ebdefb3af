"""Registration pages: the form (one person or a delegation), the thank-you page and the
self-service page behind the secret link. They parse and render; `registrations.py` decides.

Who may see and do what:
- the form and the thank-you page: anyone for a published public event
  (`permissions.can_register_for_event`); other events are a 404 for everyone else.
- the self-service page and the visa letter: whoever holds the link's secret (no login); a
  wrong, unknown or renewed (older) secret is a 404 page that says the link is not valid (any
  more) and how to ask for a new one: the same for a forged and an old link, so it tells
  nobody whether a link ever existed.
- asking for a new link: anyone, limited per client like registering; the answer is the same
  whether or not the address is registered.
"""

from __future__ import annotations

import math

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from partnerportal.accounts.roles import edited_municipality_ids

from .. import registrations as services
from ..models import Event, Registration
from ..permissions import can_register_for_event
from ..registration_forms import (
    DELEGATION_MAX,
    AnswersForm,
    DelegationForm,
    LinkRequestForm,
    PeopleCountForm,
    PersonForm,
)
from ..registrations import (
    RegistrationClosed,
    RegistrationInvalid,
    RegistrationStateError,
    event_seat_summary,
    registration_by_token,
    registration_cancel,
    registration_closed_reason,
    registration_links_request,
    registration_offer_accept,
    registration_offer_decline,
    registration_update,
)
from ..throttling import RegistrationRate
from ..visa import visa_letter_allowed, visa_letter_pdf
from ..waitlist import waitlist_position

SESSION_KEY = "events_registered"


def _event_for(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event, slug=slug)
    if not can_register_for_event(request.user, event):
        raise Http404
    return event


def _people_count(request: HttpRequest) -> int:
    """The delegation's size from `?personen=N` (or the form's hidden field); 1: one person."""
    raw = request.POST.get("personen") or request.GET.get("personen") or "1"
    try:
        count = int(raw)
    except ValueError:
        return 1
    return count if 2 <= count <= DELEGATION_MAX else 1


def _municipality_initial(user):
    """A municipal editor registers for their municipality: prefilled when they edit one."""
    ids = sorted(edited_municipality_ids(user))
    if not ids:
        return None
    from partnerportal.registry.models import Municipality

    return Municipality.objects.filter(pk=ids[0]).first()


def _add_errors(form_for, error: RegistrationInvalid) -> None:
    """Put the service's refusals at their fields (`3.email`: the fourth person's e-mail)."""
    for key, messages_ in error.errors.items():
        index, _sep, name = key.rpartition(".")
        form = form_for(int(index) if index else None)
        form.add_error(name if name in form.fields else None, messages_)


@never_cache
@require_http_methods(["GET", "POST"])
def registration_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Public for published public events (can_register_for_event). Nothing is saved while a
    field is wrong; errors stand at their fields. Sending is limited per client like the API's
    registrations (one counter for both): over it, the 429 page says how long to wait."""
    event = _event_for(request, slug)
    if request.method == "POST":
        throttle = RegistrationRate()
        if not throttle.allow_request(request):
            seconds = math.ceil(throttle.wait())
            response = render(
                request,
                "429.html",
                {
                    "message": _(
                        "You have sent many registrations in a short time. Please wait "
                        "%(seconds)s seconds and try again."
                    )
                    % {"seconds": seconds}
                },
                status=429,
            )
            response["Retry-After"] = str(seconds)
            return response
    closed = registration_closed_reason(event)
    count = _people_count(request)
    municipality = _municipality_initial(request.user)
    user = request.user if request.user.is_authenticated else None
    initial_person = {"language": get_language()}
    if user is not None:
        initial_person.update({"name": user.display_name, "email": user.email})
    data = request.POST if request.method == "POST" and not closed else None
    delegation_form = None
    if count > 1:
        delegation_form = DelegationForm(
            data,
            event=event,
            prefix="delegation",
            initial={
                "municipality": municipality,
                "language": get_language(),
                **(
                    {"registrant_name": user.display_name, "registrant_email": user.email}
                    if user
                    else {}
                ),
            },
        )
        forms_ = [
            PersonForm(
                data,
                event=event,
                prefix=f"person-{index}",
                with_municipality=False,
                with_consent=False,
                initial={"language": get_language()},
            )
            for index in range(count)
        ]
    else:
        forms_ = [
            PersonForm(
                data,
                event=event,
                prefix="person-0",
                initial={**initial_person, "municipality": municipality},
            )
        ]
    status = 200
    if request.method == "POST" and closed:
        status = 409
    elif request.method == "POST":
        # Every form validated (not all(): that stops at the first), so every error shows.
        checked = [form.is_valid() for form in forms_]
        valid = all(checked) and (delegation_form is None or delegation_form.is_valid())
        if valid:
            try:
                if delegation_form is not None:
                    info = delegation_form.info()
                    consent = bool(delegation_form.cleaned_data.get("consent"))
                    people = [
                        form.person(municipality=info.municipality, consent=consent)
                        for form in forms_
                    ]
                    results = services.registration_create(
                        event=event, people=people, delegation_info=info, actor=user
                    )
                else:
                    results = services.registration_create(
                        event=event, people=[forms_[0].person(user=user)], actor=user
                    )
            except RegistrationClosed as error:
                closed = str(error)
                status = 409
            except RegistrationInvalid as error:
                _add_errors(lambda index: forms_[index or 0], error)
                status = 422
            else:
                request.session[SESSION_KEY] = [r.registration.pk for r in results]
                return redirect("events:registration_done", slug=event.slug)
        else:
            status = 422
    return render(
        request,
        "events/registration_form.html",
        {
            "event": event,
            "closed": closed,
            "forms": forms_,
            "delegation_form": delegation_form,
            "people_count": count,
            "count_form": PeopleCountForm(initial={"personen": max(count, 2)}),
            "seats": event_seat_summary(event),
        },
        status=status,
    )


@never_cache
@require_GET
def registration_done(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: shows only the registrations this browser session just made."""
    event = _event_for(request, slug)
    ids = request.session.get(SESSION_KEY) or []
    registrations = list(Registration.objects.filter(event=event, pk__in=ids).order_by("pk"))
    if not registrations:
        return redirect("events:registration_create", slug=event.slug)
    for registration in registrations:
        registration.position = waitlist_position(registration)
    return render(
        request, "events/registration_done.html", {"event": event, "registrations": registrations}
    )


class LinkInvalid(Exception):
    """The link's secret opens no registration (forged, mistyped, renewed or anonymised)."""


def _by_token(token: str) -> Registration:
    registration = registration_by_token(token)
    if registration is None:
        raise LinkInvalid
    return registration


def _link_invalid(request: HttpRequest) -> HttpResponse:
    return render(
        request, "events/registration_link_invalid.html", {"form": LinkRequestForm()}, status=404
    )


def _throttled(request: HttpRequest) -> HttpResponse | None:
    throttle = RegistrationRate()
    if throttle.allow_request(request):
        return None
    seconds = math.ceil(throttle.wait())
    response = render(
        request,
        "429.html",
        {
            "message": _(
                "You have sent many requests in a short time. Please wait %(seconds)s "
                "seconds and try again."
            )
            % {"seconds": seconds}
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def registration_link_request(request: HttpRequest) -> HttpResponse:
    """Anyone (limited per client): a new link to each registration under the address. The
    answer is the same whether or not the address is registered (no enumeration)."""
    form = LinkRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        refused = _throttled(request)
        if refused is not None:
            return refused
        if form.is_valid():
            registration_links_request(email=form.cleaned_data["email"])
            messages.success(
                request,
                _(
                    "If there is a registration for an event still to come under this address, "
                    "we have sent its link to it again."
                ),
            )
            return redirect("events:registration_link_request")
        status = 422
    return render(request, "events/registration_link_request.html", {"form": form}, status=status)


MANAGE_ACTIONS = ("cancel", "accept", "decline", "answers")


@never_cache
@require_http_methods(["GET", "POST"])
def registration_manage(request: HttpRequest, token: str) -> HttpResponse:
    """Whoever holds the link: see the status and place, change answers, cancel, accept or
    decline an offer, leave the waiting list."""
    try:
        registration = _by_token(token)
    except LinkInvalid:
        return _link_invalid(request)
    event = registration.event
    answers_form = AnswersForm(
        event=event,
        initial={
            "name": registration.name,
            "language": registration.language,
            "role": registration.role,
            "municipality_text": registration.municipality_text,
            "dietary_needs": registration.dietary_needs,
            "interpretation_needs": registration.interpretation_needs,
            **{
                f"q_{key}": ("yes" if value is True else "no" if value is False else value)
                for key, value in registration.answers.items()
            },
        },
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in MANAGE_ACTIONS:
            return HttpResponse(status=400)
        try:
            if action == "cancel":
                registration_cancel(registration=registration)
                messages.success(request, _("Your registration has been cancelled."))
            elif action == "accept":
                registration_offer_accept(registration=registration)
                messages.success(request, _("You have accepted the seat. See you there!"))
            elif action == "decline":
                registration_offer_decline(registration=registration)
                messages.success(request, _("You have declined the seat."))
            else:
                answers_form = AnswersForm(request.POST, event=event)
                if answers_form.is_valid():
                    registration_update(registration=registration, changes=answers_form.changes())
                    messages.success(request, _("Your answers have been saved."))
                else:
                    raise RegistrationInvalid({})
        except RegistrationStateError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        except RegistrationInvalid as error:
            for key, messages_ in error.errors.items():
                answers_form.add_error(key if key in answers_form.fields else None, messages_)
            status = 422
        else:
            return redirect(request.path)
    Status = Registration.Status
    return render(
        request,
        "events/registration_manage.html",
        {
            "event": event,
            "registration": registration,
            "position": waitlist_position(registration),
            "answers_form": answers_form,
            "can_cancel": registration.status != Status.CANCELLED and event.ends_at > _now(),
            "is_offer": registration.status == Status.OFFERED,
            "visa_letter": visa_letter_allowed(registration),
            "visa_url": reverse("events:registration_visa_letter", kwargs={"token": token}),
        },
        status=status,
    )


def _now():
    from django.utils import timezone

    return timezone.now()


@never_cache
@require_GET
def registration_visa_letter(request: HttpRequest, token: str) -> HttpResponse:
    """Whoever holds the link, if the person asked for a letter and has a seat."""
    try:
        registration = _by_token(token)
    except LinkInvalid:
        return _link_invalid(request)
    if not visa_letter_allowed(registration):
        raise Http404
    response = HttpResponse(visa_letter_pdf(registration), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="visa-invitation.pdf"'
    return response
