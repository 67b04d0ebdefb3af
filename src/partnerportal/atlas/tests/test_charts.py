"""Server-drawn charts: well-formed SVG, accessible names, escaped labels, locale numbers and
nothing that a strict Content Security Policy would block."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.utils import translation

from partnerportal.atlas import charts
from partnerportal.atlas.charts import Bar, Line

SVG = "{http://www.w3.org/2000/svg}"
NASTY = "A & B <script>alert(\"x\")</script> 'quoted'"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 (our own output)


def drawings() -> dict[str, str]:
    bars = [Bar(NASTY, 12345), Bar("Zweiter", 3), Bar("Rest", 7, muted=True)]
    return {
        "bar": charts.bar_chart(bars, title=NASTY, id_prefix="c1", note=NASTY),
        "column": charts.column_chart(bars, title=NASTY, id_prefix="c2"),
        "line": charts.line_chart(
            ["2000", "2001", "2002"],
            [Line(NASTY, [1, 5, 12345]), Line("Zweite", [0, 1, 2])],
            title=NASTY,
            id_prefix="c3",
        ),
    }


@pytest.mark.parametrize("kind", ["bar", "column", "line"])
def test_well_formed_and_accessible(kind):
    svg = drawings()[kind]
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox", "").startswith("0 0 ")
    title_id, desc_id = root.get("aria-labelledby"), root.get("aria-describedby")
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}title").text == NASTY  # escaped in the source, intact when parsed
    assert "<script>" not in svg
    assert "style" not in svg
    assert not root.findall(f".//{SVG}script")
    sizes = [float(el.get("font-size")) for el in root.iter() if el.get("font-size")]
    assert min(sizes) >= 13


def test_labels_are_escaped_in_text():
    root = parse(drawings()["bar"])
    texts = [el.text for el in root.iter(f"{SVG}text")]
    assert NASTY in texts


def test_numbers_follow_the_locale():
    bars = [Bar("Eins", 12345)]
    with translation.override("de"):
        assert "12.345" in charts.bar_chart(bars, title="T", id_prefix="x")
    with translation.override("en"):
        assert "12,345" in charts.bar_chart(bars, title="T", id_prefix="x")


def test_description_names_the_highest_value():
    with translation.override("en"):
        root = parse(charts.bar_chart([Bar("Low", 1), Bar("High", 9)], title="T", id_prefix="x"))
    desc = root.find(f"{SVG}desc").text
    assert "High" in desc and "9" in desc


def test_zero_values_and_empty_series_draw():
    for svg in (
        charts.bar_chart([Bar("Nothing", 0)], title="T", id_prefix="a"),
        charts.column_chart([], title="T", id_prefix="b"),
        charts.line_chart([], [], title="T", id_prefix="c"),
    ):
        parse(svg)


def test_standalone_declares_xml_and_names_its_sources():
    svg = charts.bar_chart(
        [Bar("A", 1)], title="T", id_prefix="a", standalone=True, footer="Source: X & Y"
    )
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    texts = [el.text for el in parse(svg).iter(f"{SVG}text")]
    assert "Source: X & Y" in texts


def test_muted_bars_use_the_muted_colour():
    root = parse(drawings()["bar"])
    fills = [rect.get("fill") for rect in root.iter(f"{SVG}rect")][1:]  # after the background
    assert fills == [charts.BAR, charts.BAR, charts.MUTED]


@pytest.mark.parametrize(
    ("maximum", "top"), [(0, 1), (1, 1), (7, 8), (686, 800), (2979, 3000), (20605, 25000)]
)
def test_nice_ticks(maximum, top):
    ticks = charts.nice_ticks(maximum)
    assert ticks[0] == 0
    assert ticks[-1] == top
    assert ticks[-1] >= maximum


def test_many_columns_label_every_nth():
    bars = [Bar(str(year), year % 7) for year in range(1950, 2025)]
    root = parse(charts.column_chart(bars, title="T", id_prefix="y"))
    labels = [el.text for el in root.iter(f"{SVG}text") if el.text and el.text.isdigit()]
    years = [label for label in labels if len(label) == 4]
    assert 3 <= len(years) < 75
