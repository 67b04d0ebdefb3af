"""The DCAT-AP.de catalogue (/api/v1/catalog.ttl and .jsonld): parsed with rdflib, held to the
properties DCAT-AP.de requires (and those we promise GovData), its distributions fetched, its
licences checked against the sources'."""

import warnings
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils.http import http_date
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from partnerportal.api.catalog import DCATDE, VCARD, dataset_licence
from partnerportal.atlas.exports import SOURCES
from partnerportal.atlas.selectors.statistics import CHARTS
from partnerportal.registry.tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

TTL = "/api/v1/catalog.ttl"
JSONLD = "/api/v1/catalog.jsonld"

# DCAT-AP.de 2.0 ("Pflicht" in the specification's tables), then what the catalogue promises
# besides ("Empfohlen" there; GovData's harvester reads them: licence attribution, coverage,
# frequency, contact). A property missing from a node fails the test.
CATALOG_MANDATORY = [DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCAT.dataset]
CATALOG_PROMISED = [DCTERMS.modified, DCTERMS.language, FOAF.homepage, DCAT.themeTaxonomy]
DATASET_MANDATORY = [DCTERMS.title, DCTERMS.description]
DATASET_PROMISED = [
    DCAT.distribution,
    DCTERMS.publisher,
    DCAT.contactPoint,
    DCAT.keyword,
    DCAT.theme,
    DCAT.landingPage,
    DCTERMS.identifier,
    DCTERMS.modified,
    DCTERMS.accrualPeriodicity,
    DCTERMS.spatial,
    DCATDE.politicalGeocodingLevelURI,
    DCTERMS.source,
]
DISTRIBUTION_MANDATORY = [DCAT.accessURL, DCTERMS.license]
DISTRIBUTION_PROMISED = [
    DCTERMS.title,
    DCTERMS.format,
    DCAT.mediaType,
    DCATDE.licenseAttributionByText,
    DCTERMS.modified,
]

# The sources' licences, as PRODUCT.md and the files' own notes state them: the Gemeindeverzeichnis
# "Datenlizenz Deutschland – Namensnennung 2.0, © Statistisches Bundesamt", GeoNames CC BY 4.0,
# the Wikipedia lists of twin towns (twin_cities.csv) CC BY-SA; as dcat-ap.de licence URIs.
DL_BY_DE = URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")
CC_BY = URIRef("http://dcat-ap.de/def/licenses/cc-by/4.0")
CC_BY_SA = URIRef("http://dcat-ap.de/def/licenses/cc-by-sa/4.0")
SOURCE_LICENCES = {"destatis": DL_BY_DE, "geonames": CC_BY, "wikipedia": CC_BY_SA}

DATASETS = {"partnerships", "municipalities", "statistics"}


def _parse(data: str, fmt: str) -> Graph:
    with warnings.catch_warnings():
        # rdflib 7.6's own JSON-LD parser builds a ConjunctiveGraph, which rdflib deprecates.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return Graph().parse(data=data, format=fmt)


def _graph(client, url: str = TTL, fmt: str = "turtle") -> Graph:
    response = client.get(url)
    assert response.status_code == 200
    return _parse(response.content.decode(), fmt)


def _datasets(graph: Graph) -> dict[str, URIRef]:
    return {
        str(graph.value(node, DCTERMS.identifier)).removeprefix("partnerportal-"): node
        for node in graph.subjects(RDF.type, DCAT.Dataset)
    }


def _missing(graph: Graph, node, properties) -> list[str]:
    return [graph.qname(p) for p in properties if graph.value(node, p) is None]


def test_both_formats_parse_and_hold_the_same_graph(client, open_data):
    turtle = client.get(TTL)
    jsonld = client.get(JSONLD)
    assert turtle["Content-Type"] == "text/turtle; charset=utf-8"
    assert jsonld["Content-Type"] == "application/ld+json"
    from_turtle = Graph().parse(data=turtle.content.decode(), format="turtle")
    from_jsonld = _parse(jsonld.content.decode(), "json-ld")
    assert len(from_turtle) > 100
    assert isomorphic(from_turtle, from_jsonld)


def test_catalogue_datasets_and_distributions_have_the_mandatory_properties(
    client, open_data, settings
):
    graph = _graph(client)
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert catalogs == [URIRef("http://testserver/api/v1/catalog.ttl")]
    catalog = catalogs[0]
    assert not _missing(graph, catalog, CATALOG_MANDATORY + CATALOG_PROMISED)

    publisher = graph.value(catalog, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert graph.value(publisher, FOAF.name) == Literal(settings.OPEN_DATA_PUBLISHER)

    datasets = _datasets(graph)
    assert set(datasets) == DATASETS
    assert set(graph.objects(catalog, DCAT.dataset)) == set(datasets.values())
    for key, dataset in datasets.items():
        assert not _missing(graph, dataset, DATASET_MANDATORY + DATASET_PROMISED), key
        assert graph.value(dataset, DCTERMS.publisher) == publisher
        titles = {title.language for title in graph.objects(dataset, DCTERMS.title)}
        assert titles == {"de", "en"}, key
        contact = graph.value(dataset, DCAT.contactPoint)
        assert graph.value(contact, VCARD.fn) is not None
        assert graph.value(dataset, DCTERMS.accrualPeriodicity) == URIRef(
            "http://publications.europa.eu/resource/authority/frequency/CONT"
        )
        spatial = set(graph.objects(dataset, DCTERMS.spatial))
        assert URIRef("http://publications.europa.eu/resource/authority/country/DEU") in spatial
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert distributions, key
        for distribution in distributions:
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            assert not _missing(
                graph, distribution, DISTRIBUTION_MANDATORY + DISTRIBUTION_PROMISED
            ), distribution
    # One distribution per file the site offers: three partnership files and the JSON list,
    # the municipalities' JSON list, each chart of the statistics as CSV and SVG.
    count = {
        key: len(list(graph.objects(node, DCAT.distribution))) for key, node in datasets.items()
    }
    assert count == {"partnerships": 4, "municipalities": 1, "statistics": 2 * len(CHARTS)}


def test_temporal_coverage_is_the_known_start_years_and_modified_the_registry_change(
    client, open_data
):
    response = client.get(TTL)
    graph = Graph().parse(data=response.content.decode(), format="turtle")
    datasets = _datasets(graph)
    for key in ("partnerships", "statistics"):
        period = graph.value(datasets[key], DCTERMS.temporal)
        assert (period, RDF.type, DCTERMS.PeriodOfTime) in graph
        # Confirmed pairs start in 1961, 1990 and 2017; the unconfirmed proposal's 2024 is not
        # public.
        assert str(graph.value(period, DCAT.startDate)) == "1961-01-01"
        assert str(graph.value(period, DCAT.endDate)) == "2017-12-31"
    assert graph.value(datasets["municipalities"], DCTERMS.temporal) is None

    modified = graph.value(datasets["partnerships"], DCTERMS.modified).toPython()
    assert http_date(modified.timestamp()) == response["Last-Modified"]


def test_every_distribution_answers_with_its_media_type(client, open_data):
    graph = _graph(client)
    checked = 0
    for distribution in graph.subjects(RDF.type, DCAT.Distribution):
        url = str(graph.value(distribution, DCAT.accessURL))
        download = graph.value(distribution, DCAT.downloadURL)
        assert download is None or str(download) == url
        media_type = str(graph.value(distribution, DCAT.mediaType)).removeprefix(
            "http://www.iana.org/assignments/media-types/"
        )
        parts = urlsplit(url)
        assert parts.netloc == "testserver"
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert response.status_code == 200, url
        assert response["Content-Type"].split(";")[0] == media_type, url
        file_type = str(graph.value(distribution, DCTERMS.format)).rsplit("/", 1)[1]
        assert (
            file_type
            == {
                "text/csv": "CSV",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
                "application/geo+json": "GEOJSON",
                "application/json": "JSON",
                "image/svg+xml": "SVG",
            }[media_type]
        ), url
        checked += 1
    assert checked == 5 + 2 * len(CHARTS)


def test_licences_follow_the_sources(client, open_data):
    # The files name the same licences (atlas/exports.py) as the catalogue.
    assert {key: URIRef(source.licence_uri) for key, source in SOURCES.items()} == (SOURCE_LICENCES)
    graph = _graph(client)
    for key, dataset in _datasets(graph).items():
        # Each data set holds rows of the Wikipedia twin towns lists (pairs, and places created
        # from them), so the share-alike licence binds the whole set.
        assert set(map(str, graph.objects(dataset, DCTERMS.source))) == {
            source.url for source in SOURCES.values()
        }, key
        for distribution in graph.objects(dataset, DCAT.distribution):
            assert graph.value(distribution, DCTERMS.license) == CC_BY_SA, distribution
            attribution = str(graph.value(distribution, DCATDE.licenseAttributionByText))
            for source in SOURCES.values():
                assert source.name in attribution and source.licence in attribution


def test_without_a_share_alike_source_the_first_sources_licence_applies():
    destatis, geonames, wikipedia = (SOURCES[k] for k in ("destatis", "geonames", "wikipedia"))
    assert dataset_licence([destatis]).licence_uri == str(DL_BY_DE)
    assert dataset_licence([geonames, destatis]).licence_uri == str(CC_BY)
    assert dataset_licence([destatis, wikipedia, geonames]).licence_uri == str(CC_BY_SA)


def test_contributor_id_and_contact_address_come_from_the_settings(client, open_data, settings):
    graph = _graph(client)
    assert not list(graph.subject_objects(DCATDE.contributorID))  # none assigned yet
    assert not list(graph.subject_objects(VCARD.hasEmail))

    settings.OPEN_DATA_PUBLISHER = "Servicestelle Kommunen"
    settings.OPEN_DATA_CONTRIBUTOR_ID = "http://dcat-ap.de/def/contributors/example"
    settings.OPEN_DATA_CONTACT_EMAIL = "opendata@example.org"
    graph = _graph(client, JSONLD, "json-ld")
    for dataset in _datasets(graph).values():
        assert graph.value(dataset, DCATDE.contributorID) == URIRef(
            "http://dcat-ap.de/def/contributors/example"
        )
        publisher = graph.value(dataset, DCTERMS.publisher)
        assert graph.value(publisher, FOAF.name) == Literal("Servicestelle Kommunen")
        contact = graph.value(dataset, DCAT.contactPoint)
        assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:opendata@example.org")


def test_the_catalogue_answers_304_until_the_registry_changes(
    client, open_data, django_capture_on_commit_callbacks
):
    first = client.get(TTL)
    etag = first["ETag"]
    assert client.get(TTL, headers={"if-none-match": etag}).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):  # the version moves after commit
        PartnershipFactory(start_year=1950)
    again = client.get(TTL, headers={"if-none-match": etag})
    assert again.status_code == 200
    graph = Graph().parse(data=again.content.decode(), format="turtle")
    period = graph.value(_datasets(graph)["partnerships"], DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == "1950-01-01"


def test_the_api_page_links_the_catalogue(client):
    body = client.get(reverse("api_pages:overview")).content.decode()
    assert '<link rel="alternate" type="text/turtle" href="/api/v1/catalog.ttl"' in body
    assert '<link rel="alternate" type="application/ld+json" href="/api/v1/catalog.jsonld"' in body
    assert 'href="/api/v1/catalog.ttl">http://testserver/api/v1/catalog.ttl</a>' in body
    assert 'href="/api/v1/catalog.jsonld">http://testserver/api/v1/catalog.jsonld</a>' in body
