"""The audit trail of one object and the undoing of a change. Views parse and render; the
revert itself is `services.change_revert`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .permissions import can_revert_change, can_view_history
from .selectors import history_manager, history_model_for, object_history
from .services import change_revert


def _model_or_404(app_label: str, model_name: str):
    model = history_model_for(app_label, model_name)
    if model is None:
        raise Http404
    return model


@login_required
@require_GET
def history(request: HttpRequest, app_label: str, model_name: str, pk: str) -> HttpResponse:
    model = _model_or_404(app_label, model_name)
    obj = get_object_or_404(model, pk=pk)
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
        },
    )


@login_required
@require_POST
def revert(
    request: HttpRequest, app_label: str, model_name: str, pk: str, history_id: int
) -> HttpResponse:
    model = _model_or_404(app_label, model_name)
    obj = get_object_or_404(model, pk=pk)
    if not can_revert_change(request.user, obj):
        raise PermissionDenied
    record = get_object_or_404(history_manager(obj), history_id=history_id)
    try:
        change_revert(actor=request.user, history_record=record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The change has been reverted."))
    return redirect("audit:history", app_label=app_label, model_name=model_name, pk=pk)
