"""A person's own activity feed."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .feed import activity_page, feed_sections
from .models import Activity
from .services import activities_mark_read


@login_required
@require_GET
@never_cache
def feed(request: HttpRequest) -> HttpResponse:
    page = activity_page(request.user, request.GET.get("page"))
    has_unread = Activity.objects.for_user(request.user).unread().exists()
    # The sections of other apps belong on the first page only (they are "the latest").
    sections = feed_sections(request.user) if page.number == 1 else []
    context = {"page": page, "has_unread": has_unread, "sections": sections}
    return render(request, "notifications/feed.html", context)


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    activities_mark_read(user=request.user)
    return redirect("notifications:feed")
