from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import permissions


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/overview.html", {})


@login_required
def staff_memberships(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_memberships(request.user):
        raise PermissionDenied
    return render(request, "accounts/staff_memberships.html", {})
