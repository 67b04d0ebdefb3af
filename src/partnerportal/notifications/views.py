"""A person's own activity feed."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .models import Activity
from .services import activities_mark_read

PAGE_SIZE = 20


@login_required
@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    activities = Activity.objects.for_user(request.user).select_related("actor")
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    has_unread = Activity.objects.for_user(request.user).unread().exists()
    return render(request, "notifications/feed.html", {"page": page, "has_unread": has_unread})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    activities_mark_read(user=request.user)
    return redirect("notifications:feed")
