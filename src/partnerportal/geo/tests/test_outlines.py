"""The point-in-country check on Natural Earth's 1:50m outlines: the issue's misplaced places,
the tolerance for coasts and islands, the parts of countries, and the false positives measured
on the real Gemeindeverzeichnis (every German place against Germany's outline)."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnerportal.geo.outlines import (
    TOLERANCE_KM,
    countries_containing,
    country_fit,
    country_outlines,
    federal_state_topology,
)

DATA = Path(__file__).resolve().parents[4] / ".." / "shared" / "data"


def test_granada_nicaragua_fits_at_its_own_coordinates_and_not_at_spains():
    assert country_fit(11.9344, -85.9560, "NI").fits is True
    in_spain = country_fit(37.1882, -3.6067, "NI")
    assert in_spain.misplaced
    assert in_spain.lies_in == "ES"
    assert in_spain.distance_km > 5000
    assert country_fit(37.1882, -3.6067, "ES").fits is True


def test_la_libertad_nicaragua_in_the_netherlands_does_not_fit():
    found = country_fit(51.97, 6.3, "NI")
    assert found.misplaced and found.lies_in == "NL"
    assert country_fit(12.2167, -85.1667, "NI").fits is True


def test_german_places_are_checked_against_germanys_outline():
    assert country_fit(50.9375, 6.9603, "DE").fits is True  # Köln
    assert country_fit(52.37, 4.89, "DE").misplaced  # Amsterdam is not in Germany
    # Just across the border, within the tolerance: generalised outlines, border towns.
    near = country_fit(51.97, 6.3, "DE")
    assert near.fits is True and 0 < near.distance_km <= TOLERANCE_KM


def test_islands_too_small_for_the_outlines_fit_their_country():
    assert country_fit(54.1815, 7.8871, "DE").fits is True  # Helgoland, 50 km out at sea
    assert country_fit(43.06, 16.19, "HR").fits is True  # Vis
    # Out at sea far from any island of the country: not a fit.
    assert country_fit(55.5, 3.0, "DE").misplaced


def test_parts_of_countries_and_territories_without_a_code():
    assert country_fit(44.9572, 34.1108, "UA").fits is True  # Simferopol, Crimea
    assert country_fit(60.1, 19.93, "FI").fits is True  # Mariehamn, Åland
    assert country_fit(35.5356, 34.1894, "CY").fits is None  # northern Cyprus: cannot be told
    assert country_fit(42.66, 21.17, "XK").fits is None  # Kosovo: no outline with a code
    assert countries_containing(48.85, 2.35) == ["FR"]


def test_the_outlines_and_the_laender_come_from_the_npm_packages():
    outlines = country_outlines()
    assert len(outlines) > 200 and "DE" in outlines and "NI" in outlines
    states = federal_state_topology()
    names = {g["properties"]["name"] for g in states["objects"]["deu"]["geometries"]}
    assert len(names) == 16 and "Nordrhein-Westfalen" in names


def test_german_places_of_the_real_file_fit_germany_bar_one():
    """Every Gemeinde of the Destatis file against Germany's outline: the false positives of
    the check on official coordinates (measured: Borkum, 29 km off the 1:50m coast)."""
    path = DATA / "gemeindeverzeichnis_destatis.csv"
    if not path.is_file():
        pytest.skip("../shared/data is not there")
    from partnerportal.registry.importers.destatis import _Parser

    outside = []
    checked = 0
    for entry in _Parser(path).entries():
        values = entry.values
        if values["latitude"] is None:
            continue
        checked += 1
        if country_fit(values["latitude"], values["longitude"], "DE").misplaced:
            outside.append(values["name"])
    assert checked > 10_000
    assert outside == ["Borkum"]
