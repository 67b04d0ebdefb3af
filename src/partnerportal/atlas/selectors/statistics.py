"""Statistics of the partnership network: counts by Land, partner country, world region, type,
theme, SDG, status and decade of start, growth over time and the share of partnerships with a
partner on the DAC list.

Every figure is one grouped query (`values().annotate(Count())`, plus one for names where the
rows need them) over the registry's own filter definition, so a chart holds exactly what the
partnership list shows for the same filters. The
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
from functools import cached_property

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language, gettext

from partnerportal.core.i18n import name_field
from partnerportal.core.templatetags.partnerportal import number
from partnerportal.geo.models import Country, WorldRegion
from partnerportal.registry.changes import registry_version
from partnerportal.registry.models import (
    Partnership,
    PartnershipStatus,
    PartnershipType,
    Theme,
)
from partnerportal.registry.selectors.public import (
    FEDERAL_STATES,
    GERMANY,
    PartnershipFilters,
    home_field,
    municipalities_involved,
    partner_field,
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


def _by_value(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda row: (-row.value, row.label.casefold()))


# --- The grouped reads ------------------------------------------------------------------------


@dataclass(frozen=True)
class CountryInfo:
    name: str
    region: str
    oda_recipient: bool


class Reads:
    """The few grouped queries every chart is derived from, each made at most once and only
    when a chart asks for it.

    Each query has to evaluate the registry's filters (subqueries on either side of a pair),
    which costs the same whatever is grouped, so the charts share queries instead of having
    one each: pairs by (German side's Land and country, partner's country) give Länder,
    partner countries, world regions and the DAC share; pairs by (type, status, start year)
    give types, statuses, decades and growth. Both stay small (a few hundred groups) because
    they group by few values, not by partnership."""

    def __init__(self, filters: PartnershipFilters) -> None:
        self.filters = filters

    def partnerships(self) -> QuerySet[Partnership]:
        return partnership_filtered(self.filters).order_by()

    @cached_property
    def pairs(self) -> list[tuple[str, str, str, int]]:
        """(Land of the German side, its country, partner's country, partnerships)."""
        rows = (
            self.partnerships()
            .annotate(
                home_state=home_field("state"),
                home_country=home_field("country_id"),
                partner_country=partner_field("country_id"),
            )
            .values("home_state", "home_country", "partner_country")
            .annotate(n=Count("pk"))
            .values_list("home_state", "home_country", "partner_country", "n")
        )
        return [(state or "", home or "", partner or "", n) for state, home, partner, n in rows]

    @cached_property
    def attributes(self) -> list[tuple[str, str, int | None, int]]:
        """(type, status, start year, partnerships)."""
        return list(
            self.partnerships()
            .values("type", "status", "start_year")
            .annotate(n=Count("pk"))
            .values_list("type", "status", "start_year", "n")
        )

    @cached_property
    def countries(self) -> dict[str, CountryInfo]:
        """All countries (about 250 rows): cheaper than joining them into the grouped reads."""
        return {
            iso2: CountryInfo(name, region, oda)
            for iso2, name, region, oda in Country.objects.values_list(
                "pk", name_field(), "world_region", "oda_recipient"
            )
        }

    @cached_property
    def themes(self) -> tuple[list[Theme], dict[int, int]]:
        """Every theme, and how many partnerships carry each (one grouped query over the
        link table for SDGs and fields alike)."""
        counts = dict(
            Partnership.themes.through.objects.filter(
                partnership__in=self.partnerships().values("pk")
            )
            .order_by()
            .values("theme_id")
            .annotate(n=Count("partnership_id"))
            .values_list("theme_id", "n")
        )
        return list(Theme.objects.all()), counts

    @cached_property
    def total(self) -> int:
        return sum(n for *_, n in self.pairs)

    def years(self) -> dict[int | None, int]:
        years: dict[int | None, int] = {}
        for _type, _status, year, n in self.attributes:
            years[year] = years.get(year, 0) + n
        return years


def _count(rows, key) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        value = key(row)
        counts[value] = counts.get(value, 0) + row[-1]
    return counts


# --- Summary ----------------------------------------------------------------------------------


def dac_share(filters: PartnershipFilters, *, reads: Reads | None = None) -> DacShare:
    """A German municipality is never on the DAC list, so "a partner on the list" is "either side
    on the list", which also covers pairs without a German side."""
    reads = reads or Reads(filters)
    on_list = {iso2 for iso2, info in reads.countries.items() if info.oda_recipient}
    count = sum(
        n for _state, home, partner, n in reads.pairs if home in on_list or partner in on_list
    )
    return DacShare(count=count, total=reads.total)


def summary_counts(filters: PartnershipFilters) -> tuple[int, int]:
    """German municipalities and partner countries involved, in one query: municipalities on
    either side of a matching pair (a pair of two German places counts both)."""
    involved = municipalities_involved(filters).aggregate(
        german=Count("pk", filter=Q(country_id=GERMANY)),
        countries=Count("country", filter=~Q(country_id=GERMANY), distinct=True),
    )
    return involved["german"], involved["countries"]


def summary(filters: PartnershipFilters, *, reads: Reads | None = None) -> Summary:
    """Totals for the head of the page."""
    reads = reads or Reads(filters)
    dac = dac_share(filters, reads=reads)
    german, countries = summary_counts(filters)
    return Summary(
        partnerships=dac.total, german_municipalities=german, partner_countries=countries, dac=dac
    )


# --- Charts -----------------------------------------------------------------------------------


def _count_column() -> tuple[str, ...]:
    return (gettext("Partnerships"),)


def by_state(filters: PartnershipFilters, *, reads: Reads | None = None) -> Series:
    """By the Land of the German side; all sixteen Länder, also those with none."""
    reads = reads or Reads(filters)
    counts = _count(reads.pairs, lambda row: row[0] if row[1] == GERMANY else "")
    rows = _by_value([Row(state, state, (counts.pop(state, 0),)) for state in FEDERAL_STATES])
    # A German side without a Land (an import row not matched to the Gemeindeverzeichnis) or no
    # German side at all (only when pairs without one are included).
    rest = sum(counts.values())
    if rest:
        rows.append(Row(UNKNOWN, gettext("Unknown or not in Germany"), (rest,)))
    return Series(
        "state",
        gettext("Partnerships by federal state"),
        rows,
        _count_column(),
        reads.total,
        dimension=gettext("Federal state"),
    )


def by_country(
    filters: PartnershipFilters, *, top: int = TOP_COUNTRIES, reads: Reads | None = None
) -> Series:
    """By the country of the partner side: the largest `top` countries and the rest summed up."""
    reads = reads or Reads(filters)
    counts = _count(reads.pairs, lambda row: row[2])
    names = reads.countries
    rows = _by_value(
        [Row(iso2, names[iso2].name if iso2 in names else iso2, (n,)) for iso2, n in counts.items()]
    )
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
        reads.total,
        dimension=gettext("Country"),
    )


def by_region(filters: PartnershipFilters, *, reads: Reads | None = None) -> Series:
    """By the world region of the partner side's country; every region, also those with none."""
    reads = reads or Reads(filters)
    countries = reads.countries
    counts = _count(
        reads.pairs, lambda row: countries[row[2]].region if row[2] in countries else ""
    )
    rows = _by_value(
        [Row(key, str(label), (counts.pop(key, 0),)) for key, label in WorldRegion.choices]
    )
    rest = sum(counts.values())
    if rest:
        rows.append(Row(UNKNOWN, gettext("Unknown"), (rest,)))
    return Series(
        "region",
        gettext("Partnerships by world region of the partner"),
        rows,
        _count_column(),
        reads.total,
        dimension=gettext("World region"),
    )


def _choice_series(
    reads: Reads, key: str, title: str, column: int, choices, dimension: str
) -> Series:
    counts = _count(reads.attributes, lambda row: row[column])
    rows = [Row(value, str(label), (counts.pop(value, 0),)) for value, label in choices]
    rest = sum(counts.values())
    if rest:
        rows.append(Row(UNKNOWN, gettext("Unknown"), (rest,)))
    return Series(key, title, rows, _count_column(), reads.total, dimension=dimension)


def by_type(filters: PartnershipFilters, *, reads: Reads | None = None) -> Series:
    """In the order of the type list (from partnership to operator partnership)."""
    return _choice_series(
        reads or Reads(filters),
        "type",
        gettext("Partnerships by type"),
        0,
        PartnershipType.choices,
        gettext("Type"),
    )


def by_status(filters: PartnershipFilters, *, reads: Reads | None = None) -> Series:
    """In the order of a partnership's life, from initiation to end."""
    return _choice_series(
        reads or Reads(filters),
        "status",
        gettext("Partnerships by status"),
        1,
        PartnershipStatus.choices,
        gettext("Status"),
    )


def _theme_note() -> str:
    return gettext(
        "A partnership can have several themes or none, so the numbers do not add up to the "
        "total; the shares are of all partnerships."
    )


def by_theme(filters: PartnershipFilters, *, reads: Reads | None = None) -> Series:
    """Municipal fields of work, largest first. Shares are of all partnerships (one can have
    several themes or none)."""
    reads = reads or Reads(filters)
    themes, counts = reads.themes
    rows = _by_value(
        [Row(t.code, str(t), (counts.get(t.pk, 0),)) for t in themes if t.kind == Theme.Kind.FIELD]
    )
    return Series(
        "theme",
        gettext("Partnerships by municipal field"),
        rows,
        _count_column(),
        reads.total,
        _theme_note(),
        dimension=gettext("Municipal field"),
    )


def by_sdg(filters: PartnershipFilters, *, reads: Reads | None = None) -> Series:
    """The seventeen goals in their own order, 1 to 17, so that charts compare across filters."""
    reads = reads or Reads(filters)
    themes, counts = reads.themes
    goals = sorted(
        (t for t in themes if t.kind == Theme.Kind.SDG), key=lambda t: (t.number or 0, t.code)
    )
    rows = [
        Row(t.code, f"{t.number} {t}" if t.number else str(t), (counts.get(t.pk, 0),))
        for t in goals
    ]
    return Series(
        "sdg",
        gettext("Partnerships by Sustainable Development Goal"),
        rows,
        _count_column(),
        reads.total,
        _theme_note(),
        dimension=gettext("Goal"),
    )


def _decade_label(decade: int) -> str:
    return f"{decade}–{decade + 9}"


def by_decade(filters: PartnershipFilters, *, reads: Reads | None = None) -> Series:
    """Decades from the first to the last one with a start, gaps included, and "unknown"."""
    reads = reads or Reads(filters)
    years = reads.years()
    decades: dict[int, int] = {}
    for year, n in years.items():
        if year is not None:
            decades[year // 10 * 10] = decades.get(year // 10 * 10, 0) + n
    rows = []
    if decades:
        for decade in range(min(decades), max(decades) + 10, 10):
            rows.append(Row(str(decade), _decade_label(decade), (decades.get(decade, 0),)))
    if years.get(None):
        rows.append(Row(UNKNOWN, gettext("Unknown"), (years[None],)))
    return Series(
        "decade",
        gettext("Partnerships by decade of start"),
        rows,
        _count_column(),
        reads.total,
        dimension=gettext("Decade"),
    )


def growth(filters: PartnershipFilters, *, reads: Reads | None = None) -> Series:
    """Partnerships per start year and the running total, every year from the first on."""
    reads = reads or Reads(filters)
    years = reads.years()
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


def dac_series(filters: PartnershipFilters, *, reads: Reads | None = None) -> Series:
    share = dac_share(filters, reads=reads)
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
CHARTS: dict[str, Callable[..., Series]] = {
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
    """Every figure from six queries (see Reads), however large the registry."""
    reads = Reads(filters)
    return NetworkStatistics(
        summary=summary(filters, reads=reads),
        charts={key: function(filters, reads=reads) for key, function in CHARTS.items()},
    )


def network_statistics(filters: PartnershipFilters) -> NetworkStatistics:
    """All figures of the statistics page for `filters`, from the cache when the registry has not
    changed since they were counted."""
    return cache.get_or_set(cache_key(filters), lambda: _compute(filters), CACHE_TIMEOUT)


def chart_series(key: str, filters: PartnershipFilters) -> Series:
    """One chart, for the downloads: from the same cached set as the page. KeyError if unknown."""
    if key not in CHARTS:
        raise KeyError(key)
    return network_statistics(filters).charts[key]
