"""The open data described for harvesting: a DCAT-AP.de catalogue of Partnerportal's data sets.

German open-data portals (GovData, the Länder portals) do not crawl pages; they harvest DCAT-AP.de
metadata (RDF) from a URL they are given. This module builds that catalogue as an rdflib graph:
three data sets (partnerships, municipalities, statistics), each with a distribution per file or
API answer that Partnerportal already serves (/api/v1/partnerships.csv and its siblings, the API's
JSON lists, the statistics' CSV and SVG downloads), its licence, publisher, sources, update
frequency and temporal and spatial coverage. The API serves it as Turtle and JSON-LD
(api/routers/catalog.py).

The graph is language-independent (titles and descriptions in German and English, as tagged
literals) and depends only on the registry's version and the settings, so the conditional GET of
core/caching.py applies as for the other files.

Vocabularies: DCAT-AP.de 2.0 (dcatde:), the dcat-ap.de licence list, the EU Publications Office's
authority tables for file types, frequencies, data themes, languages and countries, IANA media
types. Licences follow the sources (atlas/exports.py: SOURCES): every data set draws on the twin
towns lists of Wikipedia (CC BY-SA 4.0), so each is shared under that licence, with an
attribution text naming all sources (dcatde:licenseAttributionByText).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from partnerportal.atlas.exports import (
    CSV_CONTENT_TYPE,
    GEOJSON_CONTENT_TYPE,
    SOURCES,
    XLSX_CONTENT_TYPE,
    DataSource,
)
from partnerportal.atlas.selectors.statistics import CHARTS, network_statistics
from partnerportal.registry.selectors.public import PartnershipFilters

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
DATA_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
MEDIA_TYPE = "http://www.iana.org/assignments/media-types/"
GEOCODING_LEVEL = Namespace("http://dcat-ap.de/def/politicalGeocoding/Level/")
#: Germany in GeoNames: a second, widely resolvable name of the spatial coverage.
GEONAMES_GERMANY = URIRef("https://sws.geonames.org/2921044/")

#: Prefixes for Turtle and the JSON-LD context.
PREFIXES: dict[str, Namespace] = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "dcatde": DCATDE,
    "foaf": FOAF,
    "vcard": VCARD,
    "adms": ADMS,
    "xsd": XSD,
}

#: Media type (as served) -> EU file type.
FILE_TYPES: dict[str, str] = {
    "text/csv": "CSV",
    XLSX_CONTENT_TYPE: "XLSX",
    GEOJSON_CONTENT_TYPE: "GEOJSON",
    "application/json": "JSON",
    "image/svg+xml": "SVG",
}


@dataclass(frozen=True)
class Distribution:
    """One way to get a data set: a file (download) or an API answer (access only)."""

    key: str
    url: str
    media_type: str
    title: Callable[[], str]
    download: bool = True


@dataclass(frozen=True)
class DataSet:
    key: str
    title: Callable[[], str]
    description: Callable[[], str]
    keywords: Callable[[], list[str]]
    landing_page: str
    sources: tuple[DataSource, ...]
    distributions: tuple[Distribution, ...]
    themes: tuple[str, ...] = ("REGI", "GOVE")
    temporal: tuple[int, int] | None = None


def dataset_licence(sources: Iterable[DataSource]) -> DataSource:
    """The source whose licence the combined data must carry: a share-alike source binds the
    whole (CC BY-SA 4.0 admits dl-de/by-2-0 and CC BY 4.0 material with attribution); without
    one, the first source's."""
    sources = tuple(sources)
    return next((source for source in sources if source.share_alike), sources[0])


def attribution_by_text(sources: Iterable[DataSource]) -> str:
    """The attribution a re-user has to give (dcatde:licenseAttributionByText)."""
    return "Partnerportal; " + "; ".join(f"{source.name}, {source.licence}" for source in sources)


def _both(text: Callable[[], str]) -> list[Literal]:
    """A text in German and English, as language-tagged literals."""
    literals = []
    for language in ("de", "en"):
        with translation.override(language):
            literals.append(Literal(str(text()), lang=language))
    return literals


def start_years() -> tuple[int, int] | None:
    """The first and last known start year of a confirmed partnership, from the statistics'
    growth series (atlas/selectors/statistics.py: every year from the first on)."""
    with translation.override(settings.LANGUAGE_CODE):
        rows = network_statistics(PartnershipFilters()).charts["growth"].rows
    if not rows:
        return None
    return int(rows[0].key), int(rows[-1].key)


def _chart_titles() -> dict[str, dict[str, str]]:
    titles: dict[str, dict[str, str]] = {}
    for language in ("de", "en"):
        with translation.override(language):
            charts = network_statistics(PartnershipFilters()).charts
            for key, series in charts.items():
                titles.setdefault(key, {})[language] = series.title
    return titles


def datasets(absolute: Callable[[str], str]) -> list[DataSet]:
    """Partnerportal's data sets with their distributions; `absolute` turns a path into a URL."""
    with translation.override(settings.LANGUAGE_CODE):
        partnership_list = absolute(reverse("registry:partnership_list"))
        municipality_search = absolute(reverse("registry:municipality_search"))
        statistics_page = absolute(reverse("atlas:statistics"))
        statistics_files = {
            (chart, extension): absolute(reverse(f"atlas:statistics_{extension}", args=[chart]))
            for chart in CHARTS
            for extension in ("csv", "svg")
        }
    years = start_years()
    sources = tuple(SOURCES.values())
    chart_titles = _chart_titles()

    def chart_title(chart: str, extension: str) -> Callable[[], str]:
        return lambda: f"{chart_titles[chart][translation.get_language()]} ({extension.upper()})"

    return [
        DataSet(
            key="partnerships",
            title=lambda: gettext("Municipal partnerships"),
            description=lambda: gettext(
                "Confirmed partnerships between municipalities: German municipalities and "
                "their partners abroad, with type, status, start year and themes, each side "
                "identified by its official key (AGS) or GeoNames id. Includes the twinnings of "
                "the Wikipedia lists of twin towns and sister cities."
            ),
            keywords=lambda: [
                gettext("municipal partnerships"),
                gettext("twin towns"),
                gettext("development cooperation"),
                gettext("municipalities"),
            ],
            landing_page=partnership_list,
            sources=sources,
            temporal=years,
            distributions=(
                Distribution(
                    "csv",
                    absolute(reverse("api:partnerships_csv")),
                    CSV_CONTENT_TYPE,
                    lambda: gettext("Partnerships as CSV"),
                ),
                Distribution(
                    "xlsx",
                    absolute(reverse("api:partnerships_xlsx")),
                    XLSX_CONTENT_TYPE,
                    lambda: gettext("Partnerships as an Excel spreadsheet"),
                ),
                Distribution(
                    "geojson",
                    absolute(reverse("api:partnerships_geojson")),
                    GEOJSON_CONTENT_TYPE,
                    lambda: gettext("Partnerships as GeoJSON"),
                ),
                Distribution(
                    "json",
                    absolute(reverse("api:partnerships")),
                    "application/json",
                    lambda: gettext("Partnerships through the REST API (JSON, in pages)"),
                    download=False,
                ),
            ),
        ),
        DataSet(
            key="municipalities",
            title=lambda: gettext("Municipalities"),
            description=lambda: gettext(
                "German municipalities with their official key (AGS), federal state, "
                "population, area and coordinates from the Destatis municipality directory, "
                "and municipalities abroad from the GeoNames gazetteer and the twin towns lists."
            ),
            keywords=lambda: [
                gettext("municipalities"),
                gettext("official municipality key"),
                gettext("gazetteer"),
            ],
            landing_page=municipality_search,
            sources=sources,
            distributions=(
                Distribution(
                    "json",
                    absolute(reverse("api:municipalities")),
                    "application/json",
                    lambda: gettext("Municipalities through the REST API (JSON, in pages)"),
                    download=False,
                ),
            ),
        ),
        DataSet(
            key="statistics",
            title=lambda: gettext("Statistics of municipal partnerships"),
            description=lambda: gettext(
                "Counts of the confirmed partnerships by federal state, partner country, world "
                "region, type, status, theme, Sustainable Development Goal and decade of start, "
                "the growth of the network and the share with a partner on the DAC list, each "
                "as a table (CSV) and a chart (SVG)."
            ),
            keywords=lambda: [
                gettext("statistics"),
                gettext("municipal partnerships"),
                gettext("development cooperation"),
            ],
            landing_page=statistics_page,
            sources=sources,
            temporal=years,
            distributions=tuple(
                Distribution(
                    f"{chart}-{extension}",
                    url,
                    "text/csv" if extension == "csv" else "image/svg+xml",
                    chart_title(chart, extension),
                )
                for (chart, extension), url in statistics_files.items()
            ),
        ),
    ]


def catalog_graph(*, catalog_url: str, absolute: Callable[[str], str], modified: datetime) -> Graph:
    """The catalogue at `catalog_url` (its Turtle address: the catalogue's own identifier) with
    every data set; `modified` is when the registry last changed."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    add = graph.add
    catalog = URIRef(catalog_url)
    base = catalog_url.rsplit(".", 1)[0]
    modified_literal = Literal(modified.replace(microsecond=0), datatype=XSD.dateTime)

    publisher = URIRef(settings.OPEN_DATA_PUBLISHER_URL or absolute("/"))
    add((publisher, RDF.type, FOAF.Agent))
    add((publisher, FOAF.name, Literal(settings.OPEN_DATA_PUBLISHER)))
    add((publisher, FOAF.homepage, URIRef(absolute("/"))))

    contact = URIRef(f"{base}#contact")
    add((contact, RDF.type, VCARD.Organization))
    add((contact, VCARD.fn, Literal(settings.OPEN_DATA_PUBLISHER)))
    with translation.override(settings.LANGUAGE_CODE):
        add((contact, VCARD.hasURL, URIRef(absolute(reverse("api_pages:overview")))))
    if settings.OPEN_DATA_CONTACT_EMAIL:
        add((contact, VCARD.hasEmail, URIRef(f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}")))

    add((catalog, RDF.type, DCAT.Catalog))
    for literal in _both(lambda: gettext("Partnerportal open data")):
        add((catalog, DCTERMS.title, literal))
    for literal in _both(
        lambda: gettext(
            "Open data of municipal development partnerships: partnerships, municipalities and "
            "statistics of the partnership network."
        )
    ):
        add((catalog, DCTERMS.description, literal))
    add((catalog, DCTERMS.publisher, publisher))
    add((catalog, FOAF.homepage, URIRef(absolute("/"))))
    add((catalog, DCTERMS.modified, modified_literal))
    add((catalog, DCAT.themeTaxonomy, URIRef(str(DATA_THEME)[:-1])))
    for code in ("DEU", "ENG"):
        add((catalog, DCTERMS.language, LANGUAGE[code]))

    for data_set in datasets(absolute):
        node = URIRef(f"{base}#{data_set.key}")
        add((catalog, DCAT.dataset, node))
        add((node, RDF.type, DCAT.Dataset))
        for literal in _both(data_set.title):
            add((node, DCTERMS.title, literal))
        for literal in _both(data_set.description):
            add((node, DCTERMS.description, literal))
        for language in ("de", "en"):
            with translation.override(language):
                for keyword in data_set.keywords():
                    add((node, DCAT.keyword, Literal(str(keyword), lang=language)))
        add((node, DCTERMS.identifier, Literal(f"partnerportal-{data_set.key}")))
        add((node, DCTERMS.publisher, publisher))
        add((node, DCAT.contactPoint, contact))
        if settings.OPEN_DATA_CONTRIBUTOR_ID:
            add((node, DCATDE.contributorID, URIRef(settings.OPEN_DATA_CONTRIBUTOR_ID)))
        add((node, DCAT.landingPage, URIRef(data_set.landing_page)))
        add((node, DCTERMS.modified, modified_literal))
        add((node, DCTERMS.accrualPeriodicity, FREQUENCY.CONT))
        add(
            (
                node,
                DCTERMS.accessRights,
                URIRef("http://publications.europa.eu/resource/authority/access-right/PUBLIC"),
            )
        )
        for theme in data_set.themes:
            add((node, DCAT.theme, DATA_THEME[theme]))
        for code in ("DEU", "ENG"):
            add((node, DCTERMS.language, LANGUAGE[code]))
        add((node, DCTERMS.spatial, COUNTRY.DEU))
        add((node, DCTERMS.spatial, GEONAMES_GERMANY))
        add((node, DCATDE.politicalGeocodingLevelURI, GEOCODING_LEVEL.federal))
        if data_set.temporal is not None:
            first, last = data_set.temporal
            period = BNode()
            add((node, DCTERMS.temporal, period))
            add((period, RDF.type, DCTERMS.PeriodOfTime))
            add((period, DCAT.startDate, Literal(f"{first}-01-01", datatype=XSD.date)))
            add((period, DCAT.endDate, Literal(f"{last}-12-31", datatype=XSD.date)))
        for source in data_set.sources:
            add((node, DCTERMS.source, URIRef(source.url)))
        licence = dataset_licence(data_set.sources)
        attribution = attribution_by_text(data_set.sources)

        for distribution in data_set.distributions:
            item = URIRef(f"{base}#{data_set.key}-{distribution.key}")
            add((node, DCAT.distribution, item))
            add((item, RDF.type, DCAT.Distribution))
            for literal in _both(distribution.title):
                add((item, DCTERMS.title, literal))
            add((item, DCAT.accessURL, URIRef(distribution.url)))
            if distribution.download:
                add((item, DCAT.downloadURL, URIRef(distribution.url)))
            media_type = distribution.media_type.split(";")[0]
            add((item, DCAT.mediaType, URIRef(MEDIA_TYPE + media_type)))
            add((item, DCTERMS.format, FILE_TYPE[FILE_TYPES[media_type]]))
            add((item, DCTERMS.license, URIRef(licence.licence_uri)))
            add((item, DCATDE.licenseAttributionByText, Literal(attribution)))
            add((item, DCTERMS.modified, modified_literal))
    return graph


#: Compact JSON-LD: the prefixes as the context.
JSONLD_CONTEXT = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def serialize(graph: Graph, fmt: str) -> str:
    if fmt == "json-ld":
        return graph.serialize(format="json-ld", context=JSONLD_CONTEXT, indent=2)
    return graph.serialize(format=fmt)
