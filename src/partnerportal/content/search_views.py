"""The site search page (/<lang>/suche/): everyone, logged in or not, may search; it finds
only what everyone may see (live public pages, published records), so it needs no other check.
Rate-limited like the search API (per address, or per account when logged in).
"""

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from partnerportal.core.search.selectors import SearchResults, search_run
from partnerportal.core.search.sources import facet_kinds
from partnerportal.core.throttling import page_rate_limited

from .forms import SearchForm


def _query(data: QueryDict, **changes: str) -> str:
    """The current query string with some parameters changed (empty: removed), page reset."""
    query = data.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query[key] = value
    return query.urlencode()


def _facet_groups(request: HttpRequest, results: SearchResults) -> list[dict]:
    """Each facet with its values as links that choose (or, when chosen, drop) them."""
    headings = {"type": _("Type"), **{k: f.label for k, f in facet_kinds().items()}}
    return [
        {
            "kind": kind,
            "heading": headings.get(kind, kind),
            "values": [
                {
                    "label": value.label,
                    "count": value.count,
                    "selected": value.selected,
                    "query": _query(request.GET, **{kind: "" if value.selected else value.value}),
                }
                for value in values
            ],
        }
        for kind, values in results.facets.items()
        if values
    ]


@page_rate_limited(
    "search",
    lambda seconds: (
        _(
            "You have searched many times in a short time. Please wait %(seconds)s "
            "seconds and try again."
        )
        % {"seconds": seconds}
    ),
)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        try:
            page = int(request.GET.get("page", "1"))
        except ValueError:
            page = 1
        results = search_run(
            query=data["q"],
            language=get_language(),
            type_=data["type"],
            theme=data["theme"],
            country=data["country"],
            page=page,
        )
    context = {
        "form": form,
        "results": results,
        "facets": _facet_groups(request, results) if results else [],
        "page": results.page if results else None,
        "page_query": _query(request.GET),
    }
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "content/partials/search_results.html" if partial else "content/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response
