"""Content outside the back office: municipal editors submit a practice example of their own
partnership. Views parse input and render; services decide, permissions say who may.

Content's views and what content adds to other pages: the article list of an article index
page and the home page (their context, wired in models through page_context_register), the
"News and practice examples" sections of the registry's and the atlas's pages, the theme links,
and the practice examples as GeoJSON for the atlas's map layer (registered in apps.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Locale

from partnerportal.core.dates import display_date
from partnerportal.registry.figures import network_figures
from partnerportal.registry.models import Municipality, Partnership

from . import selectors, services
from .forms import ArticleFilterForm, PracticeExampleForm
from .models import ArticleIndexPage, HomePage
from .selectors import (
    NEWS_KINDS,
    PRACTICE_KINDS,
    ArticleFilters,
    article_cards,
    article_index_counts,
    article_indexes,
    article_kinds,
    article_list,
    article_scope,
    article_years,
    articles_filter,
    latest_by_group,
    live_articles,
    practice_example_points,
    private_q,
    programme_pages,
)


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
            # A refusal may name no field, or one the form does not have: shown above the form.
            by_field = getattr(error, "error_dict", None) or {"__all__": error.error_list}
            for field, errors in by_field.items():
                form.add_error(field if field in form.fields else None, errors)
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


LIST_PAGE_SIZE = 12
#: Cards on the home page.
HOME_NEWS = 4
HOME_PRACTICE = 3
#: Articles in a section of a registry page.
SECTION_SIZE = 3


def _query_without(request: HttpRequest, *keys: str) -> str:
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()


def _about_label(filters: ArticleFilters) -> str:
    """What a link from a registry page narrowed the list to, in words ("about Köln")."""
    if filters.municipality:
        name = Municipality.objects.filter(pk=filters.municipality).values_list("name", flat=True)
        return name.first() or ""
    if filters.partnership:
        pair = (
            Partnership.objects.public()
            .filter(pk=filters.partnership)
            .values_list("municipality_a__name", "municipality_b__name")
            .first()
        )
        return f"{pair[0]} – {pair[1]}" if pair else ""
    return filters.state


def article_index_context(page: ArticleIndexPage, request: HttpRequest) -> dict:
    """The list below an article index page: the articles it holds, filtered by the query
    string (wrong values are ignored), twelve cards a page."""
    locale = page.locale_id  # the id: page.locale would cost a query
    scope = article_scope(locale, within=page)
    form = ArticleFilterForm(
        request.GET or None, years=article_years(scope), kinds=article_kinds(scope)
    )
    filters = form.filters()
    articles = article_list(filters=filters, locale=locale, scope=scope)
    paginator = Paginator(articles, LIST_PAGE_SIZE)
    listing = paginator.get_page(request.GET.get("page"))
    return {
        "form": form,
        "active_filters": form.active_filter_count(),
        "about": _about_label(filters) if filters.about else "",
        "about_reset": "?"
        + _query_without(request, "page", "municipality", "partnership", "state"),
        "listing": listing,
        "cards": article_cards(listing.object_list, request),
        "page_query": _query_without(request, "page"),
    }


def home_context(page: HomePage, request: HttpRequest) -> dict:
    """The front door: the latest news and practice examples, the programmes, the network's
    figures (the atlas counts them, registry/figures.py)."""
    locale = page.locale_id  # the id: page.locale would cost a query
    private = private_q()
    latest = latest_by_group(
        article_scope(locale, private=private),
        {"news": (NEWS_KINDS, HOME_NEWS), "practice": (PRACTICE_KINDS, HOME_PRACTICE)},
    )
    news, practice = latest["news"], latest["practice"]
    indexes = article_indexes(locale, private=private) if news or practice else []
    cards = article_cards([*news, *practice], request)
    return {
        "figures": network_figures(),
        "news_cards": cards[: len(news)],
        "practice_cards": cards[len(news) :],
        "news_index": _index_of(indexes, news),
        "practice_index": _index_of(indexes, practice),
        "programmes": programme_pages(locale, private=private),
    }


def _index_of(indexes: list[ArticleIndexPage], articles: list) -> ArticleIndexPage | None:
    """The list that holds the first of `articles` (where "all news" leads)."""
    for article in articles:
        for index in indexes:
            if article.path.startswith(index.path):
                return index
    return None


# --- Sections of the registry's and the atlas's pages ------------------------------------------


def _section_filters(page: str, subject) -> tuple[ArticleFilters, dict[str, str]] | None:
    """The filters for a page's subject and the query string that gives the same list."""
    if page == "municipality":
        return ArticleFilters(municipality=subject.pk), {"municipality": str(subject.pk)}
    if page == "partnership":
        return ArticleFilters(partnership=subject.pk), {"partnership": str(subject.pk)}
    if page == "country":
        return ArticleFilters(country=subject.pk), {"country": subject.pk}
    if page == "state":
        return ArticleFilters(state=subject), {"state": subject}
    if page == "theme":
        return ArticleFilters(theme=subject.code), {"theme": subject.code}
    return None


def related_articles_section(request: HttpRequest, *, page: str, subject) -> SafeString | None:
    """ "News and practice examples" on a municipality's, partnership's, country's, Land's or
    theme's page: the latest three in the reader's language, and a link to each article list that
    holds some, filtered to the subject. Nothing (not even the heading) when there are none."""
    found = _section_filters(page, subject)
    if found is None:
        return None
    filters, params = found
    locale = Locale.get_active()
    private = private_q()
    matching = articles_filter(live_articles(locale, private=private), filters)
    latest = list(matching.order_by("-date", "-pk")[:SECTION_SIZE])
    if not latest:
        return None
    query = urlencode(params)
    lists = [
        {"title": index.title, "count": count, "url": f"{index.get_url(request)}?{query}"}
        for index, count in article_index_counts(article_indexes(locale, private=private), matching)
        if count
    ]
    return render_to_string(
        "content/partials/related_articles.html",
        {"cards": article_cards(latest, request), "lists": lists, "section_id": f"{page}-articles"},
        request=request,
    )


def theme_url_resolver(request: HttpRequest):
    """A theme's page is the first article list (in the tree's order) filtered by it: one query
    per page that shows themes, none per theme."""
    indexes = article_indexes(Locale.get_active())
    if not indexes:
        return lambda code: None
    base = indexes[0].get_url(request)
    return lambda code: f"{base}?{urlencode({'theme': code})}"


# --- The practice examples on the atlas -------------------------------------------------------


@require_GET
def practice_examples_geojson(request: HttpRequest) -> JsonResponse:
    """Public: every live practice example of the reader's language as points at the
    municipalities it names (both sides of a partnership), for the atlas's layer."""
    features = []
    for point in practice_example_points(Locale.get_active()):
        article = point.article
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(point.longitude, 5), round(point.latitude, 5)],
                },
                "properties": {
                    "title": article.title,
                    "url": article.get_url(request),
                    "place": f"{point.name} ({point.country})" if point.country else point.name,
                    "municipality": point.municipality_id,
                    "date": display_date(article.date),
                    "kind": _("Practice example"),
                },
            }
        )
    response = JsonResponse(
        {"type": "FeatureCollection", "features": features},
        json_dumps_params={"separators": (",", ":"), "ensure_ascii": False},
        content_type="application/geo+json",
    )
    response["Cache-Control"] = "public, max-age=60"
    patch_vary_headers(response, ("Accept-Language",))
    return response


urlpatterns = [
    path(
        "atlas/praxisbeispiele.geojson",
        practice_examples_geojson,
        name="practice_examples_geojson",
    ),
]
