"""Public reads of the registry: countries, municipalities and confirmed partnerships, the
partnerships also as files (CSV, XLSX, GeoJSON).
(No `from __future__ import annotations` here: ninja reads the annotations at import.)

Every endpoint is open data (`auth=None`): it returns only public fields, only confirmed
partnerships, and contact persons only where they agreed to be shown to everyone. Every read
answers 304 to a matching If-None-Match (core/caching.py); the rate limits are set on the API
(core/throttling.py)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils import translation
from ninja import Field, Path, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from partnerportal.atlas.exports import SOURCES, export_response
from partnerportal.core.caching import conditional, etag_for
from partnerportal.geo.models import Country, DacIncomeGroup, WorldRegion
from partnerportal.geo.selectors import country_get, country_list
from partnerportal.registry.models import Municipality, PartnershipStatus, PartnershipType
from partnerportal.registry.selectors.api import (
    api_municipality_get,
    api_municipality_list,
    api_partnership_export,
    api_partnership_filters,
    api_partnership_list,
)
from partnerportal.registry.selectors.public import FEDERAL_STATES
from partnerportal.registry.validators import START_YEAR_MAX, START_YEAR_MIN

from ..documentation import (
    CSV_CONTENT,
    GEOJSON_CONTENT,
    XLSX_CONTENT,
    extra,
    responses,
)

router = Router(tags=["registry"])

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
#: Ids are 64-bit in the database; a larger number is a 422, not a database error.
MAX_ID = 2**63 - 1
#: More pages than any list of ours can have; a larger page number is a 422.
MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    """Pages of 50 items by default; `page_size` up to 200."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE)

    def __init__(self, **kwargs) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


# --- Schemas -----------------------------------------------------------------------------------


class CountryOut(Schema):
    iso2: str = Field(..., examples=["SN"])
    iso3: str = Field(..., examples=["SEN"])
    name_de: str = Field(..., examples=["Senegal"])
    name_en: str = Field(..., examples=["Senegal"])
    world_region: WorldRegion | None = Field(
        ...,
        description=(
            "The agency's world region; null while none is assigned (a country added by hand or "
            "by an import that the reference data does not place yet)."
        ),
    )
    oda_recipient: bool = Field(
        ..., description="On the OECD DAC List of ODA Recipients for the years given."
    )
    dac_income_group: DacIncomeGroup | None = Field(
        None, description="Income group on the DAC list; null when not a recipient."
    )
    dac_list_years: str = Field(..., examples=["2024–2025"])
    dac_note: str = Field("", description="Remarks on the DAC status, e.g. uncertainties.")

    @staticmethod
    def resolve_world_region(obj: Country) -> str | None:
        return obj.world_region or None

    @staticmethod
    def resolve_dac_income_group(obj: Country) -> str | None:
        return obj.dac_income_group or None


class MunicipalityOut(Schema):
    id: int
    name: str = Field(..., examples=["Köln"])
    name_suffix: str = Field("", examples=["Stadt"])
    country: str = Field(..., description="ISO 3166 alpha-2 code.", examples=["DE"])
    kind: Municipality.Kind
    ags: str | None = Field(
        None,
        description="Official municipality key (Amtlicher Gemeindeschlüssel), German ones only.",
        examples=["05315000"],
    )
    state: str = Field("", description="German federal state.", examples=["Nordrhein-Westfalen"])
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None

    @staticmethod
    def resolve_country(obj: Municipality) -> str:
        return obj.country_id


class MunicipalityDetailOut(MunicipalityOut):
    district: str = ""
    administrative_district: str = ""
    postal_code: str = ""
    area_km2: Decimal | None = None
    alternate_names: list[str] = []
    geonames_id: int | None = None
    source: Municipality.Source
    verified: bool = Field(..., description="False for places created from an import row.")


class MunicipalityRef(Schema):
    id: int
    name: str
    country: str

    @staticmethod
    def resolve_country(obj: Municipality) -> str:
        return obj.country_id


class ThemeOut(Schema):
    code: str = Field(..., examples=["klimaschutz"])
    name_de: str
    name_en: str


class ProgrammeOut(Schema):
    slug: str
    name: str
    url: str = ""


class ActorOut(Schema):
    name: str
    kind: str
    url: str = ""
    municipality_id: int = Field(..., description="The side the actor belongs to.")


class ContactOut(Schema):
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""
    municipality_id: int = Field(..., description="The side the contact belongs to.")


class StatusChangeOut(Schema):
    status: PartnershipStatus
    valid_from: date | None = None


class PartnershipOut(Schema):
    id: int
    municipality_a: MunicipalityRef
    municipality_b: MunicipalityRef
    type: PartnershipType
    status: PartnershipStatus
    start_year: int | None = Field(None, examples=[2017])
    description: str = ""
    themes: list[ThemeOut]
    programmes: list[ProgrammeOut]
    actors: list[ActorOut]
    contacts: list[ContactOut] = Field(
        ..., description="Only contact persons who agreed to be shown publicly."
    )
    status_history: list[StatusChangeOut]
    municipality_confirmed_at: datetime | None = Field(
        None,
        description=(
            "When an editor of either municipality last confirmed that the entry is current "
            "(the button 'still correct', or saving the entry); null if no municipality ever "
            "has. Entries without a confirmation in the last 365 days count as stale."
        ),
    )
    agency_checked_at: datetime | None = Field(
        None,
        description=(
            "When the agency last checked the entry (accepted the proposal, recorded it from "
            "the import review queue, or marked it as checked); null if it has not. This is "
            "not the municipality's confirmation."
        ),
    )
    last_confirmed_at: datetime | None = Field(
        None,
        deprecated=True,
        description=(
            "Deprecated, kept for clients of v1: the same value as municipality_confirmed_at "
            "(its former name). Read municipality_confirmed_at and agency_checked_at instead."
        ),
    )

    @staticmethod
    def resolve_last_confirmed_at(obj) -> datetime | None:
        return obj.municipality_confirmed_at

    @staticmethod
    def resolve_themes(obj) -> list:
        return list(obj.themes.all())

    @staticmethod
    def resolve_programmes(obj) -> list:
        return list(obj.programmes.all())

    @staticmethod
    def resolve_actors(obj) -> list:
        return list(obj.actors.all())

    @staticmethod
    def resolve_contacts(obj) -> list:
        return obj.public_contacts

    @staticmethod
    def resolve_status_history(obj) -> list:
        return obj.status_history


class MunicipalityFilters(Schema):
    q: str = Field("", description='Name, ignoring case, accents, umlauts and ß ("Koln").')
    # No `examples=` on query parameters: ninja copies them into the parameter object, where
    # OpenAPI wants a map of Example objects, and the document would be invalid.
    country: str = Field(
        "", pattern=r"^([A-Za-z]{2})?$", description="ISO 3166 alpha-2 code, e.g. DE."
    )


FederalState = Literal[FEDERAL_STATES]  # type: ignore[valid-type]


class PartnershipQuery(Schema):
    """The registry list's filters (selectors/public.py), with the list's meaning; unlike the
    list, the API shows all pairs unless `german_side` asks for those with a German side."""

    municipality: int | None = Field(
        None, ge=1, le=MAX_ID, description="Id of a municipality on either side."
    )
    state: FederalState | None = Field(
        None, description="German federal state of either side (implies a German side)."
    )
    country: str = Field(
        "",
        pattern=r"^([A-Za-z]{2})?$",
        description=(
            "ISO 3166 alpha-2 code of the partner's country, e.g. PE: the side that is not "
            "German (either side of a pair without a German side); DE selects the inner-German "
            "pairs."
        ),
    )
    region: WorldRegion | None = Field(
        None,
        description="The agency's world region of the partner's country (as for `country`).",
    )
    type: PartnershipType | None = None
    status: PartnershipStatus | None = None
    theme: str = Field(
        "",
        max_length=40,
        description="Theme code, e.g. sdg-13 or klimaschutz.",
    )
    year_from: int | None = Field(
        None, ge=START_YEAR_MIN, le=START_YEAR_MAX, description="Started in or after."
    )
    year_to: int | None = Field(
        None, ge=START_YEAR_MIN, le=START_YEAR_MAX, description="Started in or before."
    )
    german_side: bool = Field(
        False,
        description=(
            "Only pairs with a German side and a partner abroad (as the registry's list shows "
            "them)."
        ),
    )
    inner_german: bool = Field(
        False,
        description=(
            "With `german_side`: also the inner-German pairs (two German municipalities). "
            "Without `german_side` every pair is included anyway."
        ),
    )

    def selection(self):
        return api_partnership_filters(
            municipality=self.municipality,
            state=self.state or "",
            country=self.country,
            region=self.region or "",
            type=self.type or "",
            theme=self.theme,
            status=self.status or "",
            year_from=self.year_from,
            year_to=self.year_to,
            german_side=self.german_side,
            inner_german=self.inner_german,
        )


# --- Endpoints ---------------------------------------------------------------------------------


@router.get(
    "/countries",
    response=responses(list[CountryOut]),
    openapi_extra=extra(),
    auth=None,
    summary="List countries",
    description=(
        "Every ISO 3166 country with German and English name, the agency's world region and "
        "its status on the OECD DAC List of ODA Recipients. Example: `/api/v1/countries?page=2`."
    ),
)
@paginate(Pages)
@decorate_view(conditional)
def countries(request: HttpRequest):
    """Public: reference data."""
    return country_list()


@router.get(
    "/countries/{iso2}",
    response=responses(CountryOut, not_found=True),
    openapi_extra=extra(),
    auth=None,
    summary="One country",
    description=(
        "A country by its ISO 3166 alpha-2 code (any case). Example: `/api/v1/countries/SN`."
    ),
)
@decorate_view(conditional)
def country(request: HttpRequest, iso2: str):
    """Public: reference data."""
    found = country_get(iso2=iso2)
    if found is None:
        raise HttpError(404, "Not found.")
    return found


@router.get(
    "/municipalities",
    response=responses(list[MunicipalityOut]),
    openapi_extra=extra(),
    auth=None,
    summary="Search municipalities",
    description=(
        "German municipalities (with their AGS) and foreign ones, searched by name as one "
        "types: `q=Koln` finds Köln, `q=Munster` finds Münster. Filter by ISO country code. "
        "Example: `/api/v1/municipalities?q=leip&country=DE`."
    ),
)
@paginate(Pages)
@decorate_view(conditional)
def municipalities(request: HttpRequest, filters: Query[MunicipalityFilters]):
    """Public: names and official facts only."""
    return api_municipality_list(q=filters.q, country=filters.country)


@router.get(
    "/municipalities/{municipality_id}",
    response=responses(MunicipalityDetailOut, not_found=True),
    openapi_extra=extra(),
    auth=None,
    summary="One municipality",
    description=(
        "A municipality with its official facts; German ones carry `ags`. "
        "Example: `/api/v1/municipalities/1`."
    ),
)
@decorate_view(conditional)
def municipality(request: HttpRequest, municipality_id: int = Path(..., ge=1, le=MAX_ID)):
    """Public: names and official facts only."""
    found = api_municipality_get(municipality_id=municipality_id)
    if found is None:
        raise HttpError(404, "Not found.")
    return found


PARTNERSHIP_FILTERS_HELP = (
    "Filters combine: `municipality` (id, either side), `state` (German federal state), "
    "`country` (ISO code of the partner's country; DE: inner-German pairs), `region` (world "
    "region of the partner), `type`, `status`, `theme` (code), `year_from`, `year_to` (start "
    "year), `german_side=true` (only pairs with a German side and a partner abroad, as the "
    "registry's list) and `inner_german=true` (with `german_side`: inner-German pairs too). Only "
    "confirmed partnerships."
)


@router.get(
    "/partnerships",
    response=responses(list[PartnershipOut]),
    openapi_extra=extra(),
    auth=None,
    summary="List partnerships",
    description=(
        "Confirmed partnerships between municipalities, with themes, programmes, actors, status "
        "history and public contact persons, in pages ordered by id. "
        + PARTNERSHIP_FILTERS_HELP
        + " Example: `/api/v1/partnerships?country=PE&type=klimapartnerschaft&status=aktiv`."
    ),
)
@paginate(Pages)
@decorate_view(conditional)
def partnerships(request: HttpRequest, filters: Query[PartnershipQuery]):
    """Public: confirmed partnerships only; unconfirmed proposals stay with their editors."""
    return api_partnership_list(filters.selection())


def _export(request: HttpRequest, extension: str, filters: PartnershipQuery) -> HttpResponseBase:
    """Public, like the list. The page addresses in the file are in the site's default language:
    the file must not change with the caller's Accept-Language (its ETag does not)."""
    with translation.override(settings.LANGUAGE_CODE):
        page_url = request.build_absolute_uri(reverse("registry:partnership_list"))
    return export_response(
        extension,
        api_partnership_export(filters.selection()),
        page_url=page_url,
        cache_key=etag_for(request).strip('"'),
    )


EXPORT_HELP = (
    " All matching partnerships in one file, ordered by id (no pages). "
    + PARTNERSHIP_FILTERS_HELP
    + " The file names its sources and licences ("
    + "; ".join(source.short for source in SOURCES.values())
    + ")."
)


@router.get(
    "/partnerships.csv",
    response=responses(None),
    openapi_extra=extra(ok_content=CSV_CONTENT),
    auth=None,
    summary="Partnerships as CSV",
    description=(
        "The twin towns import format (city1, country1, lat1, lng1, city2, country2, lat2, lng2) "
        "followed by id, type, status, start_year, themes, AGS and GeoNames ids, page address "
        "and attribution; the registry's import reads it back without loss."
        + EXPORT_HELP
        + " Example: `/api/v1/partnerships.csv?state=Bayern&region=afrika`."
    ),
)
@decorate_view(conditional)
def partnerships_csv(request: HttpRequest, filters: Query[PartnershipQuery]):
    return _export(request, "csv", filters)


@router.get(
    "/partnerships.xlsx",
    response=responses(None),
    openapi_extra=extra(ok_content=XLSX_CONTENT),
    auth=None,
    summary="Partnerships as a spreadsheet (XLSX)",
    description=(
        "The CSV's columns on a first sheet, licence and sources on a second."
        + EXPORT_HELP
        + " Example: `/api/v1/partnerships.xlsx?type=klimapartnerschaft`."
    ),
)
@decorate_view(conditional)
def partnerships_xlsx(request: HttpRequest, filters: Query[PartnershipQuery]):
    return _export(request, "xlsx", filters)


@router.get(
    "/partnerships.geojson",
    response=responses(None),
    openapi_extra=extra(ok_content=GEOJSON_CONTENT),
    auth=None,
    summary="Partnerships as GeoJSON",
    description=(
        "An RFC 7946 FeatureCollection: one Feature per partnership, a line between the two "
        "places (null where a place has no coordinates), with ids, names, countries, AGS, "
        "GeoNames ids, type, status, start year, themes and page address as properties."
        + EXPORT_HELP
        + " Example: `/api/v1/partnerships.geojson?country=SN`."
    ),
)
@decorate_view(conditional)
def partnerships_geojson(request: HttpRequest, filters: Query[PartnershipQuery]):
    return _export(request, "geojson", filters)
