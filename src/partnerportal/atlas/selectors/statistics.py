"""Statistics of the partnership network: counts by Land, partner country, world region, type,
theme, SDG, status and decade of start, growth over time and the share of partnerships with a
partner on the DAC list.

Every figure is one grouped query (`values().annotate(Count())`, plus one for names where the
rows need them) over the registry's own filter definition, so a chart holds exactly what the
partnership list shows for the same filters. One definition per figure, the same as the filter of
that name (registry/selectors/public.py, `partnership_filtered`):

- a Land's partnerships: those with a municipality of that Land on either side;
- a country's (a world region's): those with the partner side there; the partner side is the one
  that is not German (both sides of a pair without a German side), and Germany is the partner of
  the inner-German pairs, which count only when they are asked for;
- German municipalities involved: German municipalities on either side;
- partner countries: the countries with a row in the partner countries' chart.

Only confirmed partnerships count. A chart also says how much of the data it knows (a start year,
a type or status not just an import's default, a theme) and is drawn only when it knows enough
(`Series.drawn`): a decade chart from three of 21,000 partnerships would pretend.

A page needs all charts at once and the cache is a database table by default, so the whole set
is cached as one entry under the registry version, the filters and the language: one cache read
per page, and a change anywhere in the registry makes every entry stale.

The home page and the Land and country pages read `network_statistics(filters).summary`; the
names of `Summary`'s fields are kept stable for them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from functools import cached_property

from django.core.cache import cache
from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
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
    municipalities_involved,
    partnership_filtered,
    start_year_unknown_count,
)

#: The partner countries' chart shows this many countries and sums up the rest.
TOP_COUNTRIES = 15
#: Entries live until the registry changes; this only bounds how long unused ones linger.
CACHE_TIMEOUT = 60 * 60 * 24
#: Raise when Row, Series or the results of this module change shape (see cache_key).
CACHE_SCHEMA = 2
#: Filter fields that only sort the list and do not change what is counted.
SORT_ONLY = frozenset({"sort", "descending"})
#: A chart of a property known for only some partnerships (start year, type, status, theme) is
#: drawn when it knows the property for at least this many and this share of them; below that it
#: says how many it knows instead of drawing (its table still lists the numbers).
MIN_KNOWN = 20
MIN_KNOWN_SHARE = 0.25

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
    #: Of how many partnerships the chart's property is known (None: of all of them), and the
    #: sentence that says so ("Start year known for 31 of 21,402 partnerships.").
    known: int | None = None
    knowledge: str = ""
    #: What `known` is of, where `total` is None (growth): all partnerships counted.
    known_of: int | None = None

    @property
    def is_empty(self) -> bool:
        return not any(row.value for row in self.rows)

    def share(self, row: Row) -> float | None:
        if not self.total:
            return None
        return 100.0 * row.value / self.total

    @property
    def drawn(self) -> bool:
        """Whether a drawing would show something: when the property is known for all, or for
        enough of them (MIN_KNOWN, MIN_KNOWN_SHARE); not for a handful among many. The table is
        shown either way."""
        if self.known is None:
            return True
        base = self.known_of if self.known_of is not None else (self.total or 0)
        return self.known >= base or (
            self.known >= MIN_KNOWN and self.known >= MIN_KNOWN_SHARE * base
        )


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
    """The head of the statistics page and the facts of the Land and country pages (the same
    figures for their filters); the home page may show them too, so the names stay stable."""

    partnerships: int
    german_municipalities: int
    partner_countries: int
    dac: DacShare
    #: Municipalities abroad on either side (a country page's "municipalities with partnerships").
    foreign_municipalities: int = 0
    #: Inner-German pairs matching the other filters, left out because they were not asked for
    #: (None when they are included).
    inner_german_left_out: int | None = None
    #: Of `partnerships`, those with a known start year.
    start_year_known: int = 0
    #: Partnerships matching the other filters that the period (year_from, year_to) cannot
    #: place for want of a start year (None without a period).
    start_year_unplaced: int | None = None


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


@dataclass(frozen=True)
class Pair:
    """Partnerships grouped by the Land and country of each side."""

    a_state: str
    a_country: str
    b_state: str
    b_country: str
    n: int

    def states(self) -> set[str]:
        """The Länder of its German sides: a Land's partnerships are those with either side in
        it (the state filter), and a pair across two Länder is one of each."""
        return {
            state
            for state, country in ((self.a_state, self.a_country), (self.b_state, self.b_country))
            if country == GERMANY and state
        }

    def partner_countries(self) -> set[str]:
        """The country of the side that is not German; both sides' for a pair without a German
        side; Germany for an inner-German pair (the country filter, registry `_partner_in`)."""
        a, b = self.a_country, self.b_country
        if a == GERMANY and b == GERMANY:
            return {GERMANY}
        if a == GERMANY:
            return {b}
        if b == GERMANY:
            return {a}
        return {a, b}


class Reads:
    """The few grouped queries every chart is derived from, each made at most once and only
    when a chart asks for it.

    Each query has to evaluate the registry's filters (subqueries on either side of a pair),
    which costs the same whatever is grouped, so the charts share queries instead of having
    one each: pairs by (Land and country of each side) give Länder, partner countries, world
    regions and the DAC share; pairs by (type, status, start year, imported) give types,
    statuses, decades and growth. Both stay small (a few thousand groups at most) because they
    group by few values, not by partnership."""

    def __init__(self, filters: PartnershipFilters) -> None:
        self.filters = filters

    def partnerships(self) -> QuerySet[Partnership]:
        return partnership_filtered(self.filters).order_by()

    @cached_property
    def pairs(self) -> list[Pair]:
        columns = (
            "municipality_a__state",
            "municipality_a__country_id",
            "municipality_b__state",
            "municipality_b__country_id",
        )
        rows = (
            self.partnerships().values(*columns).annotate(n=Count("pk")).values_list(*columns, "n")
        )
        return [
            Pair(a_state or "", a or "", b_state or "", b or "", n)
            for a_state, a, b_state, b, n in rows
        ]

    @cached_property
    def attributes(self) -> list[tuple[str, str, int | None, bool, int]]:
        """(type, status, start year, imported from a file, partnerships)."""
        imported = Case(
            When(import_run__isnull=False, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        return [
            (kind, status, year, bool(from_file), n)
            for kind, status, year, from_file, n in self.partnerships()
            .annotate(imported=imported)
            .values("type", "status", "start_year", "imported")
            .annotate(n=Count("pk"))
            .values_list("type", "status", "start_year", "imported", "n")
        ]

    @cached_property
    def countries(self) -> dict[str, CountryInfo]:
        """All countries (about 250 rows): cheaper than joining them into the grouped reads."""
        return {
            iso2: CountryInfo(name, region, oda)
            for iso2, name, region, oda in Country.objects.values_list(
                "pk", name_field(), "world_region", "oda_recipient"
            )
        }

    def _theme_links(self) -> QuerySet:
        return Partnership.themes.through.objects.filter(
            partnership__in=self.partnerships().values("pk")
        ).order_by()

    @cached_property
    def themes(self) -> tuple[list[Theme], dict[int, int]]:
        """Every theme, and how many partnerships carry each (one grouped query over the
        link table for SDGs and fields alike)."""
        counts = dict(
            self._theme_links()
            .values("theme_id")
            .annotate(n=Count("partnership_id"))
            .values_list("theme_id", "n")
        )
        return list(Theme.objects.all()), counts

    @cached_property
    def themes_known(self) -> dict[str, int]:
        """Partnerships with at least one theme, by kind of theme (goal, municipal field)."""
        return dict(
            self._theme_links()
            .values("theme__kind")
            .annotate(n=Count("partnership_id", distinct=True))
            .values_list("theme__kind", "n")
        )

    @cached_property
    def total(self) -> int:
        return sum(pair.n for pair in self.pairs)

    def years(self) -> dict[int | None, int]:
        years: dict[int | None, int] = {}
        for _type, _status, year, _imported, n in self.attributes:
            years[year] = years.get(year, 0) + n
        return years

    def partner_counts(self) -> dict[str, int]:
        """Partnerships by partner country (Pair.partner_countries)."""
        counts: dict[str, int] = {}
        for pair in self.pairs:
            for iso2 in pair.partner_countries():
                counts[iso2] = counts.get(iso2, 0) + pair.n
        return counts


# --- Summary ----------------------------------------------------------------------------------


def dac_share(filters: PartnershipFilters, *, reads: Reads | None = None) -> DacShare:
    """A German municipality is never on the DAC list, so "a partner on the list" is "either side
    on the list", which also covers pairs without a German side."""
    reads = reads or Reads(filters)
    on_list = {iso2 for iso2, info in reads.countries.items() if info.oda_recipient}
    count = sum(
        pair.n for pair in reads.pairs if pair.a_country in on_list or pair.b_country in on_list
    )
    return DacShare(count=count, total=reads.total)


def summary_counts(filters: PartnershipFilters) -> tuple[int, int]:
    """German municipalities and municipalities abroad on either side of a matching pair, in one
    query."""
    involved = municipalities_involved(filters).aggregate(
        german=Count("pk", filter=Q(country_id=GERMANY)),
        abroad=Count("pk", filter=~Q(country_id=GERMANY)),
    )
    return involved["german"], involved["abroad"]


def inner_german_left_out(filters: PartnershipFilters) -> int | None:
    """The inner-German pairs the filters leave out only because they were not asked for (a
    Land's page says how many it does not count); None when they are included."""
    if filters.include_inner_german:
        return None
    if filters.country and filters.country != GERMANY:
        return 0  # a partner abroad is never an inner-German pair
    return (
        partnership_filtered(replace(filters, include_inner_german=True, country=GERMANY))
        .order_by()
        .count()
    )


def summary(filters: PartnershipFilters, *, reads: Reads | None = None) -> Summary:
    """Totals for the head of the page."""
    reads = reads or Reads(filters)
    dac = dac_share(filters, reads=reads)
    german, abroad = summary_counts(filters)
    known = sum(n for _type, _status, year, _imported, n in reads.attributes if year is not None)
    unplaced = None
    if filters.year_from is not None or filters.year_to is not None:
        unplaced = start_year_unknown_count(filters)
    return Summary(
        partnerships=dac.total,
        german_municipalities=german,
        partner_countries=sum(1 for n in reads.partner_counts().values() if n),
        dac=dac,
        foreign_municipalities=abroad,
        inner_german_left_out=inner_german_left_out(filters),
        start_year_known=known,
        start_year_unplaced=unplaced,
    )


# --- Charts -----------------------------------------------------------------------------------


def _count_column() -> tuple[str, ...]:
    return (gettext("Partnerships"),)


def _known_sentence(template: str, known: int, total: int) -> str:
    return template % {"known": number(known), "total": number(total)}


def by_state(filters: PartnershipFilters, *, reads: Reads | None = None) -> Series:
    """By Land, a pair counting for each Land with a side in it (as the state filter); all
    sixteen Länder, also those with none."""
    reads = reads or Reads(filters)
    counts: dict[str, int] = {}
    rest = 0
    twice = False
    for pair in reads.pairs:
        states = pair.states()
        twice = twice or len(states) > 1
        for state in states:
            counts[state] = counts.get(state, 0) + pair.n
        if not states:
            # A German side without a Land (an import row not matched to the
            # Gemeindeverzeichnis) or no German side at all (only when such pairs are included).
            rest += pair.n
    rows = _by_value([Row(state, state, (counts.get(state, 0),)) for state in FEDERAL_STATES])
    if rest:
        rows.append(Row(UNKNOWN, gettext("Unknown or not in Germany"), (rest,)))
    note = ""
    if twice:
        note = gettext(
            "An inner-German partnership between two federal states counts for both, so the "
            "numbers add up to more than the total."
        )
    return Series(
        "state",
        gettext("Partnerships by federal state"),
        rows,
        _count_column(),
        reads.total,
        note,
        dimension=gettext("Federal state"),
    )


def by_country(
    filters: PartnershipFilters, *, top: int = TOP_COUNTRIES, reads: Reads | None = None
) -> Series:
    """By the country of the partner side (Pair.partner_countries): the largest `top` countries
    and the rest summed up."""
    reads = reads or Reads(filters)
    counts = reads.partner_counts()
    names = reads.countries

    def label(iso2: str) -> str:
        name = names[iso2].name if iso2 in names else iso2
        if iso2 == GERMANY:
            return gettext("%(country)s (inner-German partnerships)") % {"country": name}
        return name

    rows = _by_value([Row(iso2, label(iso2), (n,)) for iso2, n in counts.items()])
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
    note = ""
    if sum(counts.values()) > reads.total:
        note = gettext(
            "A partnership without a German side counts for the countries of both sides, so the "
            "numbers add up to more than the total."
        )
    return Series(
        "country",
        gettext("Partnerships by partner country"),
        rows,
        _count_column(),
        reads.total,
        note,
        dimension=gettext("Country"),
    )


def by_region(filters: PartnershipFilters, *, reads: Reads | None = None) -> Series:
    """By the world region of the partner side's country (as the region filter); every region,
    also those with none."""
    reads = reads or Reads(filters)
    countries = reads.countries
    counts: dict[str, int] = {}
    for pair in reads.pairs:
        regions = {
            countries[iso2].region if iso2 in countries else "" for iso2 in pair.partner_countries()
        }
        for region in regions:
            counts[region or ""] = counts.get(region or "", 0) + pair.n
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
    reads: Reads,
    key: str,
    title: str,
    column: int,
    choices,
    dimension: str,
    default: str,
    knowledge: str,
) -> Series:
    """Types and statuses as stored (the type filter finds the same), saying for how many they
    are more than an import's default: the twin towns lists name neither type nor status, and
    their rows are recorded as a "Partnerschaft" that is "aktiv"."""
    counts: dict[str, int] = {}
    defaulted = 0
    for row in reads.attributes:
        value, imported, n = row[column], row[3], row[4]
        counts[value] = counts.get(value, 0) + n
        if imported and value == default:
            defaulted += n
    rows = [Row(value, str(label), (counts.pop(value, 0),)) for value, label in choices]
    rest = sum(counts.values())
    if rest:
        rows.append(Row(UNKNOWN, gettext("Unknown"), (rest,)))
    known = reads.total - defaulted
    sentence = _known_sentence(knowledge, known, reads.total) if defaulted else ""
    return Series(
        key,
        title,
        rows,
        _count_column(),
        reads.total,
        dimension=dimension,
        known=known if defaulted else None,
        knowledge=sentence,
    )


def by_type(filters: PartnershipFilters, *, reads: Reads | None = None) -> Series:
    """In the order of the type list (from partnership to operator partnership)."""
    return _choice_series(
        reads or Reads(filters),
        "type",
        gettext("Partnerships by type"),
        0,
        PartnershipType.choices,
        gettext("Type"),
        PartnershipType.PARTNERSCHAFT,
        gettext(
            "Type recorded for %(known)s of %(total)s partnerships. The others were imported "
            "from twin town lists that name no type and count as “Partnerschaft”."
        ),
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
        PartnershipStatus.ACTIVE,
        gettext(
            "Status recorded for %(known)s of %(total)s partnerships. The others were imported "
            "from twin town lists that name no status and count as “aktiv”."
        ),
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
    known = reads.themes_known.get(Theme.Kind.FIELD, 0)
    return Series(
        "theme",
        gettext("Partnerships by municipal field"),
        rows,
        _count_column(),
        reads.total,
        _theme_note(),
        dimension=gettext("Municipal field"),
        known=known,
        knowledge=_known_sentence(
            gettext("Municipal field recorded for %(known)s of %(total)s partnerships."),
            known,
            reads.total,
        ),
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
    known = reads.themes_known.get(Theme.Kind.SDG, 0)
    return Series(
        "sdg",
        gettext("Partnerships by Sustainable Development Goal"),
        rows,
        _count_column(),
        reads.total,
        _theme_note(),
        dimension=gettext("Goal"),
        known=known,
        knowledge=_known_sentence(
            gettext(
                "Sustainable Development Goals recorded for %(known)s of %(total)s partnerships."
            ),
            known,
            reads.total,
        ),
    )


def _decade_label(decade: int) -> str:
    return f"{decade}–{decade + 9}"


def _start_year_knowledge(reads: Reads) -> tuple[int, str]:
    years = reads.years()
    known = reads.total - years.get(None, 0)
    return known, _known_sentence(
        gettext("Start year known for %(known)s of %(total)s partnerships."), known, reads.total
    )


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
    known, knowledge = _start_year_knowledge(reads)
    return Series(
        "decade",
        gettext("Partnerships by decade of start"),
        rows,
        _count_column(),
        reads.total,
        dimension=gettext("Decade"),
        known=known,
        knowledge=knowledge,
    )


def growth(filters: PartnershipFilters, *, reads: Reads | None = None) -> Series:
    """Partnerships per start year and the running total, every year from the first on."""
    reads = reads or Reads(filters)
    years = reads.years()
    known_years = {year: n for year, n in years.items() if year is not None}
    rows = []
    running = 0
    if known_years:
        for year in range(min(known_years), max(known_years) + 1):
            running += known_years.get(year, 0)
            rows.append(Row(str(year), str(year), (running, known_years.get(year, 0))))
    note = ""
    if years.get(None):
        note = gettext("%(count)s partnerships without a known start year are not shown.") % {
            "count": number(years[None])
        }
    known, knowledge = _start_year_knowledge(reads)
    return Series(
        "growth",
        gettext("Growth of the network: partnerships by start year"),
        rows,
        (gettext("Partnerships in total"), gettext("Started that year")),
        None,
        note,
        dimension=gettext("Start year"),
        known=known,
        knowledge=knowledge,
        known_of=reads.total,
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
