"""What collectstatic gathers from the npm packages: every vendor file a page loads, not the
megabytes of builds and outlines no page asks for (core/staticfiles.py)."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.staticfiles import finders

from partnerportal.core.staticfiles import VendorFinder

SOURCES = settings.PROJECT_DIR


def _vendor_files_loaded() -> set[str]:
    """Every `{% static 'vendor/…' %}` in our templates and every vendor path in our Python."""
    found: set[str] = set()
    for path in SOURCES.rglob("*"):
        if path.suffix in (".html", ".py") and "tests" not in path.parts:
            found |= set(re.findall(r"""static ['"](vendor/[^'"]+)['"]""", path.read_text()))
    return found


def test_every_vendor_file_a_page_loads_is_collected():
    loaded = _vendor_files_loaded()
    assert "vendor/world-atlas/countries-110m.json" in loaded
    for name in loaded:
        assert finders.find(name), f"{name} is loaded by a page but left out of the static files"


def test_builds_and_outlines_no_page_loads_are_left_out():
    collected = {path for path, _storage in VendorFinder().list([])}
    assert "countries-110m.json" in collected and "leaflet.js" in collected
    for left_out in ("countries-10m.json", "land-50m.json", "leaflet-src.js", "htmx.esm.js"):
        assert left_out not in collected
    assert finders.find("vendor/world-atlas/countries-10m.json") is None
