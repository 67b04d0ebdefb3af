"""The dashboard's chart of cases opened and closed per quarter, drawn on the server as SVG in
the manner of the atlas's charts (atlas/charts.py, which this capability does not import: ADR
0006). The table beside it carries the same figures for screen readers and copying."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 260
OPENED, CLOSED, TEXT, MUTED = "#004b76", "#7fb0d1", "#171a1c", "#595f66"


def _ticks(maximum: int) -> list[int]:
    """0 and four more round steps above the largest value."""
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        step = candidate
        if candidate * 4 >= maximum:
            break
    else:
        step = -(-maximum // 4)
    return [step * i for i in range(5)]


def quarter_chart(rows: list[dict], *, id_prefix: str = "cases-per-quarter") -> SafeString:
    """Two columns per quarter (opened, closed) over the quarters of `rows`."""
    ticks = _ticks(max([r["opened"] for r in rows] + [r["closed"] for r in rows] + [1]))
    top, bottom, left, right = 30, HEIGHT - 34, 44, WIDTH - 8
    slot = (right - left) / max(len(rows), 1)
    column = slot * 0.34

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * value / ticks[-1]

    body: list[str] = []
    for tick in ticks:
        y = y_of(tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#e0e3e6"/>')
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{MUTED}">{tick}</text>'
        )
    for index, row in enumerate(rows):
        x = left + index * slot + slot * 0.14
        for offset, key, colour in ((0, "opened", OPENED), (column, "closed", CLOSED)):
            y = y_of(row[key])
            body.append(
                f'<rect x="{x + offset:.1f}" y="{y:.1f}" width="{column:.1f}" '
                f'height="{bottom - y:.1f}" fill="{colour}"><title>{escape(row["label"])}: '
                f"{row[key]}</title></rect>"
            )
        body.append(
            f'<text x="{x + column:.1f}" y="{bottom + 18}" text-anchor="middle" '
            f'font-size="11">{escape(row["label"])}</text>'
        )
    body.append(f'<rect x="{left}" y="6" width="12" height="12" fill="{OPENED}"/>')
    body.append(f'<text x="{left + 18}" y="16" font-size="12">{escape(_("opened"))}</text>')
    body.append(f'<rect x="{left + 110}" y="6" width="12" height="12" fill="{CLOSED}"/>')
    body.append(f'<text x="{left + 128}" y="16" font-size="12">{escape(_("closed"))}</text>')
    title = _("Advisory cases opened and closed per quarter")
    description = "; ".join(
        _("%(quarter)s: %(opened)s opened, %(closed)s closed")
        % {"quarter": r["label"], "opened": r["opened"], "closed": r["closed"]}
        for r in rows
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pp-chart__svg" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-labelledby="{id_prefix}-title" aria-describedby="{id_prefix}-desc" '
        f'font-family="sans-serif" font-size="12" fill="{TEXT}">'
        f'<title id="{id_prefix}-title">{escape(title)}</title>'
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )
    return mark_safe(svg)  # every text above is escaped
