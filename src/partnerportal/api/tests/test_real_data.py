"""The API on the real reference data (../shared/data, skipped where it is not there): the twin
towns list names places in Kosovo, which has no ISO 3166 code in pycountry; the import creates
the country on the fly, and its answers must still match the API's own schema."""

import csv
import io
from pathlib import Path

import pytest

from partnerportal.geo.models import Country, WorldRegion
from partnerportal.registry.importers.twinnings import import_twinnings

DATA = Path(__file__).resolve().parents[4] / ".." / "shared" / "data"
TWINNINGS = DATA / "twin_cities.csv"


@pytest.fixture
def kosovo_rows(tmp_path) -> Path:
    """The rows of the real file with a place in Kosovo (the whole file takes about a minute)."""
    if not TWINNINGS.exists():
        pytest.skip("../shared/data is not there")
    with TWINNINGS.open(encoding="utf-8-sig", newline="") as source:
        reader = csv.reader(source)
        header = next(reader)
        rows = [row for row in reader if "Kosovo" in (row[1], row[5])]
    assert rows, "the real twin towns list has pairs with Kosovo"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    path = tmp_path / "kosovo.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_countries_from_the_real_twinnings_answer_as_documented(kosovo_rows, wsgi_schema):
    # schemathesis is imported by the few tests that use it (see test_schemathesis.py).
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [not_a_server_error, status_code_conformance, response_schema_conformance]
    import_twinnings(kosovo_rows)
    kosovo = Country.objects.get(pk="XK")
    assert kosovo.world_region == WorldRegion.EASTERN_EUROPE

    operations = {result.ok().label: result.ok() for result in wsgi_schema.get_all_operations()}
    one = operations["GET /api/v1/countries/{iso2}"]
    one.Case(path_parameters={"iso2": "XK"}).call_and_validate(checks=checks)
    listing = operations["GET /api/v1/countries"]
    pages = Country.objects.count() // 50 + 1
    for page in range(1, pages + 1):
        listing.Case(query={"page": page}).call_and_validate(checks=checks)
