"""Statistics of the partnership network under /<lang>/atlas/statistik/: one page with every chart
(drawn on the server, each with its numbers as a table) and each chart as a CSV or SVG download
with the same filters as the page.

The page and the downloads read one cached set of figures (atlas/selectors/statistics.py), so a
download never costs more than the page it was linked from.
"""

from __future__ import annotations

import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from partnerportal.core import csv as safe_csv

from .. import charts
from ..charts import chart_context, percent
from ..exports import SOURCES
from ..forms import AtlasFilterForm, active_filter_count, filters_query
from ..selectors import statistics as selectors
from ..selectors.statistics import Series

#: Named in every CSV row and on the page: the registry rests on these sources and licences
#: (one list of them, in atlas/exports.py, for every download).
ATTRIBUTION = "Partnerportal; " + "; ".join(
    f"{source.name}, {source.licence} ({source.licence_url})" for source in SOURCES.values()
)


#: Tables longer than this scroll in a box of their own.
SCROLL_ROWS = 20

#: The short form for the foot of a downloaded chart.
SVG_FOOTER = (
    "Partnerportal · Destatis (dl-de/by-2-0) · GeoNames (CC BY 4.0) · "
    "Wikipedia twin-town lists (CC BY-SA 4.0)"
)


@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    """Public: confirmed partnerships only, like the list."""
    form = AtlasFilterForm(request.GET)
    form.start_year_help_add()
    filters = form.filters()
    data = selectors.network_statistics(filters)
    query = filters_query(request.GET)
    chart_list = [
        chart_context(series, id_prefix=f"chart-{key}", query=query)
        for key, series in data.charts.items()
    ]
    return render(
        request,
        "atlas/statistics.html",
        {
            "form": form,
            "active_filters": active_filter_count(form),
            "summary": data.summary,
            "dac_percent": percent(data.summary.dac.percentage),
            "charts": chart_list,
            "query": query,
        },
    )


def _series_or_404(request: HttpRequest, chart: str) -> Series:
    if chart not in selectors.CHARTS:
        raise Http404
    return selectors.chart_series(chart, AtlasFilterForm(request.GET).filters())


@require_GET
def statistics_csv(request: HttpRequest, chart: str) -> HttpResponse:
    """Plain numbers (no thousands separators) for spreadsheets, headings in the reader's
    language, and the sources with their licences in a column of every row, so that the
    attribution survives any cutting and pasting."""
    series = _series_or_404(request, chart)
    buffer = io.StringIO()
    writer = safe_csv.writer(buffer, lineterminator="\r\n")  # labels as text, never formulas
    header = [gettext("Key"), series.dimension or gettext("Label"), *series.columns]
    if series.total is not None:
        header.append(gettext("Share (%)"))
    header.append(gettext("Source and licence"))
    writer.writerow(header)
    for row in series.rows:
        line: list = [row.key, row.label, *row.values]
        if series.total is not None:
            share = series.share(row)
            line.append("" if share is None else f"{share:.1f}")
        line.append(ATTRIBUTION)
        writer.writerow(line)
    # A byte order mark: spreadsheet programs otherwise guess a legacy encoding for umlauts.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="partnerportal-{chart}.csv"'
    return response


@require_GET
def statistics_svg(request: HttpRequest, chart: str) -> HttpResponse:
    """The chart as a standalone SVG file, the same drawing as on the page."""
    series = _series_or_404(request, chart)
    kind = selectors.CHART_KINDS.get(chart, "bar")
    svg = charts.series_chart(
        series, kind, id_prefix=f"chart-{chart}", standalone=True, footer=SVG_FOOTER
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="partnerportal-{chart}.svg"'
    return response


urlpatterns = [
    path("", statistics_page, name="statistics"),
    path("<slug:chart>.csv", statistics_csv, name="statistics_csv"),
    path("<slug:chart>.svg", statistics_svg, name="statistics_svg"),
]
