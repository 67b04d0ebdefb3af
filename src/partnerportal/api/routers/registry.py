"""Public reads of the registry: countries, municipalities and confirmed partnerships.
(No `from __future__ import annotations` here: ninja reads the annotations at import.)

Every endpoint is open data (`auth=None`): it returns only public fields, only confirmed
partnerships, and contact persons only where they agreed to be shown to everyone."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from partnerportal.geo.models import Country, DacIncomeGroup, WorldRegion
from partnerportal.geo.selectors import country_get, country_list
from partnerportal.registry.models import Municipality, PartnershipStatus, PartnershipType
from partnerportal.registry.selectors.api import (
    api_municipality_get,
    api_municipality_list,
    api_partnership_list,
)

router = Router(tags=["registry"])

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Pages(PageNumberPagination):
    """Pages of 50 items by default; `page_size` up to 200."""

    def __init__(self, **kwargs) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


# --- Schemas -----------------------------------------------------------------------------------


class NotFoundOut(Schema):
    detail: str = Field(..., examples=["Not found."])


class CountryOut(Schema):
    iso2: str = Field(..., examples=["SN"])
    iso3: str = Field(..., examples=["SEN"])
    name_de: str = Field(..., examples=["Senegal"])
    name_en: str = Field(..., examples=["Senegal"])
    world_region: WorldRegion = Field(..., description="The agency's world region.")
    oda_recipient: bool = Field(
        ..., description="On the OECD DAC List of ODA Recipients for the years given."
    )
    dac_income_group: DacIncomeGroup | None = Field(
        None, description="Income group on the DAC list; null when not a recipient."
    )
    dac_list_years: str = Field(..., examples=["2024–2025"])
    dac_note: str = Field("", description="Remarks on the DAC status, e.g. uncertainties.")

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
    last_confirmed_at: datetime | None = Field(
        None, description="When the municipality last confirmed the entry is correct."
    )

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
    country: str = Field("", description="ISO 3166 alpha-2 code.", examples=["DE"])


class PartnershipFilters(Schema):
    municipality: int | None = Field(None, description="Id of a municipality on either side.")
    country: str = Field("", description="ISO code of the country of either side.")
    type: PartnershipType | None = None
    status: PartnershipStatus | None = None
    theme: str = Field("", description="Theme code, e.g. sdg-13 or klimaschutz.")


# --- Endpoints ---------------------------------------------------------------------------------


@router.get(
    "/countries",
    response=list[CountryOut],
    auth=None,
    summary="List countries",
    description=(
        "Every ISO 3166 country with German and English name, the agency's world region and "
        "its status on the OECD DAC List of ODA Recipients. Example: `/api/v1/countries?page=2`."
    ),
)
@paginate(Pages)
def countries(request: HttpRequest):
    """Public: reference data."""
    return country_list()


@router.get(
    "/countries/{iso2}",
    response={200: CountryOut, 404: NotFoundOut},
    auth=None,
    summary="One country",
    description=(
        "A country by its ISO 3166 alpha-2 code (any case). Example: `/api/v1/countries/SN`."
    ),
)
def country(request: HttpRequest, iso2: str):
    """Public: reference data."""
    found = country_get(iso2=iso2)
    if found is None:
        raise HttpError(404, "Not found.")
    return found


@router.get(
    "/municipalities",
    response=list[MunicipalityOut],
    auth=None,
    summary="Search municipalities",
    description=(
        "German municipalities (with their AGS) and foreign ones, searched by name as one "
        "types: `q=Koln` finds Köln, `q=Munster` finds Münster. Filter by ISO country code. "
        "Example: `/api/v1/municipalities?q=leip&country=DE`."
    ),
)
@paginate(Pages)
def municipalities(request: HttpRequest, filters: Query[MunicipalityFilters]):
    """Public: names and official facts only."""
    return api_municipality_list(q=filters.q, country=filters.country)


@router.get(
    "/municipalities/{municipality_id}",
    response={200: MunicipalityDetailOut, 404: NotFoundOut},
    auth=None,
    summary="One municipality",
    description=(
        "A municipality with its official facts; German ones carry `ags`. "
        "Example: `/api/v1/municipalities/1`."
    ),
)
def municipality(request: HttpRequest, municipality_id: int):
    """Public: names and official facts only."""
    found = api_municipality_get(municipality_id=municipality_id)
    if found is None:
        raise HttpError(404, "Not found.")
    return found


@router.get(
    "/partnerships",
    response=list[PartnershipOut],
    auth=None,
    summary="List partnerships",
    description=(
        "Confirmed partnerships between municipalities, with themes, programmes, actors, status "
        "history and public contact persons. Filters combine. Example: "
        "`/api/v1/partnerships?country=PE&type=klimapartnerschaft&status=aktiv`."
    ),
)
@paginate(Pages)
def partnerships(request: HttpRequest, filters: Query[PartnershipFilters]):
    """Public: confirmed partnerships only; unconfirmed proposals stay with their editors."""
    return api_partnership_list(
        municipality=filters.municipality,
        country=filters.country,
        type=filters.type or "",
        status=filters.status or "",
        theme=filters.theme,
    )
