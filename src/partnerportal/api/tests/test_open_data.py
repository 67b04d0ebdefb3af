"""The API's open data: the registry's filters, the file exports, ETag/304, the rate limit and
the OpenAPI document's validity."""

import csv
import io
import json

import jsonschema_rs
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.registry.models import Partnership
from partnerportal.registry.tests.factories import ForeignMunicipalityFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

EXPORTS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(_body(response).decode("utf-8"))))


def _ids(client, query: str = "") -> set[int]:
    body = client.get(f"/api/v1/partnerships?page_size=200&{query}").json()
    return {item["id"] for item in body["items"]}


def _pk(open_data, first: str, second: str) -> int:
    a, b = Partnership.ordered_pair(open_data[first], open_data[second])
    return Partnership.objects.get(municipality_a=a, municipality_b=b).pk


# --- Filters ------------------------------------------------------------------------------------


def test_the_api_filters_like_the_registry_list(client, open_data):
    climate = _pk(open_data, "koeln", "lima")
    dormant = _pk(open_data, "leipzig", "kyiv")
    abroad = _pk(open_data, "lima", "kyiv")
    everything = _ids(client)
    assert abroad in everything and len(everything) == 4  # all confirmed pairs by default
    assert abroad not in _ids(client, "german_side=true")
    assert _ids(client, "state=Sachsen") == {dormant}
    assert _ids(client, "country=pe") == {climate, abroad}
    assert _ids(client, "region=osteuropa") == {dormant, abroad}  # Ukraine
    kidira = set(
        Partnership.objects.public().involving(open_data["kidira"]).values_list("pk", flat=True)
    )
    assert _ids(client, "region=afrika") == kidira and len(kidira) == 1
    assert _ids(client, "theme=sdg-13&type=klimapartnerschaft") == {climate}
    assert _ids(client, "status=ruhend") == {dormant}
    assert _ids(client, "year_from=1961&year_to=1990") == {dormant, abroad}
    assert _ids(client, f"municipality={open_data['kyiv'].pk}") == {dormant, abroad}
    assert client.get("/api/v1/partnerships?state=Bavaria").status_code == 422
    assert client.get("/api/v1/partnerships?year_from=99999").status_code == 422


# --- Exports ------------------------------------------------------------------------------------


@pytest.mark.parametrize("extension", EXPORTS)
def test_exports_are_files_with_their_media_type_and_name(client, open_data, extension):
    response = client.get(f"/api/v1/partnerships.{extension}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(EXPORTS[extension])
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith(f'.{extension}"')
    assert response["ETag"] and response["Last-Modified"]


def test_csv_export_honours_the_filters_and_names_its_sources(client, open_data):
    rows = _csv_rows(client.get("/api/v1/partnerships.csv?country=PE"))
    assert {(r["city1"], r["city2"]) for r in rows} == {("Köln", "Lima"), ("Lima", "Kyiv")}
    koeln = next(r for r in rows if r["city1"] == "Köln")
    assert koeln["country2"] == "Peru" and koeln["ags1"] == "05315000"
    assert koeln["geonames_id2"] == "3936456" and koeln["themes"] == "sdg-11;sdg-13"
    assert koeln["type"] == "klimapartnerschaft" and koeln["start_year"] == "2017"
    assert "Destatis" in koeln["attribution"] and "GeoNames" in koeln["attribution"]
    assert koeln["url"].endswith(f"/partnerschaften/{koeln['id']}/")


def test_xlsx_export_has_a_licence_sheet(client, open_data):
    response = client.get("/api/v1/partnerships.xlsx?german_side=true")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["Partnerships", "Licence"]
    rows = list(workbook["Partnerships"].values)
    assert rows[0][:8] == ("city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2")
    assert len(rows) == 1 + 3
    licence = " ".join(str(v) for row in workbook["Licence"].values for v in row if v)
    for name in ("Destatis", "GeoNames", "Wikipedia", "CC BY-SA 4.0", "dl-de/by-2-0"):
        assert name in licence
    workbook.close()


def test_geojson_export_names_licence_and_sources(client, open_data):
    document = json.loads(_body(client.get("/api/v1/partnerships.geojson")))
    assert document["type"] == "FeatureCollection"
    assert "CC BY-SA 4.0" in document["license"]
    assert {s["name"].split(",")[0] for s in document["sources"]} >= {"GeoNames", "Wikipedia"}
    assert len(document["features"]) == 4


@pytest.mark.parametrize("extension", EXPORTS)
def test_unconfirmed_partnerships_are_in_no_export(client, open_data, extension):
    proposal = open_data["proposal"].pk
    response = client.get(f"/api/v1/partnerships.{extension}?municipality={open_data['kidira'].pk}")
    if extension == "csv":
        ids = {int(row["id"]) for row in _csv_rows(response)}
    elif extension == "geojson":
        ids = {f["id"] for f in json.loads(_body(response))["features"]}
    else:
        sheet = load_workbook(io.BytesIO(response.content), read_only=True)["Partnerships"]
        ids = {row[8] for row in list(sheet.values)[1:]}
    assert ids and proposal not in ids
    assert proposal not in _ids(client)


@pytest.mark.parametrize("extension", EXPORTS)
def test_export_queries_do_not_grow_with_the_rows(
    client, open_data, django_assert_max_num_queries, extension
):
    for index in range(30):
        town = Partnership.objects.first().municipality_a
        partner = ForeignMunicipalityFactory(name=f"Ort {index}", iso2="PE")
        PartnershipFactory(between=(town, partner))
    with django_assert_max_num_queries(3):
        assert len(_body(client.get(f"/api/v1/partnerships.{extension}"))) > 0


# --- ETag and Last-Modified ---------------------------------------------------------------------


def test_etag_gives_304_until_the_registry_changes(
    client, open_data, django_assert_num_queries, django_capture_on_commit_callbacks
):
    url = "/api/v1/partnerships?country=PE"
    first = client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag and first["Last-Modified"]
    with django_assert_num_queries(0):  # nothing is read to answer 304
        again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again["ETag"] == etag
    since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304

    assert client.get("/api/v1/partnerships?country=SN")["ETag"] != etag  # one per URL
    assert client.get("/api/v1/partnerships.csv?country=PE")["ETag"] != etag

    with django_capture_on_commit_callbacks(execute=True):
        open_data["koeln"].save()  # any change to the registry
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


# --- Rate limit ---------------------------------------------------------------------------------


def test_anonymous_callers_get_a_clear_429_over_the_limit(client, open_data, settings):
    settings.API_ANON_RATE = "3/m"
    for _ in range(3):
        assert client.get("/api/v1/countries").status_code == 200
    response = client.get("/api/v1/status")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["retry_after"] == int(response["Retry-After"])
    assert "Too many requests" in body["detail"]
    # A conditional request still answered 304 does not count, and needs no allowance.
    fresh = Client()
    etag = fresh.get("/api/v1/countries", REMOTE_ADDR="192.0.2.9")["ETag"]
    for _ in range(5):
        again = fresh.get(
            "/api/v1/countries", headers={"If-None-Match": etag}, REMOTE_ADDR="192.0.2.9"
        )
        assert again.status_code == 304
    # Another address has its own count.
    assert Client(REMOTE_ADDR="192.0.2.7").get("/api/v1/status").status_code == 200


def test_logged_in_people_have_their_own_higher_limit(client, open_data, settings):
    settings.API_ANON_RATE = "2/m"
    settings.API_USER_RATE = "5/m"
    client.force_login(UserFactory())
    answers = [client.get("/api/v1/status").status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]


# --- The OpenAPI document -----------------------------------------------------------------------


def test_openapi_document_validates_and_documents_every_answer(client):
    from schemathesis.specs.openapi.definitions import OPENAPI_31  # loaded only where needed

    document = client.get("/api/v1/openapi.json").json()
    errors = [
        f"{'/'.join(map(str, e.instance_path))}: {e.message}"
        for e in jsonschema_rs.validator_for(OPENAPI_31).iter_errors(document)
    ]
    assert errors == []
    paths = document["paths"]
    for extension, media_type in EXPORTS.items():
        ok = paths[f"/api/v1/partnerships.{extension}"]["get"]["responses"]["200"]
        assert list(ok["content"]) == [media_type]
    # Every operation (reads, and the writes of events, funding and deployments) documents its
    # success, the 422 of invalid input and the 429 with its header.
    methods = {"get", "post", "put", "patch", "delete"}
    for path, item in paths.items():
        assert methods & set(item), path
        for method, operation in item.items():
            if method not in methods:
                continue
            answers = operation["responses"]
            assert any(code.startswith("2") for code in answers), (method, path)
            assert {"422", "429"} <= set(answers), (method, path)
            assert "Retry-After" in answers["429"]["headers"], (method, path)
            assert answers["429"]["content"]["application/json"]["schema"], (method, path)
        if "get" not in item:
            continue
        answers = item["get"]["responses"]
        assert "200" in answers, path
        # The open data is conditional; answers per API token are kept by no cache; the search
        # (pages change its index, not the registry's version), the per-diem calculation (its
        # own tables), events, funding instruments and deployments are not conditional.
        unconditional = {
            "/api/v1/status",
            "/api/v1/search",
            "/api/v1/per-diem",
            "/api/v1/events",
            "/api/v1/events/{event_id}",
            "/api/v1/funding/instruments",
            "/api/v1/deployments",
        }
        if path not in unconditional and "security" not in item["get"]:
            assert "304" in answers and "ETag" in answers["200"]["headers"], path
    parameters = {p["name"] for p in paths["/api/v1/partnerships"]["get"]["parameters"]}
    assert parameters >= {
        "municipality",
        "state",
        "country",
        "region",
        "type",
        "theme",
        "status",
        "year_from",
        "year_to",
        "german_side",
        "page",
        "page_size",
    }
    export_parameters = {p["name"] for p in paths["/api/v1/partnerships.csv"]["get"]["parameters"]}
    assert export_parameters == parameters - {"page", "page_size"}


def test_a_page_after_the_last_is_empty(client, open_data):
    body = client.get("/api/v1/partnerships?page=99").json()
    assert body["count"] == 4 and body["items"] == []


def test_the_api_page_explains_filters_files_caching_limits_and_licences(client, settings):
    settings.API_ANON_RATE = "120/m"
    settings.API_USER_RATE = "10/s"
    with translation.override("en"):
        response = client.get(reverse("api_pages:overview"))
    html = response.content.decode()
    for text in (
        "partnerships.csv",
        "partnerships.xlsx",
        "partnerships.geojson",
        "german_side",
        "year_from",
        "page_size",
        "If-None-Match",
        "Retry-After",
        "120 requests per minute",
        "10 requests per second",
        "CC BY-SA 4.0",
        "dl-de/by-2-0",
        "GeoNames",
        "curl",
    ):
        assert text in html, text
    assert "<script" not in html.split("<main", 1)[-1] and 'style="' not in html
