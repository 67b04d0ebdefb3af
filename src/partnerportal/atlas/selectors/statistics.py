"""Statistics of the partnership network: counts by Land, partner country, world region, type,
theme, SDG, status and decade of start, growth over time and the share of partnerships with a
partner on the DAC list.

Every figure is one grouped query (`values().annotate(Count())`) over the registry's own filter
definition, so a chart holds exactly what the partnership list shows for the same filters. The
"German side" of a pair is municipality_a unless only municipality_b is German (as on the list);
the other side is the "partner side". Only confirmed partnerships count.

A page needs all charts at once and the cache is a database table by default, so the whole set
is cached as one entry under the registry version, the filters and the language: one cache read
per page, and a change anywhere in the registry makes every entry stale.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, fields

from django.core.cache import cache
from django.db.models import Case, CharField, Count, F, Q, QuerySet, When
from django.utils.translation import get_language, gettext

from partnerportal.core.i18n import name_field
from partnerportal.core.templatetags.partnerportal import number
from partnerportal.geo.models import Country, WorldRegion
from partnerportal.registry.changes import registry_version
from partnerportal.registry.models import (
    Municipality,
    Partnership,
    PartnershipStatus,
    PartnershipType,
    Theme,
)
from partnerportal.registry.selectors.public import (
    FEDERAL_STATES,
    GERMANY,
    PartnershipFilters,
    partnership_filtered,
)

#: The partner countries' chart shows this many countries and sums up the rest.
TOP_COUNTRIES = 15
#: Entries live until the registry changes; this only bounds how long unused ones linger.
CACHE_TIMEOUT = 60 * 60 * 24
#: Raise when Row, Series or the results of this module change shape (see cache_key).
CACHE_SCHEMA = 1
#: Filter fields that only sort the list and do not change what is counted.
SORT_ONLY = frozenset({"sort", "descending"})

UNKNOWN = "unknown"
OTHER = "other"


@dataclass(frozen=True)
class Row:
    """One line of a chart's table: a stable key (for CSV and links), the label in the reader's
    language and one or more numbers (the first is the one drawn)."""

    key: str
    label: str
    values: tuple[int, ...]

    @property
    def value(self) -> int:
        return self.values[0]


@dataclass(frozen=True)
class Series:
    """What one chart shows. `columns` names the numbers of each row; `total` is the base of the
    shares in percent (None where shares make no sense, as for growth over time)."""

    key: str
    title: str
    rows: list[Row]
    columns: tuple[str, ...]
    total: int | None = None
    note: str = ""
    #: What the rows are (the heading of the table's first column).
    dimension: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(row.value for row in self.rows)

    def share(self, row: Row) -> float | None:
        if not self.total:
            return None
        return 100.0 * row.value / self.total


@dataclass(frozen=True)
class DacShare:
    """Partnerships with a partner in a country on the OECD DAC list of ODA recipients."""

    count: int
    total: int

    @property
    def percentage(self) -> float:
        return 100.0 * self.count / self.total if self.total else 0.0


@dataclass(frozen=True)
class Summary:
    partnerships: int
    german_municipalities: int
    partner_countries: int
    dac: DacShare


@dataclass(frozen=True)
class NetworkStatistics:
    summary: Summary
    charts: dict[str, Series] = field(default_factory=dict)


# --- The two sides of a pair ------------------------------------------------------------------


def _b_is_home() -> Q:
    return Q(municipality_b__country_id=GERMANY) & ~Q(municipality_a__country_id=GERMANY)


def _home(path: str) -> Case:
    """A field of the German side (see the module docstring)."""
    return Case(
        When(_b_is_home(), then=F(f"municipality_b__{path}")),
        default=F(f"municipality_a__{path}"),
        output_field=CharField(),
    )


def _partner(path: str) -> Case:
    """A field of the partner side, the other one."""
    return Case(
        When(_b_is_home(), then=F(f"municipality_a__{path}")),
        default=F(f"municipality_b__{path}"),
        output_field=CharField(),
    )


def count_by(partnerships: QuerySet[Partnership], expression) -> dict[str, int]:
    """Partnerships counted by one expression, in one query (None counts as "")."""
    rows = (
        partnerships.order_by()
        .annotate(group=expression)
        .values("group")
        .annotate(n=Count("pk"))
        .values_list("group", "n")
    )
    counts: dict[str, int] = {}
    for key, n in rows:
        key = "" if key is None else str(key)
        counts[key] = counts.get(key, 0) + n
    return counts


def _by_value(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda row: (-row.value, row.label.casefold()))


# --- Summary ----------------------------------------------------------------------------------


def dac_share(filters: PartnershipFilters) -> DacShare:
    """A German municipality is never on the DAC list, so "a partner on the list" is "either side
    on the list", which needs no case distinction."""
    on_list = Q(municipality_a__country__oda_recipient=True) | Q(
        municipality_b__country__oda_recipient=True
    )
    counts = (
        partnership_filtered(filters)
        .order_by()
        .aggregate(total=Count("pk"), dac=Count("pk", filter=on_list))
    )
    return DacShare(count=counts["dac"], total=counts["total"])


def summary_counts(filters: PartnershipFilters) -> tuple[int, int]:
    """German municipalities and partner countries involved, in one query: municipalities on
    either side of a matching pair (a pair of two German places counts both)."""
    partnerships = partnership_filtered(filters).order_by()
    involved = Municipality.objects.filter(
        Q(pk__in=partnerships.values("municipality_a"))
        | Q(pk__in=partnerships.values("municipality_b"))
    ).aggregate(
        german=Count("pk", filter=Q(country_id=GERMANY)),
        countries=Count("country", filter=~Q(country_id=GERMANY), distinct=True),
    )
    return involved["german"], involved["countries"]


def summary(filters: PartnershipFilters) -> Summary:
    """Totals for the head of the page: two queries however large the registry."""
    dac = dac_share(filters)
    german, countries = summary_counts(filters)
    return Summary(
        partnerships=dac.total, german_municipalities=german, partner_countries=countries, dac=dac
    )


# --- Charts -----------------------------------------------------------------------------------


def _count_column() -> tuple[str, ...]:
    return (gettext("Partnerships"),)


def by_state(filters: PartnershipFilters) -> Series:
    """By the Land of the German side; all sixteen Länder, also those with none."""
    counts = count_by(partnership_filtered(filters), _home("state"))
    rows = [Row(state, state, (counts.pop(state, 0),)) for state in FEDERAL_STATES]
    # A German side without a Land (an import row not matched to the Gemeindeverzeichnis) or no
    # German side at all (only when pairs without one are included).
    rest = sum(counts.values())
    rows = _by_value(rows)
    if rest:
        rows.append(Row(UNKNOWN, gettext("Unknown or not in Germany"), (rest,)))
    total = sum(row.value for row in rows)
    return Series(
        "state",
        gettext("Partnerships by federal state"),
        rows,
        _count_column(),
        total,
        dimension=gettext("Federal state"),
    )


def by_country(filters: PartnershipFilters, *, top: int = TOP_COUNTRIES) -> Series:
    """By the country of the partner side: the largest `top` countries and the rest summed up."""
    counts = count_by(partnership_filtered(filters), _partner("country_id"))
    names = dict(Country.objects.filter(pk__in=list(counts)).values_list("pk", name_field()))
    rows = _by_value([Row(iso2, names.get(iso2, iso2), (n,)) for iso2, n in counts.items()])
    total = sum(row.value for row in rows)
    if len(rows) > top + 1:
        rest = rows[top:]
        rows = [
            *rows[:top],
            Row(
                OTHER,
                gettext("Other countries (%(count)s)") % {"count": number(len(rest))},
                (sum(row.value for row in rest),),
            ),
        ]
    return Series(
        "country",
        gettext("Partnerships by partner country"),
        rows,
        _count_column(),
        total,
        dimension=gettext("Country"),
    )


def by_region(filters: PartnershipFilters) -> Series:
    """By the world region of the partner side's country; every region, also those with none."""
    counts = count_by(partnership_filtered(filters), _partner("country__world_region"))
    rows = _by_value(
        [Row(key, str(label), (counts.pop(key, 0),)) for key, label in WorldRegion.choices]
    )
    rest = sum(counts.values())
    if rest:
        rows.append(Row(UNKNOWN, gettext("Unknown"), (rest,)))
    total = sum(row.value for row in rows)
    return Series(
        "region",
        gettext("Partnerships by world region of the partner"),
        rows,
        _count_column(),
        total,
        dimension=gettext("World region"),
    )


def _choice_series(
    filters: PartnershipFilters, key: str, title: str, field_name: str, choices, dimension: str
) -> Series:
    counts = count_by(partnership_filtered(filters), F(field_name))
    rows = [Row(value, str(label), (counts.pop(value, 0),)) for value, label in choices]
    rest = sum(counts.values())
    if rest:
        rows.append(Row(UNKNOWN, gettext("Unknown"), (rest,)))
    total = sum(row.value for row in rows)
    return Series(key, title, rows, _count_column(), total, dimension=dimension)


def by_type(filters: PartnershipFilters) -> Series:
    """In the order of the type list (from partnership to operator partnership)."""
    return _choice_series(
        filters,
        "type",
        gettext("Partnerships by type"),
        "type",
        PartnershipType.choices,
        gettext("Type"),
    )


def by_status(filters: PartnershipFilters) -> Series:
    """In the order of a partnership's life, from initiation to end."""
    return _choice_series(
        filters,
        "status",
        gettext("Partnerships by status"),
        "status",
        PartnershipStatus.choices,
        gettext("Status"),
    )


def _theme_counts(filters: PartnershipFilters, kind: str) -> tuple[list[Theme], dict[int, int]]:
    through = Partnership.themes.through.objects.filter(
        partnership__in=partnership_filtered(filters).order_by().values("pk"), theme__kind=kind
    )
    counts = dict(
        through.order_by()
        .values("theme_id")
        .annotate(n=Count("partnership_id"))
        .values_list("theme_id", "n")
    )
    return list(Theme.objects.filter(kind=kind)), counts


def _theme_note() -> str:
    return gettext(
        "A partnership can have several themes or none, so the numbers do not add up to the "
        "total; the shares are of all partnerships."
    )


def by_theme(filters: PartnershipFilters, *, total: int | None = None) -> Series:
    """Municipal fields of work, largest first. Shares are of all partnerships (one can have
    several themes), so the query for the total is the price of honest percentages."""
    themes, counts = _theme_counts(filters, Theme.Kind.FIELD)
    rows = _by_value([Row(t.code, str(t), (counts.get(t.pk, 0),)) for t in themes])
    return Series(
        "theme",
        gettext("Partnerships by municipal field"),
        rows,
        _count_column(),
        partnership_filtered(filters).order_by().count() if total is None else total,
        _theme_note(),
        dimension=gettext("Municipal field"),
    )


def by_sdg(filters: PartnershipFilters, *, total: int | None = None) -> Series:
    """The seventeen goals in their own order, 1 to 17, so that charts compare across filters."""
    themes, counts = _theme_counts(filters, Theme.Kind.SDG)
    rows = [
        Row(t.code, f"{t.number} {t}" if t.number else str(t), (counts.get(t.pk, 0),))
        for t in sorted(themes, key=lambda t: (t.number or 0, t.code))
    ]
    return Series(
        "sdg",
        gettext("Partnerships by Sustainable Development Goal"),
        rows,
        _count_column(),
        partnership_filtered(filters).order_by().count() if total is None else total,
        _theme_note(),
        dimension=gettext("Goal"),
    )


def _years(filters: PartnershipFilters) -> dict[int | None, int]:
    return dict(
        partnership_filtered(filters)
        .order_by()
        .values("start_year")
        .annotate(n=Count("pk"))
        .values_list("start_year", "n")
    )


def _decade_label(decade: int) -> str:
    return f"{decade}–{decade + 9}"


def by_decade(filters: PartnershipFilters, *, years: dict[int | None, int] | None = None) -> Series:
    """Decades from the first to the last one with a start, gaps included, and "unknown"."""
    years = _years(filters) if years is None else years
    known = {year: n for year, n in years.items() if year is not None}
    decades: dict[int, int] = {}
    for year, n in known.items():
        decades[year // 10 * 10] = decades.get(year // 10 * 10, 0) + n
    rows = []
    if decades:
        for decade in range(min(decades), max(decades) + 10, 10):
            rows.append(Row(str(decade), _decade_label(decade), (decades.get(decade, 0),)))
    if years.get(None):
        rows.append(Row(UNKNOWN, gettext("Unknown"), (years[None],)))
    total = sum(row.value for row in rows)
    return Series(
        "decade",
        gettext("Partnerships by decade of start"),
        rows,
        _count_column(),
        total,
        dimension=gettext("Decade"),
    )


def growth(filters: PartnershipFilters, *, years: dict[int | None, int] | None = None) -> Series:
    """Partnerships per start year and the running total, every year from the first on."""
    years = _years(filters) if years is None else years
    known = {year: n for year, n in years.items() if year is not None}
    rows = []
    running = 0
    if known:
        for year in range(min(known), max(known) + 1):
            running += known.get(year, 0)
            rows.append(Row(str(year), str(year), (running, known.get(year, 0))))
    note = ""
    if years.get(None):
        note = gettext("%(count)s partnerships without a known start year are not shown.") % {
            "count": number(years[None])
        }
    return Series(
        "growth",
        gettext("Growth of the network: partnerships by start year"),
        rows,
        (gettext("Partnerships in total"), gettext("Started that year")),
        None,
        note,
        dimension=gettext("Start year"),
    )


def dac_series(filters: PartnershipFilters, *, share: DacShare | None = None) -> Series:
    share = dac_share(filters) if share is None else share
    rows = [
        Row("dac", gettext("Partner in a country on the DAC list"), (share.count,)),
        Row("other", gettext("Other partnerships"), (share.total - share.count,)),
    ]
    return Series(
        "dac",
        gettext("Partnerships with a partner on the DAC list of ODA recipients"),
        rows,
        _count_column(),
        share.total,
        dimension=gettext("Partner"),
    )


#: The charts of the statistics page in their order, by the key used in download URLs.
CHARTS: dict[str, Callable[[PartnershipFilters], Series]] = {
    "state": by_state,
    "country": by_country,
    "region": by_region,
    "dac": dac_series,
    "type": by_type,
    "status": by_status,
    "sdg": by_sdg,
    "theme": by_theme,
    "decade": by_decade,
    "growth": growth,
}

#: How each chart is drawn (see atlas/charts.py). Decades are bars too, in time order: ten
#: labels like "1950–1959" fit under columns only on wide screens.
CHART_KINDS: dict[str, str] = dict.fromkeys(CHARTS, "bar") | {"growth": "line"}


# --- Everything at once, cached ---------------------------------------------------------------


def cache_key(filters: PartnershipFilters, prefix: str = "atlas:statistics") -> str:
    """Registry version, language and every counting filter (new filter fields join by
    themselves); sorting does not change a count. The entries are pickled dataclasses, so the
    key carries their shape's version: a release that changes them starts afresh."""
    parts = [
        f"{f.name}={getattr(filters, f.name)!r}" for f in fields(filters) if f.name not in SORT_ONLY
    ]
    digest = hashlib.sha256("&".join(parts).encode()).hexdigest()[:32]
    return f"{prefix}:v{CACHE_SCHEMA}:{registry_version()!r}:{get_language() or 'de'}:{digest}"


def _compute(filters: PartnershipFilters) -> NetworkStatistics:
    """Every figure in 13 queries: the start years are read once for decades and growth, the total
    and the DAC share once for the head and the charts that need them."""
    head = summary(filters)
    years = _years(filters)
    charts = {
        "state": by_state(filters),
        "country": by_country(filters),
        "region": by_region(filters),
        "dac": dac_series(filters, share=head.dac),
        "type": by_type(filters),
        "status": by_status(filters),
        "sdg": by_sdg(filters, total=head.partnerships),
        "theme": by_theme(filters, total=head.partnerships),
        "decade": by_decade(filters, years=years),
        "growth": growth(filters, years=years),
    }
    return NetworkStatistics(summary=head, charts={key: charts[key] for key in CHARTS})


def network_statistics(filters: PartnershipFilters) -> NetworkStatistics:
    """All figures of the statistics page for `filters`, from the cache when the registry has not
    changed since they were counted."""
    key = cache_key(filters)
    result = cache.get(key)
    if result is None:
        result = _compute(filters)
        cache.set(key, result, CACHE_TIMEOUT)
    return result


def chart_series(key: str, filters: PartnershipFilters) -> Series:
    """One chart, for the downloads: from the same cached set as the page. KeyError if unknown."""
    if key not in CHARTS:
        raise KeyError(key)
    return network_statistics(filters).charts[key]
