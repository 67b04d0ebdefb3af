"""The atlas's statistics as charts and tables: a statistics `Series` drawn with the shared
drawing of core/charts.py (its rules: accessible, strict CSP, escaped, locale numbers), and what
the chart partial needs (the SVG, the table beside it and the downloads).
"""

from __future__ import annotations

from babel import numbers as babel_numbers
from django.urls import reverse
from django.utils.safestring import SafeString

from partnerportal.core.charts import (  # noqa: F401 (the atlas's callers and tests use them)
    BAR,
    GRID,
    LINE_COLOURS,
    MUTED,
    TEXT,
    Bar,
    Line,
    bar_chart,
    column_chart,
    line_chart,
    nice_ticks,
)
from partnerportal.core.i18n import babel_locale
from partnerportal.core.templatetags.partnerportal import number
from partnerportal.registry.selectors.places import STATE_SLUGS, state_slug

from .selectors.statistics import CHART_KINDS, Series

# --- From a statistics series -----------------------------------------------------------------


def series_chart(
    series: Series, kind: str, *, id_prefix: str, standalone: bool = False, footer: str = ""
) -> SafeString:
    """A Series of atlas.selectors.statistics drawn as `kind` ("bar", "column" or "line"); for
    lines, the first number of each row is drawn (growth: the running total)."""
    muted = {"other", "unknown"}
    note = " ".join(text for text in (series.knowledge, series.note) if text)
    if kind == "line":
        return line_chart(
            [row.label for row in series.rows],
            [Line(series.columns[0], [row.value for row in series.rows])],
            title=series.title,
            id_prefix=id_prefix,
            note=note,
            standalone=standalone,
            footer=footer,
        )
    bars = [Bar(row.label, row.value, muted=row.key in muted) for row in series.rows]
    draw = column_chart if kind == "column" else bar_chart
    return draw(
        bars,
        title=series.title,
        id_prefix=id_prefix,
        note=note,
        standalone=standalone,
        footer=footer,
    )


# --- One chart block of a page ----------------------------------------------------------------

#: Tables longer than this scroll in a box of their own.
SCROLL_ROWS = 20


def _percent_pattern(value: str) -> str:
    return babel_numbers.format_percent(1, locale=babel_locale()).replace("100", value, 1)


def percent(value: float | None) -> str:
    """12.3 -> '12,3 %' in German, '12.3%' in English: the locale's own percent pattern. A share
    that is not zero never reads "0,0 %" (it reads "< 0,1 %"), and one that is not all never
    reads "100,0 %" (it reads "> 99,9 %")."""
    if value is None:
        return ""
    if 0 < value < 0.05:
        return "< " + _percent_pattern(number(0.1, 1))
    if 99.95 <= value < 100:
        return "> " + _percent_pattern(number(99.9, 1))
    return _percent_pattern(number(value, 1))


def _row_url(series: Series, row) -> str:
    """Rows of Länder and countries link to their pages (no query: the key is enough)."""
    if series.key == "state" and state_slug(row.key) in STATE_SLUGS:
        return reverse("registry:state_detail", args=[state_slug(row.key)])
    if series.key == "country" and len(row.key) == 2:
        return reverse("registry:country_detail", args=[row.key])
    return ""


def table_rows(series: Series) -> list[dict]:
    """The rows of a chart's table with their numbers formatted for the reader."""
    return [
        {
            "label": row.label,
            "url": _row_url(series, row),
            "values": [number(value) for value in row.values],
            "share": percent(series.share(row)),
        }
        for row in series.rows
    ]


def chart_context(
    series: Series,
    *,
    id_prefix: str,
    query: str = "",
    downloads: bool = True,
    kind: str | None = None,
) -> dict:
    """What atlas/partials/chart.html needs for one chart: the SVG, the table and the links to
    the downloads (which take the statistics page's filters as `query`)."""
    kind = kind or CHART_KINDS.get(series.key, "bar")
    context = {
        "key": series.key,
        "series": series,
        "id": id_prefix,
        # Not drawn from a handful among many (Series.drawn): the knowledge sentence says why.
        "svg": series_chart(series, kind, id_prefix=id_prefix) if series.drawn else "",
        "rows": table_rows(series),
        "has_share": series.total is not None,
        # Long tables (growth by year) scroll beside the chart; a scrolling region must be
        # reachable by keyboard, so it gets a tab stop and a name.
        "scroll": len(series.rows) > SCROLL_ROWS,
    }
    if downloads:
        suffix = f"?{query}" if query else ""
        context["csv_url"] = reverse("atlas:statistics_csv", args=[series.key]) + suffix
        context["svg_url"] = reverse("atlas:statistics_svg", args=[series.key]) + suffix
    return context
