"""The audit trail of one object and the undoing of a change. Views parse and render; the
revert itself is `services.change_revert`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partnerportal.core.concurrency import VERSION_FIELD, EditConflict, is_versioned

from .permissions import can_revert_change, can_see_object, can_view_history
from .selectors import changes_since, history_manager, history_model_for, object_history
from .services import change_revert


def _model_or_404(app_label: str, model_name: str):
    model = history_model_for(app_label, model_name)
    if model is None:
        raise Http404
    return model


def _object_or_404(request: HttpRequest, model, pk: str):
    """The object, or 404 for one the person may not see (as its own page answers), and for a
    key that is not one of the model's (the URL takes any text: "abc" for a numeric key)."""
    try:
        pk = model._meta.pk.to_python(pk)
    except ValidationError:
        raise Http404 from None
    obj = get_object_or_404(model, pk=pk)
    if not can_see_object(request.user, obj):
        raise Http404
    return obj


def _expected_version(request: HttpRequest, obj) -> int | None:
    """The version the page showed; a versioned object cannot be reverted without it."""
    if not is_versioned(obj):
        return None
    value = request.POST.get(VERSION_FIELD, "")
    if not value.isdecimal():  # not isdigit(): "²" is a digit that int() refuses
        raise ValidationError(_("The form is incomplete. Please reload the page and try again."))
    return int(value)


@login_required
@require_GET
def history(request: HttpRequest, app_label: str, model_name: str, pk: str) -> HttpResponse:
    model = _model_or_404(app_label, model_name)
    obj = _object_or_404(request, model, pk)
    if not can_view_history(request.user, obj):
        raise PermissionDenied
    return render(
        request,
        "audit/history.html",
        {
            "object": obj,
            "opts": model._meta,
            "changes": object_history(obj),
            "can_revert": can_revert_change(request.user, obj),
            "version": getattr(obj, VERSION_FIELD, None) if is_versioned(obj) else None,
        },
    )


@login_required
@require_POST
def revert(
    request: HttpRequest, app_label: str, model_name: str, pk: str, history_id: int
) -> HttpResponse:
    model = _model_or_404(app_label, model_name)
    obj = _object_or_404(request, model, pk)
    if not can_revert_change(request.user, obj):
        raise PermissionDenied
    record = get_object_or_404(history_manager(obj), history_id=history_id)
    try:
        change_revert(
            actor=request.user,
            history_record=record,
            expected_version=_expected_version(request, obj),
        )
    except EditConflict as conflict:
        later = changes_since(obj, version=conflict.expected_version)
        messages.error(
            request,
            _(
                "Nothing was reverted: this record was changed by %(who)s since you opened the "
                "page. The changes are listed below; please check them and try again."
            )
            % {"who": ", ".join(sorted({change.who for change in later})) or _("someone")},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The change has been reverted."))
    return redirect("audit:history", app_label=app_label, model_name=model_name, pk=pk)
