"""Reads behind the public registry pages: municipality search, the municipality and partnership
pages and the filtered list of partnerships.

The list must stay fast with tens of thousands of partnerships, so conditions on "either side"
are written as `municipality_a IN (ids) OR municipality_b IN (ids)` over one subquery of
municipality ids instead of an OR across two joins, and every page counts once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404

from partnerportal.accounts.models import Membership
from partnerportal.core.i18n import name_field
from partnerportal.core.text import fold
from partnerportal.geo.models import Country

from .. import permissions
from ..changes import registry_version
from ..models import (
    ContactPerson,
    Municipality,
    Partnership,
    PartnershipStatus,
    PartnershipStatusChange,
    PartnershipType,
    Theme,
)

GERMANY = "DE"

#: The sixteen Länder as the Destatis Gemeindeverzeichnis spells them (stored in `state`).
FEDERAL_STATES: tuple[str, ...] = (
    "Baden-Württemberg",
    "Bayern",
    "Berlin",
    "Brandenburg",
    "Bremen",
    "Hamburg",
    "Hessen",
    "Mecklenburg-Vorpommern",
    "Niedersachsen",
    "Nordrhein-Westfalen",
    "Rheinland-Pfalz",
    "Saarland",
    "Sachsen",
    "Sachsen-Anhalt",
    "Schleswig-Holstein",
    "Thüringen",
)


# --- Municipality search ----------------------------------------------------------------------

#: Queries shorter than this (folded) match name prefixes only.
SHORT_QUERY = 3


def municipality_search(query: str, *, country: str = "") -> QuerySet[Municipality]:
    """Municipalities whose folded name matches `query`, names that start with it first, then the
    larger places, so that "Mün" offers München before Münchenbernsdorf."""
    folded = fold(query)
    if 0 < len(folded) < SHORT_QUERY:
        # One or two letters as one starts typing: name prefixes only, as an index range (a word
        # match inside names needs a full scan and matches half the country).
        results = Municipality.objects.filter(
            search_name__gte=folded, search_name__lt=folded + "\uffff"
        )
    else:
        results = Municipality.objects.search(query)
    if country:
        results = results.filter(country_id=country)
    return results.annotate(
        prefix_rank=Case(
            When(search_name__startswith=folded, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("prefix_rank", F("population").desc(nulls_last=True), "name", "pk")


def municipalities_in_order(pks: list[int]) -> list[Municipality]:
    """One page of search results in the order of `pks`: the search sorts narrow rows (ids) and
    only the page's rows are read with their country."""
    by_pk = Municipality.objects.select_related("country").in_bulk(pks)
    return [by_pk[pk] for pk in pks if pk in by_pk]


def country_choices() -> list[tuple[str, str]]:
    """All countries by their name in the reader's language, for filter drop-downs."""
    field = name_field()
    return list(Country.objects.order_by(field).values_list("iso2", field))


def theme_choices() -> list[tuple[str, str]]:
    return [(theme.code, str(theme)) for theme in Theme.objects.all()]


def type_and_status_labels() -> tuple[dict[str, str], dict[str, str]]:
    """Translated labels of partnership types and statuses, resolved once for a whole table:
    get_FOO_display() rebuilds its choices on every call, which cost more than the queries."""
    return (
        {key: str(label) for key, label in PartnershipType.choices},
        {key: str(label) for key, label in PartnershipStatus.choices},
    )


# --- Municipality page ------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusEntry:
    status: str
    valid_from: date | None
    note: str


@dataclass(frozen=True)
class PartnershipRow:
    """One line of the municipality page's table, with its labels already translated: a large
    city has hundreds of partnerships, and resolving each label in the template is what made
    the page slow."""

    pk: int
    partner_pk: int
    partner_name: str
    partner_country: str
    partner_country_code: str
    type: str
    status: str
    start_year: int | None
    #: The municipality's confirmation that the entry is current (not the agency's check).
    municipality_confirmed_at: datetime | None
    is_confirmed: bool
    history: list[StatusEntry]


@dataclass
class MunicipalityPage:
    municipality: Municipality
    #: Partnerships with municipalities abroad (for a place abroad: all of its partnerships).
    partnerships: list[PartnershipRow]
    editor_names: list[str] | None
    editor_count: int
    #: A German municipality's partnerships with other German municipalities, shown as their
    #: own group: they are partnerships, but not of the network abroad (see PartnershipFilters).
    inner_german: list[PartnershipRow] = field(default_factory=list)


def _status_history() -> Prefetch:
    return Prefetch(
        "status_changes",
        queryset=PartnershipStatusChange.objects.in_history_order(),
    )


def municipality_page(pk: int, *, user) -> MunicipalityPage:
    """Everything the municipality page shows, in a fixed number of queries however many
    partnerships it has. Editors' names are personal data: only logged-in people see them."""
    try:
        municipality = Municipality.objects.select_related("country").get(pk=pk)
    except Municipality.DoesNotExist as exc:
        raise Http404 from exc
    partnerships = Partnership.objects.involving(municipality)
    if not permissions.can_edit_municipality(user, municipality):
        partnerships = partnerships.public()
    # Plain values, not model instances: a large city has hundreds of partnerships, and building
    # five model objects per row cost more than the queries.
    country = name_field()
    records = list(
        partnerships.values(
            "pk",
            "type",
            "status",
            "start_year",
            "municipality_confirmed_at",
            "is_confirmed",
            "municipality_a_id",
            "municipality_a__name",
            f"municipality_a__country__{country}",
            "municipality_a__country_id",
            "municipality_b_id",
            "municipality_b__name",
            f"municipality_b__country__{country}",
            "municipality_b__country_id",
        )
    )
    types, statuses = type_and_status_labels()
    history: dict[int, list[StatusEntry]] = {}
    if records:
        changes = (
            PartnershipStatusChange.objects.filter(partnership__in=partnerships)
            .in_history_order()
            .values_list("partnership_id", "status", "valid_from", "note")
        )
        for partnership_id, status, valid_from, note in changes:
            history.setdefault(partnership_id, []).append(
                StatusEntry(statuses.get(status, status), valid_from, note)
            )
    rows = []
    for record in records:
        side = "b" if record["municipality_a_id"] == municipality.pk else "a"
        rows.append(
            PartnershipRow(
                pk=record["pk"],
                partner_pk=record[f"municipality_{side}_id"],
                partner_name=record[f"municipality_{side}__name"],
                partner_country=record[f"municipality_{side}__country__{country}"],
                partner_country_code=record[f"municipality_{side}__country_id"],
                type=types.get(record["type"], record["type"]),
                status=statuses.get(record["status"], record["status"]),
                start_year=record["start_year"],
                municipality_confirmed_at=record["municipality_confirmed_at"],
                is_confirmed=record["is_confirmed"],
                history=history.get(record["pk"], []),
            )
        )
    rows.sort(key=lambda row: (fold(row.partner_name), row.pk))
    inner_german = []
    if municipality.country_id == GERMANY:
        inner_german = [row for row in rows if row.partner_country_code == GERMANY]
        rows = [row for row in rows if row.partner_country_code != GERMANY]
    members = Membership.objects.active().filter(municipality=municipality)
    if getattr(user, "is_authenticated", False):
        names = sorted(m.user.display_name for m in members.select_related("user"))
        return MunicipalityPage(municipality, rows, names, len(names), inner_german)
    return MunicipalityPage(municipality, rows, None, members.count(), inner_german)


#: How the municipality page's table may be sorted: key -> the row's value to sort by.
MUNICIPALITY_SORTS = ("partner", "country", "type", "status", "start", "confirmed")


def _row_sort_value(row: PartnershipRow, sort: str):
    """The value a row sorts by; None when it has none (no start year, never confirmed)."""
    if sort == "country":
        return fold(row.partner_country or "")
    if sort == "type":
        return fold(row.type)
    if sort == "status":
        return fold(row.status)
    if sort == "start":
        return row.start_year
    if sort == "confirmed":
        return row.municipality_confirmed_at
    return fold(row.partner_name)


def municipality_partnership_rows(
    rows: list[PartnershipRow], *, q: str = "", sort: str = "partner", descending: bool = False
) -> list[PartnershipRow]:
    """The municipality page's rows matching `q` (every word in the partner's name or country,
    folded as the name search folds them), sorted by `sort`, then by name; rows without a value
    (no start year, never confirmed) last in either direction. Works on the rows already read,
    so filtering, sorting and paging cost no query."""
    words = fold(q).split()
    if words:
        rows = [
            row
            for row in rows
            if all(
                word in fold(row.partner_name) or word in fold(row.partner_country or "")
                for word in words
            )
        ]
    sort = sort if sort in MUNICIPALITY_SORTS else "partner"
    by_name = sorted(rows, key=lambda row: (fold(row.partner_name), row.pk))
    # Python's sort is stable: rows with equal values keep their order by name.
    present = [row for row in by_name if _row_sort_value(row, sort) is not None]
    missing = [row for row in by_name if _row_sort_value(row, sort) is None]
    present.sort(key=lambda row: _row_sort_value(row, sort), reverse=descending)
    return present + missing


# --- Partnership page -------------------------------------------------------------------------


@dataclass
class PartnershipPage:
    partnership: Partnership
    contacts: list[ContactPerson]
    show_person: bool


def partnership_page(pk: int, *, user) -> PartnershipPage:
    """A partnership with everything around it; a proposed (unconfirmed) one does not exist for
    those who may not see it, and contact persons are filtered person by person."""
    try:
        partnership = (
            Partnership.objects.select_related(
                "municipality_a__country",
                "municipality_b__country",
                "import_run",
                "created_by",
            )
            .prefetch_related(
                _status_history(),
                "themes",
                "programmes",
                "actors",
                Prefetch("contacts", queryset=ContactPerson.objects.order_by("name", "pk")),
            )
            .get(pk=pk)
        )
    except Partnership.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_view_partnership(user, partnership):
        raise Http404
    contacts = []
    for contact in partnership.contacts.all():
        contact.partnership = partnership  # no query per contact for the permission check
        if permissions.can_view_contact(user, contact):
            contacts.append(contact)
    return PartnershipPage(
        partnership, contacts, show_person=getattr(user, "is_authenticated", False)
    )


# --- Partnership list -------------------------------------------------------------------------


SORTS: dict[str, str] = {
    "german": "home_name",
    "partner": "partner_name",
    "country": "partner_country",
    "start": "start_year",
    "confirmed": "municipality_confirmed_at",
}


@dataclass(frozen=True)
class PartnershipFilters:
    """The list's filters as plain values (the filter form builds them from the query string)."""

    state: str = ""
    country: str = ""
    region: str = ""
    type: str = ""
    theme: str = ""
    status: str = ""
    year_from: int | None = None
    year_to: int | None = None
    #: Pairs without a German side (e.g. Kyjiw–Lyon from the twin towns lists).
    include_non_german: bool = False
    #: Pairs of two German municipalities ("innerdeutsche Partnerschaften", e.g. a Berlin
    #: district with Wetzlar): partnerships too, but not of the network abroad that the
    #: figures describe, so left out unless asked for.
    include_inner_german: bool = False
    sort: str = "german"
    descending: bool = False
    #: A municipality on either side (the API's filter; the list page has none).
    municipality: int | None = None
    #: Words of a name on either side ("koln" finds Köln's partnerships and Köln as a partner).
    q: str = ""


def _either_side(queryset: QuerySet[Partnership], municipalities: QuerySet) -> QuerySet:
    ids = municipalities.values("pk")
    return queryset.filter(Q(municipality_a__in=ids) | Q(municipality_b__in=ids))


def b_is_home(country_a: str, country_b: str) -> bool:
    """Whether municipality_b is the German side ("home") of a pair: the German side is
    municipality_a unless only municipality_b is German."""
    return country_b == GERMANY and country_a != GERMANY


def _b_is_home_q() -> Q:
    return Q(municipality_b__country_id=GERMANY) & ~Q(municipality_a__country_id=GERMANY)


def home_field(path: str) -> Case:
    """A field of the German side of each pair, in SQL (see b_is_home)."""
    return Case(
        When(_b_is_home_q(), then=F(f"municipality_b__{path}")),
        default=F(f"municipality_a__{path}"),
        output_field=CharField(),
    )


def partner_field(path: str) -> Case:
    """A field of the other side of each pair, in SQL."""
    return Case(
        When(_b_is_home_q(), then=F(f"municipality_a__{path}")),
        default=F(f"municipality_b__{path}"),
        output_field=CharField(),
    )


def _side_annotations() -> dict:
    """The German side ("home") and the other side ("partner") of each pair, for sorting."""
    return {
        "home_name": home_field("search_name"),
        "partner_name": partner_field("search_name"),
        "partner_country": partner_field(f"country__{name_field()}"),
    }


def _german() -> QuerySet[Municipality]:
    return Municipality.objects.filter(country_id=GERMANY)


def _both_german() -> Q:
    """Both sides in Germany. Written as joins: SQLite plans `a IN (…) AND b IN (…)` over
    the same subquery as a nested loop (a minute on the real data, 50 ms as joins)."""
    return Q(municipality_a__country_id=GERMANY, municipality_b__country_id=GERMANY)


def _partner_in(queryset: QuerySet[Partnership], countries: list[str]) -> QuerySet[Partnership]:
    """Pairs whose partner side is in one of `countries`: the side that is not the German one,
    either side of a pair without a German side, and for Germany itself the inner-German pairs
    (a German side is never anyone's partner abroad). One definition for the country and region
    filters and the charts by partner country and world region (atlas/selectors/statistics.py)."""
    abroad = [country for country in countries if country != GERMANY]
    condition = Q(pk__in=[])
    if abroad:
        ids = Municipality.objects.filter(country_id__in=abroad).values("pk")
        condition |= Q(municipality_a__in=ids) | Q(municipality_b__in=ids)
    if GERMANY in countries:
        condition |= _both_german()
    return queryset.filter(condition)


def partnership_filtered(filters: PartnershipFilters) -> QuerySet[Partnership]:
    """Confirmed partnerships matching `filters`, unsorted: the one definition of the registry's
    filters, shared by the list page, its downloads, the statistics, the Land and country pages,
    the atlas and the API, so that a file, a figure or an API answer holds exactly what the list
    shows for the same filters.

    The default is the network abroad: pairs with exactly one German side. Pairs without a
    German side and inner-German pairs join only when asked for. A Land means either side in
    it; a country or world region means the partner side (see _partner_in), so that "Peru"
    counts the pairs with a partner in Peru and "Europe" does not match every pair through
    its German side."""
    results = Partnership.objects.public()
    if filters.municipality is not None:
        results = results.involving(filters.municipality)
    if filters.q:
        results = _either_side(results, Municipality.objects.search(filters.q))
    if not filters.include_non_german and not filters.state:  # a Land implies a German side
        results = _either_side(results, _german())
    if not filters.include_inner_german:
        results = results.exclude(_both_german())
    if filters.state:
        results = _either_side(results, Municipality.objects.filter(state=filters.state))
    if filters.country:
        results = _partner_in(results, [filters.country])
    if filters.region:
        countries = Country.objects.filter(world_region=filters.region)
        results = _partner_in(results, list(countries.values_list("pk", flat=True)))
    if filters.type:
        results = results.filter(type=filters.type)
    if filters.status:
        results = results.filter(status=filters.status)
    if filters.theme:
        results = results.filter(
            pk__in=Partnership.themes.through.objects.filter(theme__code=filters.theme).values(
                "partnership_id"
            )
        )
    if filters.year_from is not None:
        results = results.filter(start_year__gte=filters.year_from)
    if filters.year_to is not None:
        results = results.filter(start_year__lte=filters.year_to)
    return results


#: The former private name, still imported elsewhere.


def municipalities_involved(filters: PartnershipFilters) -> QuerySet[Municipality]:
    """Municipalities on either side of a partnership matching `filters` (the atlas's places,
    the statistics' counts of municipalities and countries)."""
    partnerships = partnership_filtered(filters).order_by()
    return Municipality.objects.filter(
        Q(pk__in=partnerships.values("municipality_a"))
        | Q(pk__in=partnerships.values("municipality_b"))
    )


def partnership_count(filters: PartnershipFilters) -> int:
    """How many partnerships match, counted without the joins that sorting needs."""
    return partnership_filtered(filters).count()


#: Cached counts live until the registry changes; this only bounds how long unused ones linger.
COUNT_CACHE_TIMEOUT = 60 * 60 * 24


def start_year_unknown_count(filters: PartnershipFilters) -> int:
    """How many partnerships match `filters` apart from the period and have no known start year:
    a period (year_from, year_to) cannot place them, so the year filter and the statistics say
    how many it leaves out (almost all imported rows: the twin towns lists name no year).
    Cached under the registry version: the filter form shows it on every list page."""
    unplaced = replace(filters, year_from=None, year_to=None, sort="german", descending=False)
    digest = hashlib.sha256(repr(unplaced).encode()).hexdigest()[:32]
    key = f"registry:start-year-unknown:v1:{registry_version()!r}:{digest}"
    return cache.get_or_set(
        key,
        lambda: partnership_filtered(unplaced).filter(start_year__isnull=True).count(),
        COUNT_CACHE_TIMEOUT,
    )


def partnership_list(filters: PartnershipFilters) -> QuerySet[Partnership]:
    """Confirmed partnerships matching `filters`, sorted; German views show only pairs with a
    German side unless asked for all."""
    results = partnership_filtered(filters)
    key = SORTS.get(filters.sort, SORTS["german"])
    if key in ("home_name", "partner_name", "partner_country"):
        results = results.annotate(**_side_annotations())
    ordering = F(key).desc(nulls_last=True) if filters.descending else F(key).asc(nulls_last=True)
    return results.order_by(ordering, "pk")


def partnership_rows(pks: list[int]) -> list[Partnership]:
    """The rows of one page in the order of `pks`: the page is chosen by sorting narrow rows (ids
    only), and both sides with their countries are then read for these rows alone. Each row gets
    `home` (the German side, if any), `partner` and translated type and status labels
    (get_FOO_display() rebuilds its choices on every call, which cost more than the queries)."""
    types, statuses = type_and_status_labels()
    by_pk = Partnership.objects.select_related(
        "municipality_a__country", "municipality_b__country"
    ).in_bulk(pks)
    partnerships = [by_pk[pk] for pk in pks if pk in by_pk]
    for row in partnerships:
        row.type_label = types.get(row.type, row.type)
        row.status_label = statuses.get(row.status, row.status)
        a, b = row.municipality_a, row.municipality_b
        if b_is_home(a.country_id, b.country_id):
            row.home, row.partner = b, a
        else:
            row.home, row.partner = a, b
    return partnerships
