"""The registry's open data as files: CSV, XLSX and GeoJSON of a set of partnerships.

The site's downloads (atlas/views/exports.py) and the API's (/api/v1/partnerships.csv and its
siblings) write the same files through this module. The CSV is the twin towns import format
(registry/importers/twinnings/) with columns added after the original eight, so that what the
export writes, the importer reads back without loss.

Which pairs a file holds: exactly the rows the registry's list shows for the same filters
(registry/selectors/public.py, `partnership_filtered`, the one definition the list, the
statistics, the atlas and the API share). The site's downloads take the list's query string, so
by default they hold the network abroad, as the list and the figures do: pairs with a German
side and a partner abroad. Pairs without a German side (`all_pairs=on`) and inner-German pairs
(`inner_german=on`) are in a file only when asked for, each by its own filter, exactly as in the
list. The full registry, `FULL_REGISTRY`, is both together: the site's
`?all_pairs=on&inner_german=on`, and the API's files by default (/api/v1/partnerships.csv without
`german_side`). An export of the full registry holds every confirmed pair, so it re-imports
without loss (registry/tests/test_import_twinnings_roundtrip.py); a filtered file holds what its
list shows, not more.

The full registry is some 21,000 rows: rows are read with two queries whatever their number (the
partnerships with both sides and their countries as plain values, then the themes), streamed
from a database iterator, and never loaded as model instances.

The licence texts inside the files are English and the same for every reader: a file is data
that travels without its page, and an API answer must not change with the caller's language
(its ETag depends on the URL alone).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from partnerportal.core import csv as safe_csv
from partnerportal.registry.importers.twinnings import EXTRA_COLUMNS, HEADER, THEME_SEPARATOR
from partnerportal.registry.models import ImportRun, Municipality, Partnership
from partnerportal.registry.selectors.public import PartnershipFilters, b_is_home

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GEOJSON_CONTENT_TYPE = "application/geo+json"

#: The CSV's and the spreadsheet's columns: the importer's eight, then the extra ones it knows.
COLUMNS: tuple[str, ...] = (*HEADER, *EXTRA_COLUMNS)

#: Every confirmed pair: with a German side and a partner abroad, without a German side and
#: inner-German. What a file of the full registry holds (the API's files by default, the site's
#: downloads with `all_pairs=on&inner_german=on`), so that it re-imports without loss.
FULL_REGISTRY = PartnershipFilters(include_non_german=True, include_inner_german=True)

#: Rows per chunk of a streamed file: fewer, larger writes to the socket.
CHUNK_ROWS = 500


@dataclass(frozen=True, slots=True)
class DataSource:
    key: str
    name: str
    licence: str
    licence_url: str
    url: str
    #: The licence in the vocabulary of DCAT-AP.de (http://dcat-ap.de/def/licenses/), for the
    #: open-data catalogue (api/catalog.py).
    licence_uri: str = ""
    #: Whoever passes the data on must share it under the same licence (CC BY-SA).
    share_alike: bool = False

    @property
    def short(self) -> str:
        return f"{self.name} ({self.licence})"


SOURCES: dict[str, DataSource] = {
    source.key: source
    for source in (
        DataSource(
            key="destatis",
            name="Statistisches Bundesamt (Destatis), Gemeindeverzeichnis",
            licence="Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)",
            licence_url="https://www.govdata.de/dl-de/by-2-0",
            url="https://www.destatis.de/",
            licence_uri="http://dcat-ap.de/def/licenses/dl-by-de/2.0",
        ),
        DataSource(
            key="geonames",
            name="GeoNames",
            licence="CC BY 4.0",
            licence_url="https://creativecommons.org/licenses/by/4.0/",
            url="https://www.geonames.org/",
            licence_uri="http://dcat-ap.de/def/licenses/cc-by/4.0",
        ),
        DataSource(
            key="wikipedia",
            name="Wikipedia, lists of twin towns and sister cities",
            licence="CC BY-SA 4.0",
            licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
            url="https://en.wikipedia.org/wiki/Lists_of_twin_towns_and_sister_cities",
            licence_uri="http://dcat-ap.de/def/licenses/cc-by-sa/4.0",
            share_alike=True,
        ),
    )
}

LICENCE_NOTE = (
    "Partnerportal open data. Pairs imported from Wikipedia's lists are shared under CC BY-SA "
    "4.0: whoever passes them on must name the sources below and share under the same licence. "
    "German municipalities: Destatis, dl-de/by-2-0; foreign places: GeoNames, CC BY 4.0. "
    "The column 'attribution' names the sources of each row."
)


def attribution_text() -> str:
    """All sources in one line, for headers and the licence sheet."""
    return "Sources: " + "; ".join(
        f"{s.name}, {s.licence}, {s.licence_url}" for s in SOURCES.values()
    )


# --- Reading the rows ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Side:
    id: int
    name: str
    country: str
    country_name_en: str
    latitude: float | None
    longitude: float | None
    ags: str | None
    geonames_id: int | None
    source: str

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One partnership as the files write it: side 1 is the German side when there is one
    (as on the list page), side 2 its partner."""

    id: int
    type: str
    status: str
    start_year: int | None
    themes: tuple[str, ...]
    first: Side
    second: Side
    sources: tuple[str, ...]
    url: str


_SIDE_FIELDS = (
    "id",
    "name",
    "country_id",
    "country__name_en",
    "latitude",
    "longitude",
    "ags",
    "geonames_id",
    "source",
)


def _side(record: dict, prefix: str) -> Side:
    get = record.__getitem__
    return Side(
        id=get(f"{prefix}id"),
        name=get(f"{prefix}name"),
        country=get(f"{prefix}country_id"),
        country_name_en=get(f"{prefix}country__name_en"),
        latitude=get(f"{prefix}latitude"),
        longitude=get(f"{prefix}longitude"),
        ags=get(f"{prefix}ags"),
        geonames_id=get(f"{prefix}geonames_id"),
        source=get(f"{prefix}source"),
    )


def _sources(first: Side, second: Side, import_kind: str | None) -> tuple[str, ...]:
    keys = set()
    for side in (first, second):
        if side.source == Municipality.Source.DESTATIS:
            keys.add("destatis")
        elif side.source == Municipality.Source.GEONAMES:
            keys.add("geonames")
        elif side.source == Municipality.Source.IMPORT:
            keys.add("wikipedia")  # places created from a row of the twin towns list
    if import_kind == ImportRun.Kind.TWINNINGS:
        keys.add("wikipedia")
    return tuple(key for key in SOURCES if key in keys)


def export_rows(partnerships: QuerySet[Partnership], *, page_url: str) -> Iterator[ExportRow]:
    """The partnerships of `partnerships` in its order, in two queries however many there are.

    `page_url` is the address of the partnership list (absolute, ending in "/"): a partnership's
    page is that address followed by its id."""
    themes: dict[int, list[str]] = {}
    links = (
        Partnership.themes.through.objects.filter(
            partnership_id__in=partnerships.order_by().values("pk")
        )
        .order_by("theme__kind", "theme__number", "theme__code")
        .values_list("partnership_id", "theme__code")
    )
    for partnership_id, code in links:
        themes.setdefault(partnership_id, []).append(code)
    fields = [
        "pk",
        "type",
        "status",
        "start_year",
        "import_run__kind",
        *(f"municipality_a__{f}" for f in _SIDE_FIELDS),
        *(f"municipality_b__{f}" for f in _SIDE_FIELDS),
    ]
    for record in partnerships.values(*fields).iterator(chunk_size=2000):
        a = _side(record, "municipality_a__")
        b = _side(record, "municipality_b__")
        first, second = (b, a) if b_is_home(a.country, b.country) else (a, b)
        yield ExportRow(
            id=record["pk"],
            type=record["type"],
            status=record["status"],
            start_year=record["start_year"],
            themes=tuple(themes.get(record["pk"], ())),
            first=first,
            second=second,
            sources=_sources(a, b, record["import_run__kind"]),
            url=f"{page_url}{record['pk']}/",
        )


# --- CSV and XLSX --------------------------------------------------------------------------


def _blank(value) -> object:
    return "" if value is None else value


def table_row(row: ExportRow) -> list:
    """The values of one row in the order of COLUMNS."""
    values: list = []
    for side in (row.first, row.second):
        values += [side.name, side.country_name_en, _blank(side.latitude), _blank(side.longitude)]
    values += [
        row.id,
        row.type,
        row.status,
        _blank(row.start_year),
        THEME_SEPARATOR.join(row.themes),
        _blank(row.first.ags),
        _blank(row.first.geonames_id),
        _blank(row.second.ags),
        _blank(row.second.geonames_id),
        row.url,
        "; ".join(SOURCES[key].short for key in row.sources),
    ]
    return values


class _Echo:
    """A file that hands back what is written to it, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(rows: Iterable[ExportRow]) -> Iterator[bytes]:
    """The CSV, a few hundred rows per chunk. No comment line before the header: the importer
    (and most tools) expect the header first; each row names its sources instead. Cells that a
    spreadsheet would run as formulas are written as text (core/csv.py); the importer reads
    them back as they were."""
    writer = safe_csv.writer(_Echo(), lineterminator="\r\n")
    yield writer.writerow(COLUMNS).encode()
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow(table_row(row)))
        if len(chunk) >= CHUNK_ROWS:
            yield "".join(chunk).encode()
            chunk = []
    if chunk:
        yield "".join(chunk).encode()


def _text_cell(sheet, value):
    """Text stays text: openpyxl would store "=..." as a formula that Excel runs. Only such
    values get a cell object of their own (a cell per value costs a sixth more time)."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_bytes(rows: Iterable[ExportRow]) -> bytes:
    """The spreadsheet: the CSV's columns on the first sheet, licence and sources on the second.
    Written in openpyxl's write-only mode, which keeps one row in memory rather than the sheet.
    The slowest of the three formats: about 4 s for the full registry without lxml."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Partnerships")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in table_row(row)])
    licence = workbook.create_sheet("Licence")
    licence.append([_text_cell(licence, LICENCE_NOTE)])
    licence.append([])
    licence.append(["Source", "Licence", "Licence text", "Website"])
    for source in SOURCES.values():
        licence.append([source.name, source.licence, source.licence_url, source.url])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- GeoJSON -------------------------------------------------------------------------------


def _position(side: Side) -> list[float]:
    # RFC 7946: longitude first; six decimals are about 10 cm.
    return [round(side.longitude, 6), round(side.latitude, 6)]


def feature(row: ExportRow) -> dict:
    """One partnership as a GeoJSON Feature: a line between the two places, or no geometry
    when one of them has no coordinates."""
    geometry = None
    if row.first.has_point and row.second.has_point:
        geometry = {
            "type": "LineString",
            "coordinates": [_position(row.first), _position(row.second)],
        }
    properties: dict = {"id": row.id}
    for number, side in (("1", row.first), ("2", row.second)):
        properties |= {
            f"municipality_id{number}": side.id,
            f"name{number}": side.name,
            f"country{number}": side.country,
            f"ags{number}": side.ags,
            f"geonames_id{number}": side.geonames_id,
        }
    properties |= {
        "type": row.type,
        "status": row.status,
        "start_year": row.start_year,
        "themes": list(row.themes),
        "url": row.url,
        "attribution": [SOURCES[key].short for key in row.sources],
    }
    return {"type": "Feature", "id": row.id, "geometry": geometry, "properties": properties}


def geojson_chunks(rows: Iterable[ExportRow]) -> Iterator[bytes]:
    """An RFC 7946 FeatureCollection, streamed; licence and sources are foreign members of the
    collection ("license", "attribution", "sources")."""
    head = {
        "type": "FeatureCollection",
        "license": LICENCE_NOTE,
        "attribution": attribution_text(),
        "sources": [
            {"name": s.name, "licence": s.licence, "licence_url": s.licence_url, "url": s.url}
            for s in SOURCES.values()
        ],
    }
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [').encode()
    chunk: list[str] = []
    first = True
    for row in rows:
        text = json.dumps(feature(row), ensure_ascii=False)
        chunk.append(text if first else "," + text)
        first = False
        if len(chunk) >= CHUNK_ROWS:
            yield "".join(chunk).encode()
            chunk = []
    chunk.append("]}")
    yield "".join(chunk).encode()


# --- Responses -----------------------------------------------------------------------------

FORMATS: dict[str, str] = {
    "csv": CSV_CONTENT_TYPE,
    "xlsx": XLSX_CONTENT_TYPE,
    "geojson": GEOJSON_CONTENT_TYPE,
}


def export_filename(extension: str, *, today: date | None = None) -> str:
    return f"partnerships-{(today or timezone.localdate()).isoformat()}.{extension}"


#: Spreadsheets are kept in the shared cache (under the registry's version, so a change to the
#: registry makes them stale at once) when no larger than this: the full registry is ~2.5 MB.
XLSX_CACHE_MAX_BYTES = 8 * 1024 * 1024
XLSX_CACHE_SECONDS = 60 * 60


def export_response(
    extension: str,
    partnerships: QuerySet[Partnership],
    *,
    page_url: str,
    cache_key: str = "",
) -> HttpResponse | StreamingHttpResponse:
    """The file as a download: CSV and GeoJSON streamed while the rows are read (a second or
    so for the full registry), the spreadsheet built first (a zip file cannot be streamed before
    it is complete) and, given a `cache_key` that names the registry version and the request,
    kept in the cache: it takes seconds to build."""
    rows = export_rows(partnerships, page_url=page_url)
    content_type = FORMATS[extension]
    if extension == "xlsx":
        key = f"atlas:export:xlsx:{cache_key}" if cache_key else ""
        body = cache.get(key) if key else None
        if body is None:
            body = xlsx_bytes(rows)
            if key and len(body) <= XLSX_CACHE_MAX_BYTES:
                cache.set(key, body, XLSX_CACHE_SECONDS)
        response: HttpResponse | StreamingHttpResponse = HttpResponse(
            body, content_type=content_type
        )
    elif extension == "csv":
        response = StreamingHttpResponse(csv_chunks(rows), content_type=content_type)
    else:
        response = StreamingHttpResponse(geojson_chunks(rows), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(extension)}"'
    return response
