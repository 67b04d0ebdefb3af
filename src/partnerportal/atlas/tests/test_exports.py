"""Downloads of the partnership list: the list's own query string gives the list's rows in the
list's order, in CSV, XLSX and GeoJSON, with licence and sources; the GeoJSON follows RFC 7946."""

import csv
import io
import json

import jsonschema_rs
import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from partnerportal.atlas.exports import COLUMNS, LICENCE_NOTE
from partnerportal.geo.services import country_ensure
from partnerportal.registry.models import (
    Municipality,
    PartnershipStatus,
    PartnershipType,
)
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    # Created foreign side first: municipality_a is then the partner, and the export must still
    # put the German side first, as the list does.
    lima = ForeignMunicipalityFactory(
        name="Lima",
        iso2="PE",
        geonames=True,
        geonames_id=3936456,
        latitude=-12.04,
        longitude=-77.03,
    )
    kyiv = ForeignMunicipalityFactory(name="Kyiv", iso2="UA", latitude=50.45, longitude=30.52)
    aachen = MunicipalityFactory(
        name="Aachen", ags="05334002", state="Nordrhein-Westfalen", latitude=50.78,
        longitude=6.08, destatis=True,
    )  # fmt: skip
    zwickau = MunicipalityFactory(
        name="Zwickau", ags="14524330", state="Sachsen", latitude=50.72, longitude=12.49,
        destatis=True,
    )  # fmt: skip
    kreis = MunicipalityFactory(name="Paderborn", ags="05774000", kind=Municipality.Kind.KREIS)
    rows = {
        "aachen_lima": PartnershipFactory(
            between=(aachen, lima), type=PartnershipType.KLIMA, start_year=2017, themes=("sdg-13",)
        ),
        "zwickau_kyiv": PartnershipFactory(
            between=(zwickau, kyiv), status=PartnershipStatus.DORMANT, start_year=1961
        ),
        "kreis_lima": PartnershipFactory(between=(kreis, lima), type=PartnershipType.PROJEKT),
        "lima_kyiv": PartnershipFactory(between=(lima, kyiv), start_year=1990),
        "proposal": PartnershipFactory(between=(zwickau, lima), proposed=True),
    }
    return rows


def _download(client, extension: str, query: str = ""):
    url = reverse(f"atlas:partnerships_{extension}")
    response = client.get(f"{url}?{query}" if query else url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def _csv(client, query: str = "") -> list[dict]:
    _response, body = _download(client, "csv", query)
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


def test_csv_holds_what_the_list_shows_in_its_order(client, registry):
    rows = _csv(client)
    # The list's default: pairs with a German side, by German municipality.
    assert [(r["city1"], r["city2"]) for r in rows] == [
        ("Aachen", "Lima"),
        ("Paderborn", "Lima"),
        ("Zwickau", "Kyiv"),
    ]
    descending = _csv(client, "sort=start&order=desc&all_pairs=on")
    assert [r["start_year"] for r in descending] == ["2017", "1990", "1961", ""]
    assert [r["city1"] for r in _csv(client, "state=Sachsen")] == ["Zwickau"]
    assert [r["city1"] for r in _csv(client, "type=klimapartnerschaft&theme=sdg-13")] == ["Aachen"]
    assert len(_csv(client, "year_from=1960&year_to=2000&all_pairs=on")) == 2
    assert [r["city1"] for r in _csv(client, "region=osteuropa")] == ["Zwickau"]
    # A mangled value is left out, as on the list page.
    assert len(_csv(client, "year_from=abc")) == 3


def test_csv_columns_and_values(client, registry):
    response, body = _download(client, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="partnerships-')
    header = next(csv.reader(io.StringIO(body.decode())))
    assert tuple(header) == COLUMNS
    aachen = _csv(client)[0]
    assert aachen["country1"] == "Germany" and aachen["country2"] == "Peru"
    assert (aachen["lat1"], aachen["lng1"]) == ("50.78", "6.08")
    assert aachen["ags1"] == "05334002" and aachen["geonames_id2"] == "3936456"
    assert aachen["ags2"] == "" and aachen["geonames_id1"] == ""
    assert aachen["type"] == "klimapartnerschaft" and aachen["status"] == "aktiv"
    assert aachen["themes"] == "sdg-13"
    assert aachen["id"] == str(registry["aachen_lima"].pk)
    assert aachen["url"] == f"http://testserver/de/register/partnerschaften/{aachen['id']}/"
    assert "Destatis" in aachen["attribution"] and "GeoNames" in aachen["attribution"]
    kreis = _csv(client)[1]
    assert kreis["lat1"] == "" and kreis["lng1"] == ""  # a Kreis has no point


def test_csv_writes_formulas_as_text_and_numbers_as_numbers(client, registry):
    """A name a spreadsheet would run as a formula gets a leading apostrophe; a negative
    coordinate stays a number."""
    Municipality.objects.filter(name="Kyiv").update(name='=HYPERLINK("http://evil.invalid")')
    Municipality.objects.filter(name="Lima").update(name="@SUM(1+1)")
    _response, body = _download(client, "csv", "all_pairs=on")
    text = body.decode()
    assert "=HYPERLINK" in text and '\'=HYPERLINK(""http://evil.invalid"")' in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["city2"] for r in rows} >= {'\'=HYPERLINK("http://evil.invalid")', "'@SUM(1+1)"}
    lima = next(r for r in rows if r["city1"] == "Aachen")
    assert (lima["lat2"], lima["lng2"]) == ("-12.04", "-77.03")
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value
            assert not value.startswith("-") or float(value) < 0, value


@pytest.mark.parametrize("extension", ["csv", "xlsx", "geojson"])
def test_no_export_holds_an_unconfirmed_partnership(client, registry, extension):
    proposal = registry["proposal"].pk
    _response, body = _download(client, extension, "all_pairs=on")
    if extension == "csv":
        ids = {int(r["id"]) for r in csv.DictReader(io.StringIO(body.decode()))}
    elif extension == "geojson":
        ids = {f["id"] for f in json.loads(body)["features"]}
    else:
        sheet = load_workbook(io.BytesIO(body), read_only=True)["Partnerships"]
        ids = {row[COLUMNS.index("id")] for row in list(sheet.values)[1:]}
    assert len(ids) == 4 and proposal not in ids


def test_xlsx_has_the_rows_and_a_licence_sheet(client, registry):
    Municipality.objects.filter(name="Kyiv").update(name="=HYPERLINK(1)")
    response, body = _download(client, "xlsx", "all_pairs=on")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(body))
    rows = list(workbook["Partnerships"].values)
    assert rows[0] == COLUMNS and len(rows) == 5
    formula = workbook["Partnerships"]["E3"]
    assert formula.value == "=HYPERLINK(1)" and formula.data_type == "s"  # text, not a formula
    licence = [v for row in workbook["Licence"].values for v in row if v]
    assert licence[0] == LICENCE_NOTE
    for text in ("Destatis", "GeoNames", "Wikipedia", "CC BY 4.0", "CC BY-SA 4.0"):
        assert any(text in value for value in licence), text


# --- GeoJSON ------------------------------------------------------------------------------------

POSITION = {
    "type": "array",
    "minItems": 2,
    "maxItems": 3,
    "prefixItems": [
        {"type": "number", "minimum": -180, "maximum": 180},
        {"type": "number", "minimum": -90, "maximum": 90},
    ],
    "items": {"type": "number"},
}
#: RFC 7946 for what the export writes: a FeatureCollection of Features whose geometry is a
#: LineString or null, with an object of properties.
GEOJSON = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "id": {"type": ["string", "number"]},
                    "geometry": {
                        "oneOf": [
                            {"type": "null"},
                            {
                                "type": "object",
                                "required": ["type", "coordinates"],
                                "properties": {
                                    "type": {"const": "LineString"},
                                    "coordinates": {
                                        "type": "array",
                                        "minItems": 2,
                                        "items": POSITION,
                                    },
                                },
                            },
                        ]
                    },
                    "properties": {"type": ["object", "null"]},
                },
            },
        },
    },
}


def test_geojson_is_rfc_7946_with_licence_and_sources(client, registry):
    response, body = _download(client, "geojson", "all_pairs=on")
    assert response["Content-Type"] == "application/geo+json"
    document = json.loads(body)
    errors = [e.message for e in jsonschema_rs.validator_for(GEOJSON).iter_errors(document)]
    assert errors == []
    assert "CC BY-SA 4.0" in document["license"] and "GeoNames" in document["attribution"]
    assert {s["licence"] for s in document["sources"]} >= {"CC BY 4.0", "CC BY-SA 4.0"}
    by_id = {f["id"]: f for f in document["features"]}
    line = by_id[registry["aachen_lima"].pk]
    # Longitude first; side 1 is the German side.
    assert line["geometry"]["coordinates"] == [[6.08, 50.78], [-77.03, -12.04]]
    props = line["properties"]
    assert (props["name1"], props["country1"], props["ags1"]) == ("Aachen", "DE", "05334002")
    assert (props["name2"], props["country2"], props["geonames_id2"]) == ("Lima", "PE", 3936456)
    assert props["themes"] == ["sdg-13"] and props["start_year"] == 2017
    assert props["url"].endswith(f"/partnerschaften/{registry['aachen_lima'].pk}/")
    assert by_id[registry["kreis_lima"].pk]["geometry"] is None  # the Kreis has no point


def test_an_empty_selection_is_a_valid_empty_file(client, registry):
    country_ensure("FJ")
    _response, body = _download(client, "geojson", "country=FJ")
    assert json.loads(body)["features"] == []
    _response, body = _download(client, "csv", "country=FJ")
    assert body.decode().strip() == ",".join(COLUMNS)


@pytest.mark.parametrize("extension", ["csv", "xlsx", "geojson"])
def test_downloads_read_in_a_fixed_number_of_queries(
    client, registry, django_assert_max_num_queries, extension
):
    lima = Municipality.objects.get(name="Lima")
    for index in range(40):
        town = MunicipalityFactory(
            name=f"Ort {index}", ags=f"0999{index:04d}", latitude=50.0, longitude=8.0
        )
        PartnershipFactory(between=(town, lima), themes=("sdg-1", "sdg-2"))
    # The filter form's choices (countries, themes) and the rows with their themes.
    with django_assert_max_num_queries(4):
        _download(client, extension, "all_pairs=on&sort=partner")


def test_the_list_offers_its_downloads_with_its_filters(client, registry):
    with translation.override("en"):
        url = reverse("registry:partnership_list")
        response = client.get(f"{url}?state=Sachsen&sort=start")
        links = [reverse(f"atlas:partnerships_{ext}") for ext in ("csv", "xlsx", "geojson")]
    html = response.content.decode()
    assert "Download this list" in html
    for link in links:
        assert f'href="{link}?state=Sachsen&amp;sort=start"' in html
    assert "CC BY-SA 4.0" in html and "GeoNames" in html


def test_downloads_answer_304_and_the_spreadsheet_is_cached(
    client, registry, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    url = reverse("atlas:partnerships_xlsx") + "?all_pairs=on"
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    with django_assert_max_num_queries(0):
        assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    with django_assert_max_num_queries(2):  # the filter form's choices; the file is cached
        assert client.get(url).content == first.content
    with django_capture_on_commit_callbacks(execute=True):
        Municipality.objects.filter(name="Lima").first().save()  # the registry changes
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    csv_url = reverse("atlas:partnerships_csv")
    assert client.get(csv_url)["ETag"] != client.get(csv_url + "?state=Sachsen")["ETag"]


def test_downloads_are_rate_limited_per_address_with_a_clear_page(client, registry, settings):
    settings.API_ANON_RATE = "2/m"
    url = reverse("atlas:partnerships_csv")
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    with translation.override("en"):
        refused = client.get("/en/atlas/daten/partnerschaften.csv")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "downloaded many files" in refused.text
