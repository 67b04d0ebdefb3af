"""The advisory dashboards' charts, drawn with the shared SVG drawing of core/charts.py (the
same as the atlas's): cases opened and closed per quarter, and the deployments in figures. The
pages put a table with the same figures beside each chart for screen readers and copying."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from partnerportal.core.charts import Bar, Line, bar_chart, grouped_column_chart

QUARTER_CHART_WIDTH = 640


def quarter_chart(rows: list[dict], *, id_prefix: str = "cases-per-quarter") -> SafeString:
    """Two columns per quarter (opened, closed) over the quarters of `rows`."""
    return grouped_column_chart(
        [row["label"] for row in rows],
        [
            Line(_("opened"), [row["opened"] for row in rows]),
            Line(_("closed"), [row["closed"] for row in rows]),
        ],
        title=_("Advisory cases opened and closed per quarter"),
        id_prefix=id_prefix,
        width=QUARTER_CHART_WIDTH,
    )


def count_chart(rows: list[tuple[str, int]], *, title: str, id_prefix: str) -> SafeString:
    """Horizontal bars of (label, count) rows, in their order (deployments per country)."""
    return bar_chart([Bar(label, count) for label, count in rows], title=title, id_prefix=id_prefix)
