"""Staff pages: create and edit an event with its participant groups and registration
questions, invite municipalities; list, create and edit event series and the past events of
their history (issue 12).

Who: agency administrators and editors (events.permissions.can_manage_event); the staff second
factor is asked by accounts.middleware before any of this runs. Everyone else logged in gets
403, the public the login page. Two editors of the same event never lose each other's work: the
form carries the version it was read at, and a save on an older version is refused with the
person's input kept (409) and the current version in the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerportal.core.concurrency import EditConflict
from partnerportal.core.forms import form_with_version

from .. import services
from ..forms import (
    EventForm,
    GroupFormSet,
    HistoryEntryForm,
    InviteForm,
    QuestionFormSet,
    SeriesForm,
    formset_rows,
)
from ..models import Event, EventInvitation, EventSeries
from ..permissions import can_manage_event


def _guard(request: HttpRequest, event: Event | None = None) -> None:
    if not can_manage_event(request.user, event):
        raise PermissionDenied


def _validation_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _editor(request: HttpRequest, event: Event | None) -> HttpResponse:
    _guard(request, event)
    instance = event or Event()
    status = 200
    conflict = False
    if request.method == "POST":
        form = EventForm(request.POST, instance=instance)
        groups = GroupFormSet(request.POST, prefix="groups", instance=instance)
        questions = QuestionFormSet(request.POST, prefix="questions", instance=instance)
        if form.is_valid() and groups.is_valid() and questions.is_valid():
            fields = form.service_fields()
            rows = {"groups": formset_rows(groups), "questions": formset_rows(questions)}
            try:
                if event is None:
                    saved = services.event_create(actor=request.user, **fields, **rows)
                else:
                    saved = services.event_update(
                        actor=request.user,
                        event=event,
                        expected_version=form.cleaned_data["version"],
                        **fields,
                        **rows,
                    )
            except EditConflict as error:
                conflict = True
                if error.deleted:
                    messages.error(request, _("This event has been removed in the meantime."))
                    return redirect("events:calendar")
                form_with_version(form, error.current_version)
                messages.error(
                    request,
                    _(
                        "Someone else saved this event while you were editing it. Nothing of "
                        "yours was saved; your input is kept below. Compare it with the event "
                        "page and save again."
                    ),
                )
            except ValidationError as error:
                _validation_to_form(form, error)
            else:
                messages.success(request, _("The event has been saved."))
                return redirect("events:event_detail", slug=saved.slug)
        status = 409 if conflict else 400
    else:
        form = EventForm(instance=instance)
        groups = GroupFormSet(prefix="groups", instance=instance)
        questions = QuestionFormSet(prefix="questions", instance=instance)
    return render(
        request,
        "events/manage/event_form.html",
        {
            "event": event,
            "form": form,
            "groups": groups,
            "questions": questions,
            "conflict": conflict,
            "invitations": (
                list(
                    EventInvitation.objects.filter(event=event).select_related(
                        "municipality", "municipality__country"
                    )
                )
                if event
                else []
            ),
            "invite_form": InviteForm() if event else None,
        },
        status=status,
    )


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    return _editor(request, None)


@login_required
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    return _editor(request, event)


@require_POST
@login_required
def event_invite(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("series"), slug=slug)
    _guard(request, event)
    form = InviteForm(request.POST)
    if form.is_valid():
        municipality = form.cleaned_data["municipality"]
        try:
            services.event_invite(actor=request.user, event=event, municipality=municipality)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s has been invited.") % {"name": municipality.name})
    else:
        messages.error(request, " ".join(form.errors.get("municipality", [])))
    return redirect(reverse("events:event_edit", args=[event.slug]) + "#invitations")


# --- Event series and their history (staff) ----------------------------------------------------


def _conflict_message(request: HttpRequest) -> None:
    messages.error(
        request,
        _(
            "Someone else saved this while you were editing it. Nothing of yours was saved; "
            "your input is kept below. Compare it with the current state and save again."
        ),
    )


@login_required
def series_list(request: HttpRequest) -> HttpResponse:
    """Every series with its number of events; a fixed number of queries."""
    _guard(request)
    series = list(
        EventSeries.objects.select_related("country")
        .annotate(event_count=Count("events"))
        .order_by("name")
    )
    return render(request, "events/manage/series_list.html", {"series_list": series})


def _series_editor(request: HttpRequest, series: EventSeries | None) -> HttpResponse:
    _guard(request)
    instance = series or EventSeries()
    status = 200
    conflict = False
    form = SeriesForm(request.POST or None, instance=instance)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if series is None:
                    saved = services.series_create(actor=request.user, **form.service_fields())
                else:
                    version = form.cleaned_data["version"]
                    if version is None:
                        raise ValidationError(_("The form is incomplete: please reload it."))
                    saved = services.series_update(
                        actor=request.user,
                        series=series,
                        expected_version=version,
                        **form.service_fields(),
                    )
            except EditConflict as error:
                if error.deleted:
                    return redirect("events:series_list")
                conflict = True
                status = 409
                form_with_version(form, error.current_version)
                _conflict_message(request)
            except ValidationError as error:
                _validation_to_form(form, error)
            else:
                messages.success(request, _("The series has been saved."))
                return redirect("events:series_edit", slug=saved.slug)
    history = (
        list(series.events.filter(ends_at__lt=timezone.now()).order_by("-starts_at"))
        if series
        else []
    )
    return render(
        request,
        "events/manage/series_form.html",
        {
            "series": series,
            "form": form,
            "conflict": conflict,
            "history": history,
            "entry_form": HistoryEntryForm(prefix="entry") if series else None,
        },
        status=status,
    )


@login_required
def series_create(request: HttpRequest) -> HttpResponse:
    return _series_editor(request, None)


@login_required
def series_edit(request: HttpRequest, slug: str) -> HttpResponse:
    _guard(request)
    return _series_editor(request, get_object_or_404(EventSeries, slug=slug))


@login_required
def series_history_entry(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Add (no `pk`) or change a past event of the series' history."""
    _guard(request)
    series = get_object_or_404(EventSeries, slug=slug)
    event = (
        get_object_or_404(
            Event, series=series, pk=pk, ends_at__lt=timezone.now(), registrations__isnull=True
        )
        if pk is not None
        else None
    )
    initial = HistoryEntryForm.initial_for(event) if event else None
    form = HistoryEntryForm(request.POST or None, prefix="entry", initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if event is not None and form.cleaned_data["version"] is None:
                    raise ValidationError(_("The form is incomplete: please reload it."))
                services.series_history_entry_save(
                    actor=request.user,
                    series=series,
                    event=event,
                    expected_version=form.cleaned_data["version"] if event else None,
                    **form.service_fields(),
                )
            except EditConflict as error:
                if error.deleted:
                    return redirect("events:series_edit", slug=series.slug)
                status = 409
                form_with_version(form, error.current_version)
                _conflict_message(request)
            except ValidationError as error:
                _validation_to_form(form, error)
            else:
                messages.success(request, _("The history has been saved."))
                return redirect(reverse("events:series_edit", args=[series.slug]) + "#history")
    return render(
        request,
        "events/manage/series_entry_form.html",
        {"series": series, "event": event, "form": form},
        status=status,
    )
