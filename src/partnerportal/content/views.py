"""Content outside the back office: municipal editors submit a practice example of their own
partnership. Views parse input and render; services decide, permissions say who may."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import PracticeExampleForm


@require_http_methods(["GET", "POST"])
@login_required
def practice_example_submit(request: HttpRequest) -> HttpResponse:
    """Only partnerships of the editor's municipalities can be chosen; an id outside them is an
    invalid choice and stores nothing. People who edit no municipality are refused."""
    partnerships = selectors.partnerships_for_submission(request.user)
    if not partnerships:
        raise PermissionDenied
    form = PracticeExampleForm(
        request.POST or None,
        request.FILES or None,
        partnerships=partnerships,
        initial={"partnership": request.GET.get("partnership")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            page = services.practice_example_submit(
                actor=request.user,
                partnership=form.partnerships[data["partnership"]],
                title=data["title"],
                teaser=data["teaser"],
                body=data["body"],
                results=data["results"],
                lessons=data["lessons"],
                image=data["image"] or None,
                image_alt=data["image_alt"],
                language=get_language(),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(None if field == "__all__" else field, errors)
        else:
            messages.success(
                request,
                _(
                    "Thank you: “%(title)s” has been submitted. An editor of the agency reviews "
                    "it; you will be told when it is published or if something needs changing."
                )
                % {"title": page.title},
            )
            return redirect("registry:my_municipality")
    return render(request, "content/practice_example_submit.html", {"form": form})
