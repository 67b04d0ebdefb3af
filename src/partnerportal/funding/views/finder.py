"""The funding finder (public): a GET form of a few questions, or, for a municipal editor who
has not answered them, their municipality and its partnerships from the registry. No
JavaScript needed; the address keeps the answers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from partnerportal.geo.models import Country

from ..eligibility import rule_summary
from ..finder import facts_for_editor, facts_from_answers, finder_run
from ..forms import FinderForm


@require_GET
def finder(request: HttpRequest) -> HttpResponse:
    """Everyone may use it. Answers given win; without them an editor is recognised."""
    answered = bool(request.GET)
    form = FinderForm(request.GET if answered else None)
    data = form.cleaned_data if answered and form.is_valid() else {}
    result = None
    recognised = []
    asked_questions = any(data.get(name) for name in ("kind", "country", "partnership"))
    if request.user.is_authenticated and not asked_questions:
        recognised, candidates = facts_for_editor(
            request.user,
            amount=data.get("amount"),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
        )
        if candidates:
            result = finder_run(candidates, recognised=recognised)
    if result is None and answered and form.is_valid():
        country = (
            Country.objects.filter(iso2=data.get("country")).first()
            if data.get("country")
            else None
        )
        facts = facts_from_answers(
            kind=data.get("kind") or "",
            country=country,
            partnership=data.get("partnership") or "",
            amount=data.get("amount"),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
        )
        result = finder_run([facts])
    instruments = []
    if result is None:
        from ..finder import open_instruments

        instruments = [
            {"instrument": instrument, "conditions": rule_summary(instrument)}
            for instrument in open_instruments()
        ]
    context = {
        "form": form,
        "result": result,
        "instruments": instruments,
        "recognised": recognised,
    }
    return render(request, "funding/finder.html", context)
