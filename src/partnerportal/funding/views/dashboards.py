"""The staff's funding dashboard (/<lang>/foerderung/pruefung/uebersicht/): applications by
state, programme and deadline, money approved, paid and reported per programme and year, as
server-drawn SVG charts (atlas/charts.py) with their tables, and each figure as CSV or XLSX.
Page and export read the same selector (funding/dashboards.py)."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook

from partnerportal.atlas.charts import Bar, Line, bar_chart, line_chart
from partnerportal.core import csv as safe_csv
from partnerportal.core.templatetags.partnerportal import money, number
from partnerportal.registry.changes import registry_version

from ..dashboards import (
    FIGURES,
    Figure,
    dashboard_figures,
    figures_version,
    money_by_programme,
    money_by_year,
)
from ..permissions import can_view_funding_dashboard


def _dashboard_staff(request: HttpRequest) -> None:
    from django.core.exceptions import PermissionDenied

    if not can_view_funding_dashboard(request.user):
        raise PermissionDenied


def _count_chart(figure: Figure) -> str:
    return bar_chart(
        [Bar(str(row[0]), float(row[1])) for row in figure.rows],
        title=figure.title,
        id_prefix=f"funding-{figure.key}",
    )


def _formatted(figure: Figure) -> tuple[list[str], list[list[str]]]:
    """The table's columns and cells for the reader: counts as numbers, money in EUR summed per
    programme over the years (the chart shows the years; the export has both)."""
    if figure.key == "money":
        columns = [figure.columns[0], *figure.columns[2:]]
        rows = [
            [row[0], *(money(value) for value in row[1:])] for row in money_by_programme(figure)
        ]
        return columns, rows
    return figure.columns, [
        [str(row[0]), *(number(value) for value in row[1:])] for row in figure.rows
    ]


#: Bump when the drawn fragment changes shape, so that a release starts afresh.
CACHE_SCHEMA = 2
#: The fingerprint changes with every write; this only bounds what a cache keeps.
CACHE_SECONDS = 60 * 60


def _money_chart(money: Figure) -> str:
    labels, series = money_by_year(money)
    if len(labels) == 1:  # one year: bars, a line needs two points
        return bar_chart(
            [Bar(_("Approved"), series[0][0]), Bar(_("Paid"), series[1][0]),
             Bar(_("Reported"), series[2][0])],
            title=_("Money in %(year)s (EUR)") % {"year": labels[0]},
            id_prefix="funding-money",
        )  # fmt: skip
    if labels:
        return line_chart(
            labels,
            [
                Line(_("Approved"), series[0]),
                Line(_("Paid"), series[1]),
                Line(_("Reported"), series[2]),
            ],
            title=_("Money per year (EUR)"),
            id_prefix="funding-money",
        )
    return ""


def _figures_html() -> str:
    """The charts and tables of every figure, drawn once from one set of reads."""
    figures = dashboard_figures()
    blocks = []
    for key in ("state", "programme", "deadline", "money"):
        figure = figures[key]
        columns, rows = _formatted(figure)
        blocks.append(
            {
                "figure": figure,
                "svg": _count_chart(figure) if key != "money" else _money_chart(figure),
                "columns": columns,
                # each cell with its column's name, for the stacked table on narrow screens
                "rows": [list(zip(columns, row, strict=False)) for row in rows],
            }
        )
    return render_to_string("funding/review/partials/dashboard_figures.html", {"blocks": blocks})


def dashboard_cache_key() -> str:
    return (
        f"funding:dashboard:v{CACHE_SCHEMA}:{figures_version()}:{registry_version()!r}:"
        f"{get_language() or 'de'}"
    )


def dashboard_figures_html() -> str:
    """The drawn figures from the shared cache while nothing they count has changed: the key
    holds the figures' fingerprint (funding.dashboards.figures_version), the registry's
    version (programme names) and the language, so a write anywhere shows at once."""
    key = dashboard_cache_key()
    html = cache.get(key)
    if html is None:
        html = _figures_html()
        cache.set(key, html, CACHE_SECONDS)
    return html


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _dashboard_staff(request)
    return render(
        request,
        "funding/review/dashboard.html",
        {"figures_html": mark_safe(dashboard_figures_html())},
    )


@login_required
def dashboard_export(request: HttpRequest, figure: str, fmt: str) -> HttpResponse:
    _dashboard_staff(request)
    if figure not in FIGURES or fmt not in ("csv", "xlsx"):
        raise Http404
    data = FIGURES[figure]()
    name = f"foerderung-{figure}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = safe_csv.writer(buffer)
        writer.writerow(data.columns)
        writer.writerows([[str(cell) for cell in row] for row in data.rows])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=figure)
        sheet.append([str(c) for c in data.columns])
        for row in data.rows:
            sheet.append(
                [
                    cell
                    if isinstance(cell, int | float)
                    else (
                        float(cell)
                        if hasattr(cell, "quantize")
                        else safe_csv.escape_cell(str(cell))
                    )
                    for cell in row
                ]
            )
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("uebersicht/", dashboard, name="dashboard"),
    path("uebersicht/<slug:figure>.<slug:fmt>", dashboard_export, name="dashboard_export"),
]
