"""The atlas in Chromium: how soon the first clusters appear with the whole data set, the list
beside the map as a keyboard user works it (zoom into a group, select a place, see its partners
and the lines to them), and no serious accessibility barriers."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
#: The issue's bound for this test; the figure itself goes to screenshots/atlas-timing.txt.
FIRST_CLUSTERS_LIMIT_S = 5.0


@pytest.fixture
def registry_data():
    """The whole reference data when ../shared/data is there, else a few places."""
    if (DATA / "twin_cities.csv").is_file():
        with open(os.devnull, "w") as sink:
            call_command(
                "import_municipalities",
                str(DATA / "gemeindeverzeichnis_destatis.csv"),
                stdout=sink,
                stderr=sink,
            )
            call_command(
                "import_twinnings", str(DATA / "twin_cities.csv"), stdout=sink, stderr=sink
            )
        return "real"
    koeln = MunicipalityFactory(name="Köln", latitude=50.9375, longitude=6.9603)
    for name, iso2, lat, lng in (
        ("Yarinacocha", "PE", -8.35, -74.57),
        ("Kidira", "SN", 14.46, -12.22),
        ("Lille", "FR", 50.63, 3.06),
    ):
        partner = ForeignMunicipalityFactory(name=name, iso2=iso2, latitude=lat, longitude=lng)
        PartnershipFactory(between=(koeln, partner))
    return "small"


def test_atlas_shows_clusters_soon_and_works_from_the_list(page, registry_data, axe, screenshot):
    # First visit (nothing cached on the server, nothing in the browser), then a second one.
    timings = []
    for visit in ("first visit", "second visit"):
        started = time.perf_counter()
        page.goto("/de/atlas/", wait_until="commit")
        page.locator(".pp-cluster, .pp-place").first.wait_for(state="visible")
        timings.append((visit, time.perf_counter() - started))
    SCREENSHOTS.mkdir(exist_ok=True)
    summary = ", ".join(f"{visit} {seconds * 1000:.0f} ms" for visit, seconds in timings)
    with (SCREENSHOTS / "atlas-timing.txt").open("a", encoding="utf-8") as report:
        report.write(f"first clusters: {summary} ({registry_data} data)\n")
    print(f"atlas, first clusters: {summary} ({registry_data} data)")
    assert all(seconds < FIRST_CLUSTERS_LIMIT_S for _visit, seconds in timings)

    # The country layer is drawn from the offline Natural Earth outlines.
    page.locator(".leaflet-overlay-pane path").first.wait_for(state="attached")
    assert page.locator(".leaflet-overlay-pane path").count() > 100
    # Markers are buttons that a keyboard reaches, with a text alternative.
    marker = page.locator(".leaflet-marker-icon").first
    assert marker.get_attribute("role") == "button"
    assert marker.get_attribute("tabindex") == "0"
    assert marker.get_attribute("title")
    screenshot(page, "atlas-de")
    assert axe(page) == []

    # Work the list: zoom into the largest group until a single place can be selected.
    status = page.locator("[data-atlas-status]")
    for attempt in range(6):
        show = page.locator("[data-atlas-items] .pp-atlas__action--show")
        if attempt and show.count():
            break
        before = status.inner_text()
        page.locator("[data-atlas-items] .pp-atlas__action--zoom").first.click()
        page.wait_for_function(
            "([el, text]) => el.textContent !== text", arg=[status.element_handle(), before]
        )
        page.wait_for_timeout(300)
    show = page.locator("[data-atlas-items] .pp-atlas__action--show").first
    show.focus()
    page.keyboard.press("Enter")
    selection = page.locator("[data-atlas-selection]")
    selection.locator("h3").wait_for()
    assert selection.locator(".pp-atlas__partners li").count() >= 1
    assert page.locator(".leaflet-overlay-pane path[stroke='#b3261e']").count() >= 1
    assert "#" in page.url  # the view is in the address, to share it
    screenshot(page, "atlas-selected")
