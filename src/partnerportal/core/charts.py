"""Charts drawn on the server as SVG: horizontal bars, columns (one series or grouped) and lines,
for every app's figures (the atlas's statistics, funding's and advisory's dashboards, the expert
deployments in figures).

Why not a chart library in the browser: the figures are few, the pages must work without
JavaScript, and the same SVG is offered as a download. The drawings follow from that:

- accessible: `role="img"` with a `<title>` and `<desc>` referenced by aria-labelledby and
  aria-describedby; the numbers are written next to the bars, and the page puts a table with
  every value beside each chart (the caller's job), so nothing depends on colour alone;
- strict CSP: presentation attributes only (fill, stroke, font-size …), no `style` attribute,
  no `<style>` or `<script>`;
- every label is escaped (names come from imports and from people), numbers are formatted for
  the reader's locale;
- a fixed viewBox with width and height: the page scales it to the column's width, a download
  opens at its natural size.

Colours are KERN UX tokens converted from OKLCH to sRGB hex (image viewers do not know OKLCH),
each with at least 4.5:1 against white.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from partnerportal.core.templatetags.partnerportal import number

#: --kern-color-darkblue-700, 8.5:1 on white.
BAR = "#2044aa"
#: --kern-color-neutral-650, 7.0:1 on white: "other" and "unknown" rows, axes.
MUTED = "#51577a"
#: --kern-color-neutral-950, the text colour.
TEXT = "#131525"
#: --kern-color-neutral-200: grid lines, decoration only.
GRID = "#c0c3d5"
#: Line series: dark blue, KERN's dark teal (brand 2, 700), orange 700; each also dashed
#: differently and labelled at its end.
LINE_COLOURS = ("#2044aa", "#005747", "#734000")
LINE_DASHES = ("", "8 5", "2 4")
FONT = "Fira Sans, system-ui, sans-serif"
#: The natural width: the page shows charts at most 30rem wide (a little larger), and a phone
#: scales them down to about 350 px, where 15 px text is still about 12.5 px.
WIDTH = 420
HEIGHT = 280
FONT_SIZE = 15
SMALL_FONT_SIZE = 14
#: Labels under columns; the table beside repeats them in full size.
AXIS_FONT_SIZE = 13


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    #: Drawn in the muted colour: a remainder ("other countries") or "unknown".
    muted: bool = False


def _text_width(text: str, size: float) -> float:
    """A rough width of `text` in Fira Sans (average glyph about 0.53 em)."""
    return len(text) * size * 0.53


def _shorten(text: str, size: float, room: float) -> str:
    if _text_width(text, size) <= room:
        return text
    keep = max(1, int(room / (size * 0.53)) - 1)
    return text[:keep].rstrip() + "…"


def _fmt(value: float) -> str:
    return number(value, 0) if float(value).is_integer() else number(value, 1)


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """0 and round steps (1, 2 or 5 times a power of ten) up to at least `maximum`."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if step < 1:
        step = 1
    return [i * step for i in range(math.ceil(maximum / step) + 1)]


def _svg(
    *,
    id_prefix: str,
    title: str,
    description: str,
    width: float,
    height: float,
    body: list[str],
    standalone: bool,
    footer: str = "",
) -> SafeString:
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else ""
    width, height = round(width), round(height)
    if footer:
        # A downloaded image travels alone: it names its sources itself, on as many lines as
        # the width needs (split between the " · "-separated parts).
        lines: list[str] = []
        for part in footer.split(" · "):
            if lines and _text_width(f"{lines[-1]} · {part}", 12) <= width - 16:
                lines[-1] = f"{lines[-1]} · {part}"
            else:
                lines.append(part)
        body = [*body]
        for index, line in enumerate(lines):
            body.append(
                f'<text x="8" y="{height + 16 + index * 15}" font-size="12" fill="{MUTED}">'
                f"{escape(line)}</text>"
            )
        height += 12 + 15 * len(lines)
    parts = [
        f'{head}<svg xmlns="http://www.w3.org/2000/svg" class="pp-chart__svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{escape(id_prefix)}-title" aria-describedby="{escape(id_prefix)}-desc" '
        f'font-family="{FONT}" font-size="{FONT_SIZE}" fill="{TEXT}">',
        f'<title id="{escape(id_prefix)}-title">{escape(title)}</title>',
        f'<desc id="{escape(id_prefix)}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        *body,
        "</svg>",
    ]
    return mark_safe("\n".join(parts))  # every text and attribute value above is escaped


def _describe(kind: str, bars: Sequence[Bar], note: str) -> str:
    """The kind of chart, its largest value and the note: the table beside has the rest."""
    parts = [kind]
    if any(bar.value for bar in bars):
        top = max(bars, key=lambda bar: bar.value)
        parts.append(
            gettext("Highest value: %(label)s with %(value)s.")
            % {"label": top.label, "value": _fmt(top.value)}
        )
    else:
        parts.append(gettext("All values are zero."))
    if note:
        parts.append(note)
    return " ".join(parts)


# --- Horizontal bars --------------------------------------------------------------------------


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    id_prefix: str,
    note: str = "",
    width: int = WIDTH,
    standalone: bool = False,
    footer: str = "",
) -> SafeString:
    """Horizontal bars with the label above each bar and the value at its end: long names
    ("Latin America and the Caribbean", SDG titles) stay whole, also on narrow screens."""
    pad, value_room, bar_height, row_height = 8, 80, 16, 44
    top_pad = 8
    room = width - 2 * pad - value_room
    maximum = max((bar.value for bar in bars), default=0) or 1
    body = [
        f'<line x1="{pad}" y1="{top_pad}" x2="{pad}" y2="{top_pad + row_height * len(bars)}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    ]
    for index, bar in enumerate(bars):
        y = top_pad + index * row_height
        length = room * bar.value / maximum
        fill = MUTED if bar.muted else BAR
        label = _shorten(bar.label, FONT_SIZE, width - 2 * pad)
        body.append(f'<text x="{pad + 4}" y="{y + 15}">{escape(label)}</text>')
        body.append(
            f'<rect x="{pad}" y="{y + 21}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{fill}"/>'
        )
        body.append(
            f'<text x="{pad + length + 6:.1f}" y="{y + 34}" font-weight="600">'
            f"{escape(_fmt(bar.value))}</text>"
        )
    height = top_pad * 2 + row_height * max(len(bars), 1)
    description = _describe(
        gettext("Horizontal bar chart with %(count)s bars.") % {"count": len(bars)}, bars, note
    )
    return _svg(
        id_prefix=id_prefix,
        title=title,
        description=description,
        width=width,
        height=height,
        body=body,
        standalone=standalone,
        footer=footer,
    )


# --- Columns ----------------------------------------------------------------------------------


def _split(label: str) -> list[str]:
    """The label on two lines, after a dash or at a space ("1950–" / "1959")."""
    for sep, keep in (("–", True), (" ", False)):
        if sep in label:
            first, _, second = label.partition(sep)
            return [first + (sep if keep else ""), second]
    return [label]


def _fits(label: str, size: float, room: float) -> bool:
    return _text_width(label, size) <= room or all(
        _text_width(part, size) <= room for part in _split(label)
    )


def _wrap(label: str, size: float, room: float) -> list[str]:
    """At most two lines, shortened only when even two lines are too wide."""
    if _text_width(label, size) <= room:
        return [label]
    return [_shorten(part, size, room) for part in _split(label)]


def _y_axis(
    ticks: list[float], *, left: float, right: float, y_of, body: list[str], size: float
) -> None:
    for tick in ticks:
        y = y_of(tick)
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}" '
            f'stroke-width="1"/>'
        )
        body.append(
            f'<text x="{left - 6}" y="{y + 5:.1f}" text-anchor="end" font-size="{size}">'
            f"{escape(_fmt(tick))}</text>"
        )


def _baseline(body: list[str], *, left: float, right: float, bottom: float) -> None:
    body.append(
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{MUTED}" '
        f'stroke-width="1"/>'
    )


def _label_every(labels: Sequence[str], slot: float, *, narrowest: float = 0) -> int:
    """Every how many columns a label is written: each label fits its room (on two lines at
    most), and a room is at least `narrowest` wide."""
    every, count = 1, max(len(labels), 1)
    while every < count and (
        slot * every < narrowest
        or not all(_fits(label, AXIS_FONT_SIZE, slot * every - 1) for label in labels)
    ):
        every += 1
    return every


def _column_label(body: list[str], label: str, *, centre: float, bottom: float, room: float):
    for line, text in enumerate(_wrap(label, AXIS_FONT_SIZE, room)):
        body.append(
            f'<text x="{centre:.1f}" y="{bottom + 18 + line * 17}" text-anchor="middle" '
            f'font-size="{AXIS_FONT_SIZE}">{escape(text)}</text>'
        )


def column_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    id_prefix: str,
    note: str = "",
    width: int = WIDTH,
    height: int = HEIGHT,
    standalone: bool = False,
    footer: str = "",
) -> SafeString:
    """Vertical columns over an ordered axis (decades, years). Values stand above the columns
    when they fit; with many columns only every n-th label is written (the table has all)."""
    ticks = nice_ticks(max((bar.value for bar in bars), default=0))
    left = 12 + _text_width(_fmt(ticks[-1]), SMALL_FONT_SIZE)
    right, top, bottom = width - 8, 24, height - 44
    count = max(len(bars), 1)
    slot = (right - left) / count
    column = slot * 0.7

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * value / ticks[-1]

    body: list[str] = []
    _y_axis(ticks, left=left, right=right, y_of=y_of, body=body, size=SMALL_FONT_SIZE)
    widest = max((_text_width(_fmt(bar.value), SMALL_FONT_SIZE) for bar in bars), default=0)
    show_values = widest <= slot - 2
    every = _label_every([bar.label for bar in bars], slot, narrowest=36)
    for index, bar in enumerate(bars):
        x = left + index * slot + (slot - column) / 2
        y = y_of(bar.value)
        fill = MUTED if bar.muted else BAR
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{column:.1f}" height="{bottom - y:.1f}" '
            f'fill="{fill}"/>'
        )
        centre = x + column / 2
        if show_values:
            body.append(
                f'<text x="{centre:.1f}" y="{y - 5:.1f}" text-anchor="middle" '
                f'font-size="{SMALL_FONT_SIZE}" font-weight="600">{escape(_fmt(bar.value))}</text>'
            )
        if index % every == 0:
            _column_label(body, bar.label, centre=centre, bottom=bottom, room=slot * every - 1)
    _baseline(body, left=left, right=right, bottom=bottom)
    description = _describe(
        gettext("Column chart with %(count)s columns.") % {"count": len(bars)}, bars, note
    )
    return _svg(
        id_prefix=id_prefix,
        title=title,
        description=description,
        width=width,
        height=height,
        body=body,
        standalone=standalone,
        footer=footer,
    )


# --- Lines ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    name: str
    values: Sequence[float]


def _describe_lines(kind: str, labels: Sequence[str], lines: Sequence[Line], note: str) -> str:
    """The kind of chart and each series from its first to its last value, and the note."""
    parts = [kind]
    if labels:
        for line in lines:
            if line.values:
                parts.append(
                    gettext("%(name)s: %(first)s in %(start)s, %(last)s in %(end)s.")
                    % {
                        "name": line.name,
                        "first": _fmt(line.values[0]),
                        "start": labels[0],
                        "last": _fmt(line.values[-1]),
                        "end": labels[-1],
                    }
                )
    if note:
        parts.append(note)
    return " ".join(parts)


def line_chart(
    labels: Sequence[str],
    lines: Sequence[Line],
    *,
    title: str,
    id_prefix: str,
    note: str = "",
    width: int = WIDTH,
    height: int = HEIGHT,
    standalone: bool = False,
    footer: str = "",
) -> SafeString:
    """Lines over an ordered axis (years). Each line differs in colour and dash pattern and is
    named at its end, so no legend has to be matched by colour."""
    maximum = max((max(line.values, default=0) for line in lines), default=0)
    ticks = nice_ticks(maximum)
    left = 12 + _text_width(_fmt(ticks[-1]), SMALL_FONT_SIZE)
    end_room = max(
        (_text_width(_fmt(line.values[-1]), SMALL_FONT_SIZE) for line in lines if line.values),
        default=0,
    )
    right, top, bottom = width - 12 - end_room, 24, height - 36
    count = len(labels)
    step_x = (right - left) / max(count - 1, 1)

    def x_of(index: int) -> float:
        return left + index * step_x

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * value / ticks[-1]

    body: list[str] = []
    _y_axis(ticks, left=left, right=right, y_of=y_of, body=body, size=SMALL_FONT_SIZE)
    _baseline(body, left=left, right=right, bottom=bottom)
    # Axis labels: about six, at round positions when the labels are years.
    widest = max((_text_width(label, SMALL_FONT_SIZE) for label in labels), default=0)
    every = 1
    while every < count and (step_x * every < widest + 16 or count / every > 8):
        every += 1
    if all(label.isdigit() for label in labels) and every > 1:
        every = next((n for n in (2, 5, 10, 20, 25, 50, 100) if n >= every), every)
        offset = (-int(labels[0])) % every if labels else 0
    else:
        offset = 0
    for index in range(offset, count, every):
        x = x_of(index)
        body.append(
            f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 5}" stroke="{MUTED}" '
            f'stroke-width="1"/>'
        )
        body.append(
            f'<text x="{x:.1f}" y="{bottom + 22}" text-anchor="middle" '
            f'font-size="{SMALL_FONT_SIZE}">{escape(labels[index])}</text>'
        )
    for number_, line in enumerate(lines):
        colour = LINE_COLOURS[number_ % len(LINE_COLOURS)]
        dash = LINE_DASHES[number_ % len(LINE_DASHES)]
        points = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in enumerate(line.values))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        if points:
            body.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="3" '
                f'stroke-linejoin="round"{dash_attr}/>'
            )
            last = len(line.values) - 1
            x, y = x_of(last), y_of(line.values[-1])
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
            body.append(
                f'<text x="{x + 8:.1f}" y="{y + 5:.1f}" font-size="{SMALL_FONT_SIZE}" '
                f'font-weight="600">{escape(_fmt(line.values[-1]))}</text>'
            )
    if len(lines) > 1:
        for number_, line in enumerate(lines):
            colour = LINE_COLOURS[number_ % len(LINE_COLOURS)]
            dash = LINE_DASHES[number_ % len(LINE_DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            y = 12 + number_ * 18
            x = left + 8
            body.append(
                f'<line x1="{x}" y1="{y}" x2="{x + 28}" y2="{y}" stroke="{colour}" '
                f'stroke-width="3"{dash_attr}/>'
            )
            body.append(
                f'<text x="{x + 34}" y="{y + 5}" font-size="{SMALL_FONT_SIZE}">'
                f"{escape(line.name)}</text>"
            )
    return _svg(
        id_prefix=id_prefix,
        title=title,
        description=_describe_lines(gettext("Line chart."), labels, lines, note),
        width=width,
        height=height,
        body=body,
        standalone=standalone,
        footer=footer,
    )


# --- Grouped columns --------------------------------------------------------------------------


def grouped_column_chart(
    labels: Sequence[str],
    series: Sequence[Line],
    *,
    title: str,
    id_prefix: str,
    note: str = "",
    width: int = WIDTH,
    height: int = HEIGHT,
    standalone: bool = False,
    footer: str = "",
) -> SafeString:
    """Several columns side by side over an ordered axis (cases opened and closed per quarter):
    each series in its own colour, named in a legend above; the values stand in the table."""
    maximum = max((max(s.values, default=0) for s in series), default=0)
    ticks = nice_ticks(maximum)
    legend = 12 + 18 * len(series)
    left = 12 + _text_width(_fmt(ticks[-1]), SMALL_FONT_SIZE)
    right, top, bottom = width - 8, legend + 8, height - 44
    count = max(len(labels), 1)
    slot = (right - left) / count
    column = slot * 0.8 / max(len(series), 1)

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * value / ticks[-1]

    body: list[str] = []
    _y_axis(ticks, left=left, right=right, y_of=y_of, body=body, size=SMALL_FONT_SIZE)
    every = _label_every(labels, slot)
    for index, label in enumerate(labels):
        x = left + index * slot + slot * 0.1
        for number_, line in enumerate(series):
            value = line.values[index] if index < len(line.values) else 0
            y = y_of(value)
            body.append(
                f'<rect x="{x + number_ * column:.1f}" y="{y:.1f}" width="{column:.1f}" '
                f'height="{bottom - y:.1f}" fill="{LINE_COLOURS[number_ % len(LINE_COLOURS)]}">'
                f"<title>{escape(label)}, {escape(line.name)}: {escape(_fmt(value))}</title></rect>"
            )
        if index % every == 0:
            centre = left + index * slot + slot / 2
            _column_label(body, label, centre=centre, bottom=bottom, room=slot * every - 1)
    _baseline(body, left=left, right=right, bottom=bottom)
    for number_, line in enumerate(series):
        y = 6 + number_ * 18
        body.append(
            f'<rect x="{left}" y="{y}" width="14" height="14" '
            f'fill="{LINE_COLOURS[number_ % len(LINE_COLOURS)]}"/>'
        )
        body.append(
            f'<text x="{left + 20}" y="{y + 12}" font-size="{SMALL_FONT_SIZE}">'
            f"{escape(line.name)}</text>"
        )
    kind = gettext("Column chart with %(count)s groups of columns.") % {"count": len(labels)}
    return _svg(
        id_prefix=id_prefix,
        title=title,
        description=_describe_lines(kind, labels, series, note),
        width=width,
        height=height,
        body=body,
        standalone=standalone,
        footer=footer,
    )
