import json

import pytest

from partnerportal.geo.models import Country
from partnerportal.geo.services import countries_sync, country_ensure
from partnerportal.registry.models import (
    Actor,
    ContactPerson,
    Municipality,
    PartnershipStatus,
    PartnershipStatusChange,
    PartnershipType,
    Programme,
    Theme,
)
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    koeln = MunicipalityFactory(
        name="Köln", ags="05315000", kind=Municipality.Kind.KREISFREIE_STADT
    )
    muenster = MunicipalityFactory(name="Münster", ags="05515000")
    yarinacocha = ForeignMunicipalityFactory(name="Yarinacocha", iso2="PE")
    kidira = ForeignMunicipalityFactory(name="Kidira", iso2="SN")
    lima = ForeignMunicipalityFactory(name="Lima", iso2="PE")
    climate = Theme.objects.get_or_create(
        code="test-klima", defaults={"kind": "field", "name_de": "Klima", "name_en": "Climate"}
    )[0]
    programme = Programme.objects.create(slug="test-prog", name="Test programme")
    first = PartnershipFactory(
        between=(koeln, yarinacocha),
        type=PartnershipType.KLIMA,
        start_year=2017,
        description="Climate.",
    )
    first.themes.add(climate)
    first.programmes.add(programme)
    PartnershipStatusChange.objects.create(partnership=first, status=PartnershipStatus.ACTIVE)
    Actor.objects.create(partnership=first, municipality=koeln, name="Verein")
    ContactPerson.objects.create(
        partnership=first,
        municipality=koeln,
        name="Public Person",
        email="public@example.org",
        visibility=ContactPerson.Visibility.PUBLIC,
    )
    ContactPerson.objects.create(
        partnership=first,
        municipality=koeln,
        name="Private Person",
        email="private@example.org",
        visibility=ContactPerson.Visibility.EDITORS,
    )
    PartnershipFactory(between=(muenster, kidira), initiation=True)
    PartnershipFactory(between=(muenster, lima), proposed=True)
    return {"koeln": koeln, "muenster": muenster, "yarinacocha": yarinacocha, "lima": lima}


def test_municipality_search_folds_names_and_filters_by_country(client, registry):
    response = client.get("/api/v1/municipalities", {"q": "Koln"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["name"] == "Köln"
    assert body["items"][0]["ags"] == "05315000"
    names = {m["name"] for m in client.get("/api/v1/municipalities?q=munster").json()["items"]}
    assert names == {"Münster"}
    peru = client.get("/api/v1/municipalities", {"country": "pe"}).json()
    assert {m["name"] for m in peru["items"]} == {"Lima", "Yarinacocha"}


def test_municipality_detail_carries_ags_for_german_ones_only(client, registry):
    koeln = client.get(f"/api/v1/municipalities/{registry['koeln'].pk}").json()
    assert (koeln["ags"], koeln["country"], koeln["kind"]) == ("05315000", "DE", "kreisfreie_stadt")
    foreign = client.get(f"/api/v1/municipalities/{registry['yarinacocha'].pk}").json()
    assert foreign["ags"] is None and foreign["country"] == "PE"
    assert client.get("/api/v1/municipalities/999999").status_code != 200


def test_unknown_ids_answer_404_json(client, registry):
    response = client.get("/api/v1/municipalities/999999")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert client.get("/api/v1/countries/XX").status_code == 404
    # Not a code at all; a NUL byte used to be a DataError (500) on PostgreSQL.
    for odd in ("%00", "D%00", "DEU", "%C3%84%C3%84"):
        assert client.get(f"/api/v1/countries/{odd}").status_code == 404
        # As a filter it is refused as the partnerships' country filter is.
        assert client.get(f"/api/v1/municipalities?country={odd}").status_code == 422


def test_partnerships_are_public_only_and_filterable(client, registry):
    body = client.get("/api/v1/partnerships").json()
    assert body["count"] == 2  # the unconfirmed proposal is not public
    text = json.dumps(body)
    assert "Public Person" in text
    assert "Private Person" not in text and "private@example.org" not in text

    filters = {"country": "PE", "type": "klimapartnerschaft", "theme": "test-klima"}
    climate = client.get("/api/v1/partnerships", filters).json()
    assert climate["count"] == 1
    item = climate["items"][0]
    assert item["start_year"] == 2017
    assert item["programmes"][0]["slug"] == "test-prog"
    assert item["status_history"][0]["status"] == "aktiv"
    assert [c["name"] for c in item["contacts"]] == ["Public Person"]
    # v1 keeps the former name of the municipality's confirmation, deprecated.
    assert item["last_confirmed_at"] == item["municipality_confirmed_at"]
    assert "agency_checked_at" in item

    muenster = client.get("/api/v1/partnerships", {"municipality": registry["muenster"].pk}).json()
    assert muenster["count"] == 1 and muenster["items"][0]["status"] == "anbahnung"
    assert client.get("/api/v1/partnerships", {"status": "beendet"}).json()["count"] == 0
    assert client.get("/api/v1/partnerships", {"type": "nonsense"}).status_code == 422


def test_countries(client):
    countries_sync()
    senegal = client.get("/api/v1/countries/sn").json()
    assert senegal["name_de"] == "Senegal"
    assert senegal["world_region"] == "afrika"
    assert senegal["oda_recipient"] is True and senegal["dac_income_group"] == "ldc"
    germany = client.get("/api/v1/countries/DE").json()
    assert (germany["oda_recipient"], germany["dac_income_group"]) == (False, None)
    assert client.get("/api/v1/countries/XX").status_code != 200
    page = client.get("/api/v1/countries", {"page_size": 1000}).json()
    assert page["count"] == 249 and len(page["items"]) == 200
    assert len(client.get("/api/v1/countries").json()["items"]) == 50


def test_countries_answer_with_kosovo_and_with_a_region_not_yet_known(client):
    """Kosovo (no ISO 3166 code in pycountry) is created on the fly by the imports; a row with no
    region (from before regions were given to it, or added by hand) is null in the API, which
    its schema says, not a server error."""
    country_ensure("XK")
    kosovo = client.get("/api/v1/countries/XK")
    assert kosovo.status_code == 200
    assert kosovo.json()["world_region"] == "osteuropa"

    Country.objects.filter(pk="XK").update(world_region="")
    kosovo = client.get("/api/v1/countries/xk")
    assert kosovo.status_code == 200
    assert kosovo.json()["world_region"] is None
    pages = client.get("/api/v1/countries", {"page_size": 200}).json()["count"] // 200 + 1
    for page in range(1, pages + 1):
        response = client.get("/api/v1/countries", {"page_size": 200, "page": page})
        assert response.status_code == 200, page
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["CountryOut"]
    region = schema["properties"]["world_region"]
    assert {"type": "null"} in region["anyOf"]
    assert "world_region" in schema["required"]  # always there, null when not known


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        ("/api/v1/countries", 2),
        ("/api/v1/countries/PE", 1),
        ("/api/v1/municipalities?q=a", 2),
        ("/api/v1/municipalities/{id}", 1),
        ("/api/v1/partnerships", 7),
        ("/api/v1/partnerships?country=PE&theme=test-klima", 7),
    ],
)
def test_query_counts_are_bounded(client, registry, django_assert_max_num_queries, url, limit):
    # More rows must not mean more queries.
    for index in range(10):
        town = MunicipalityFactory(name=f"Ort {index}", ags=f"0999{index:04d}")
        partner = ForeignMunicipalityFactory(name=f"Partner {index}", iso2="PE")
        p = PartnershipFactory(between=(town, partner), type=PartnershipType.KLIMA)
        p.themes.add(Theme.objects.get(code="test-klima"))
        ContactPerson.objects.create(
            partnership=p, municipality=town, name="X", visibility="public"
        )
    url = url.replace("{id}", str(registry["koeln"].pk))
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


def test_openapi_document_is_valid_and_documents_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    for path in (
        "/api/v1/countries",
        "/api/v1/countries/{iso2}",
        "/api/v1/municipalities",
        "/api/v1/municipalities/{municipality_id}",
        "/api/v1/partnerships",
        "/api/v1/status",
    ):
        operation = document["paths"][path]["get"]
        assert operation["summary"]
        assert "security" not in operation  # public reads: auth=None
        if path != "/api/v1/status":
            assert operation["description"]
    # Every reference resolves.
    schemas = document["components"]["schemas"]
    refs = set()

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                refs.add(node["$ref"].rsplit("/", 1)[-1])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    assert refs and refs <= set(schemas)


def test_overview_page_lists_the_registry_endpoints(client):
    from django.urls import reverse

    response = client.get(reverse("api_pages:overview"))
    assert response.status_code == 200
    assert b"municipalities?q=" in response.content
