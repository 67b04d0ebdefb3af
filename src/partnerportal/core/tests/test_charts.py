"""The shared chart drawing (core/charts.py) that the atlas, funding and advisory draw with: the
grouped columns here; bars, columns and lines are tested through the atlas (atlas/tests)."""

from xml.etree import ElementTree

from partnerportal.core.charts import Line, grouped_column_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_grouped_columns_are_accessible_escaped_and_csp_clean():
    svg = grouped_column_chart(
        ["2026 Q1", "2026 Q2 <b>"],
        [Line("opened & new", [3, 5]), Line("closed", [1, 0])],
        title="Cases <per> quarter",
        id_prefix="q",
    )
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own output)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "q-title"
    assert root.find(f"{SVG}title").text == "Cases <per> quarter"
    description = root.find(f"{SVG}desc").text
    assert "opened & new" in description and "2026 Q2 <b>" in description
    assert "style" not in svg and "<script" not in svg and "<b>" not in svg
    columns = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(columns) == 4
    assert len({r.get("fill") for r in columns}) == 2  # one colour per series, named in a legend
    assert "opened &amp; new" in svg
