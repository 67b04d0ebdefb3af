"""The organisers' pages of an event, under /veranstaltungen/<slug>/organisation/: participant
list and its exports, badges and attendance list, check-in at the door, certificates and
messages to participants.

Who: the agency's administrators and editors (`permissions.can_manage_event`), who have passed
the second factor (the accounts middleware holds every staff request to it). Anyone else who is
logged in is refused (403), the public is sent to the login. Every response carries personal
data, so none of them may be cached (`private, no-store`)."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import badges, certificate_emails, certificates, exports, organising
from ..models import Event, EventMessage, Registration
from ..organiser_forms import CheckInForm, EventMessageForm, ParticipantFilterForm
from ..permissions import can_manage_event
from ..registration_history import registration_timeline
from ..registrations import RegistrationStateError, registration_link_renew
from ..waitlist import waitlist_position

#: How many of the latest check-ins the door page lists (with their undo buttons).
RECENT_CHECK_INS = 8


def _event(request: HttpRequest, slug: str) -> Event:
    if not can_manage_event(request.user):
        raise PermissionDenied
    return get_object_or_404(Event.objects.select_related("series"), slug=slug)


def _organiser_language(request: HttpRequest) -> str:
    """Documents for the organisers are in their own language (German or English)."""
    return getattr(request.user, "language", "") or translation.get_language() or "de"


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Cache-Control"] = "private, no-store"
    return response


def _file(
    content: bytes, *, content_type: str, filename: str, inline: bool = False
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return _private(response)


@login_required
def participants(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    form = ParticipantFilterForm(request.GET or None, event=event)
    filters = form.filters()
    rows = list(organising.participants(event, **filters))
    # Delegations as groups: the list is ordered so that their members are together.
    grouped = [
        (members[0].delegation, members)
        for _key, members in (
            (key, list(group)) for key, group in groupby(rows, key=lambda r: r.delegation_id)
        )
    ]
    context = {
        "event": event,
        "form": form,
        "grouped": grouped,
        "shown": len(rows),
        "counts": organising.participant_counts(event),
        "query": request.GET.urlencode(),
    }
    return _private(render(request, "events/organiser/participants.html", context))


#: What the organisers may do on a registration's page (POST `action`).
REGISTRATION_ACTIONS = ("renew_link", "cancel", "send_certificate")


@login_required
def registration_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One registration for the organisers: its details, its history as a timeline (states
    only, ADR 0013) and what they may do with it: send a new self-service link (the old one
    stops working), cancel it, send the certificate (again)."""
    event = _event(request, slug)
    registration = get_object_or_404(
        Registration.objects.select_related("municipality", "group", "delegation"),
        event=event,
        pk=pk,
        anonymised_at__isnull=True,
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in REGISTRATION_ACTIONS:
            return _private(HttpResponse(status=400))
        try:
            if action == "renew_link":
                registration_link_renew(actor=request.user, registration=registration)
                messages.success(
                    request, _("A new link has been sent; the earlier link no longer works.")
                )
            elif action == "cancel":
                organising.registration_cancel_by_organiser(
                    actor=request.user, registration=registration
                )
                messages.success(request, _("The registration has been cancelled."))
            else:
                certificate_emails.certificate_send(actor=request.user, registration=registration)
                messages.success(request, _("The certificate is being sent."))
        except (RegistrationStateError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("events:organiser_registration", slug=event.slug, pk=registration.pk)
    context = {
        "event": event,
        "registration": registration,
        "position": waitlist_position(registration),
        "timeline": registration_timeline(registration),
        "can_cancel": registration.status != Registration.Status.CANCELLED,
        "can_certificate": (
            registration.status == Registration.Status.CONFIRMED
            and registration.checked_in_at is not None
            and bool(registration.email)
        ),
    }
    return _private(render(request, "events/organiser/registration.html", context))


@login_required
@require_POST
def certificates_email(request: HttpRequest, slug: str) -> HttpResponse:
    """Send every checked-in person their certificate; once, unless `resend` is ticked."""
    event = _event(request, slug)
    resend = request.POST.get("resend") == "1"
    sent = certificate_emails.certificates_send(actor=request.user, event=event, resend=resend)
    if sent:
        messages.success(
            request,
            translation.ngettext(
                "%(count)s certificate is being sent.",
                "%(count)s certificates are being sent.",
                sent,
            )
            % {"count": sent},
        )
    else:
        messages.info(request, _("Nobody is waiting for a certificate: all have received theirs."))
    return redirect("events:organiser_participants", slug=event.slug)


@login_required
def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    filters = ParticipantFilterForm(request.GET or None, event=event).filters()
    content = exports.participants_csv(event, language=_organiser_language(request), **filters)
    return _file(
        content, content_type="text/csv; charset=utf-8", filename=f"teilnehmende-{event.slug}.csv"
    )


@login_required
def export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    filters = ParticipantFilterForm(request.GET or None, event=event).filters()
    content = exports.participants_xlsx(event, language=_organiser_language(request), **filters)
    return _file(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=f"teilnehmende-{event.slug}.xlsx",
    )


def _confirmed(event: Event) -> list[Registration]:
    return list(
        organising.participants(event, status=Registration.Status.CONFIRMED)
        .select_related(None)
        .select_related("municipality")
        .order_by("name", "pk")
    )


@login_required
def badges_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    content = badges.badges_pdf(event, _confirmed(event), language=_organiser_language(request))
    return _file(
        content,
        content_type="application/pdf",
        filename=f"namensschilder-{event.slug}.pdf",
        inline=True,
    )


@login_required
def attendance_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    content = badges.attendance_pdf(event, _confirmed(event), language=_organiser_language(request))
    return _file(
        content,
        content_type="application/pdf",
        filename=f"anwesenheitsliste-{event.slug}.pdf",
        inline=True,
    )


def _recent_check_ins(event: Event) -> list[Registration]:
    return list(
        Registration.objects.filter(event=event, checked_in_at__isnull=False)
        .select_related("municipality")
        .order_by("-checked_in_at", "-pk")[:RECENT_CHECK_INS]
    )


@login_required
def check_in(request: HttpRequest, slug: str) -> HttpResponse:
    """The door: type or scan a code. Works without JavaScript (a plain form); checkin.js adds
    the camera where the browser can read QR codes."""
    event = _event(request, slug)
    result = None
    form = CheckInForm()
    status = 200
    if request.method == "POST":
        submitted = CheckInForm(request.POST)
        if submitted.is_valid():
            result = organising.registration_check_in(
                actor=request.user, event=event, code=submitted.cleaned_data["code"]
            )
            if result.outcome == organising.CheckInOutcome.REFUSED:
                status = 409
        else:
            form = submitted
            status = 400
    context = {
        "event": event,
        "form": form,
        "result": result,
        "outcomes": organising.CheckInOutcome,
        "counts": organising.participant_counts(event),
        "recent": _recent_check_ins(event),
    }
    return _private(render(request, "events/organiser/check_in.html", context, status=status))


@login_required
@require_POST
def check_in_undo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    registration = get_object_or_404(Registration, event=event, pk=pk)
    organising.registration_check_in_undo(actor=request.user, registration=registration)
    messages.success(
        request, _("The check-in of %(name)s was undone.") % {"name": registration.name}
    )
    return redirect("events:organiser_check_in", slug=event.slug)


@login_required
def certificates_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """All certificates as one PDF: everyone who was checked in."""
    event = _event(request, slug)
    checked_in = [
        registration for registration in _confirmed(event) if registration.checked_in_at is not None
    ]
    content = certificates.certificates_pdf(event, checked_in)
    return _file(
        content,
        content_type="application/pdf",
        filename=f"teilnahmebescheinigungen-{event.slug}.pdf",
        inline=True,
    )


@login_required
def certificate_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    registration = get_object_or_404(
        Registration.objects.select_related("event", "municipality"), event=event, pk=pk
    )
    try:
        content = certificates.certificate_pdf(registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("events:organiser_participants", slug=event.slug)
    return _file(
        content,
        content_type="application/pdf",
        filename=f"teilnahmebescheinigung-{event.slug}-{registration.pk}.pdf",
        inline=True,
    )


@login_required
def messages_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    form = EventMessageForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organising.event_message_create(
                actor=request.user,
                event=event,
                audience=data["audience"],
                subject=data["subject"],
                body=data["body"],
                send_at=data["send_at"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            if data["send_at"]:
                messages.success(request, _("The message is scheduled."))
            else:
                messages.success(request, _("The message is being sent."))
            return redirect("events:organiser_messages", slug=event.slug)
    context = {
        "event": event,
        "form": form,
        "sent_messages": list(
            EventMessage.objects.filter(event=event).select_related("created_by")
        ),
    }
    return _private(render(request, "events/organiser/messages.html", context))


@login_required
@require_POST
def message_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    message = get_object_or_404(EventMessage, event=event, pk=pk)
    try:
        organising.event_message_withdraw(actor=request.user, message=message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The message was withdrawn."))
    return redirect("events:organiser_messages", slug=event.slug)


urlpatterns = [
    path("<slug:slug>/organisation/", participants, name="organiser_participants"),
    path(
        "<slug:slug>/organisation/teilnehmende/<int:pk>/",
        registration_detail,
        name="organiser_registration",
    ),
    path(
        "<slug:slug>/organisation/bescheinigungen/senden/",
        certificates_email,
        name="organiser_certificates_email",
    ),
    path("<slug:slug>/organisation/teilnehmende.csv", export_csv, name="organiser_export_csv"),
    path("<slug:slug>/organisation/teilnehmende.xlsx", export_xlsx, name="organiser_export_xlsx"),
    path("<slug:slug>/organisation/namensschilder.pdf", badges_pdf, name="organiser_badges"),
    path(
        "<slug:slug>/organisation/anwesenheitsliste.pdf",
        attendance_pdf,
        name="organiser_attendance",
    ),
    path("<slug:slug>/organisation/einlass/", check_in, name="organiser_check_in"),
    path(
        "<slug:slug>/organisation/einlass/<int:pk>/rueckgaengig/",
        check_in_undo,
        name="organiser_check_in_undo",
    ),
    path(
        "<slug:slug>/organisation/bescheinigungen.pdf",
        certificates_pdf,
        name="organiser_certificates",
    ),
    path(
        "<slug:slug>/organisation/bescheinigungen/<int:pk>.pdf",
        certificate_pdf,
        name="organiser_certificate",
    ),
    path("<slug:slug>/organisation/nachrichten/", messages_page, name="organiser_messages"),
    path(
        "<slug:slug>/organisation/nachrichten/<int:pk>/zurueckziehen/",
        message_withdraw,
        name="organiser_message_withdraw",
    ),
]
