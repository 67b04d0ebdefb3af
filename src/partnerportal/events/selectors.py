"""Reads of events: the calendar, an event's page, series, the regional conferences' plan, the
sections on registry pages and the API's lists (issue 12).

Seats are counted from registrations, never stored: `event_seat_counts` counts confirmed,
offered and waitlisted registrations of any number of events in one grouped query; the
registration and organiser pages (evreg, evorg) use the same function. Every page here reads a
fixed number of queries, whatever the number of events (tests hold them to it)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Literal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from partnerportal.geo.models import WorldRegion

from .models import Event, EventFormat, EventSeries, Registration

# --- Seats --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeatCounts:
    capacity: int | None
    confirmed: int = 0
    offered: int = 0
    waitlisted: int = 0

    @property
    def taken(self) -> int:
        """Confirmed seats and seats offered from the waiting list (held until the offer ends)."""
        return self.confirmed + self.offered

    @property
    def free(self) -> int | None:
        """Seats left; None when the event has no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.taken, 0)


def _count(status: str) -> Count:
    return Count("registrations", filter=Q(registrations__status=status))


def events_with_seat_counts(events: QuerySet) -> QuerySet:
    """`events` annotated with confirmed_count, offered_count and waitlisted_count (one query
    when evaluated, grouped by event)."""
    return events.annotate(
        confirmed_count=_count(Registration.Status.CONFIRMED),
        offered_count=_count(Registration.Status.OFFERED),
        waitlisted_count=_count(Registration.Status.WAITLISTED),
    )


def event_seat_counts(events) -> dict[int, SeatCounts]:
    """Seat counts of several events (Event objects, ids or a queryset of events) in one query:
    {event id: SeatCounts}. Events without registrations have zeros."""
    if isinstance(events, QuerySet):
        ids = events.values("pk")
    else:
        ids = [e if isinstance(e, int) else e.pk for e in events]
    rows = (
        Event.objects.filter(pk__in=ids)
        .order_by()
        .values("pk", "capacity")
        .annotate(
            confirmed=_count(Registration.Status.CONFIRMED),
            offered=_count(Registration.Status.OFFERED),
            waitlisted=_count(Registration.Status.WAITLISTED),
        )
    )
    return {
        row["pk"]: SeatCounts(
            capacity=row["capacity"],
            confirmed=row["confirmed"],
            offered=row["offered"],
            waitlisted=row["waitlisted"],
        )
        for row in rows
    }


def event_seats(event: Event) -> SeatCounts:
    """The counts of one event (one query)."""
    return event_seat_counts([event.pk]).get(event.pk, SeatCounts(capacity=event.capacity))


# --- The calendar -------------------------------------------------------------------------------

CALENDAR_PAGE_SIZE = 20


@dataclass(frozen=True)
class CalendarFilters:
    when: Literal["upcoming", "past"] = "upcoming"
    format: str = ""
    region: str = ""
    country: str = ""  # ISO 3166 alpha-2
    series: str = ""  # slug


def _region_or_country(events: QuerySet, filters: CalendarFilters) -> QuerySet:
    """A region or a country matches the series, the venue and the partner countries. The
    partner countries are asked as a subquery of the link table's event ids, so the rows are
    never doubled and no join of all events with all their countries is made."""
    through = Event.partner_countries.through
    if filters.region:
        partner = through.objects.filter(country__world_region=filters.region).values("event_id")
        events = events.filter(
            Q(series__world_region=filters.region)
            | Q(country__world_region=filters.region)
            | Q(pk__in=partner)
        )
    if filters.country:
        code = filters.country.upper()
        partner = through.objects.filter(country_id=code).values("event_id")
        events = events.filter(Q(series__country_id=code) | Q(country_id=code) | Q(pk__in=partner))
    return events


def calendar_events(filters: CalendarFilters, *, at: dt.datetime | None = None) -> QuerySet:
    """Published public events matching `filters`: upcoming ones soonest first, past ones
    latest first."""
    at = at or timezone.now()
    events = Event.objects.public()
    events = events.past(at) if filters.when == "past" else events.upcoming(at)
    if filters.format:
        events = events.filter(
            Q(format=filters.format) | Q(format="", series__format=filters.format)
        )
    if filters.series:
        events = events.filter(series__slug=filters.series)
    events = _region_or_country(events, filters)
    if filters.when == "past":
        return events.order_by("-starts_at", "-pk")
    return events.order_by("starts_at", "pk")


def calendar_rows(events: list[Event]) -> list[tuple[Event, SeatCounts]]:
    """The page's events with their seats (one query for all)."""
    counts = event_seat_counts(events)
    return [(e, counts.get(e.pk, SeatCounts(capacity=e.capacity))) for e in events]


def calendar_page_events(events: QuerySet) -> QuerySet:
    """What a calendar row shows, joined: series and venue country."""
    return events.select_related("series", "country")


@dataclass(frozen=True)
class CalendarListing:
    """One page of the calendar as plain values (cached: core.versions + events.changes):
    every text a row shows is worked out here once, not per request in the template. Seats are
    not in it: they change with every registration and are counted live."""

    count: int
    number: int
    rows: list[dict]
    #: The listing holds until this moment (the next public event ends, moving from upcoming
    #: to past), or until the events change; None: no public event is ahead.
    valid_until: dt.datetime | None


def calendar_listing(
    filters: CalendarFilters, page: int, *, at: dt.datetime | None = None
) -> CalendarListing:
    """Page `page` (out of range: the last) of the calendar; three queries."""
    from django.core.paginator import Paginator
    from django.urls import reverse

    from partnerportal.core.templatetags.partnerportal import iso_datetime

    from .display import event_when

    at = at or timezone.now()
    events = calendar_page_events(calendar_events(filters, at=at))
    current = Paginator(events, CALENDAR_PAGE_SIZE).get_page(page)
    base = reverse("events:calendar")
    formats = {value: str(label) for value, label in EventFormat.choices}
    rows = [
        {
            "pk": e.pk,
            "title": e.title,
            "url": f"{base}{e.slug}/",
            "when": event_when(e),
            "starts_iso": iso_datetime(e.starts_at),
            "place": e.place,
            "online": bool(e.online_url),
            "format": formats.get(e.format or (e.series.format if e.series_id else ""), ""),
            "series_name": e.series.name if e.series_id else "",
            "series_url": f"{base}reihen/{e.series.slug}/" if e.series_id else "",
            "capacity": e.capacity,
        }
        for e in current.object_list
    ]
    next_end = (
        Event.objects.public()
        .filter(ends_at__gte=at)
        .order_by("ends_at")
        .values_list("ends_at", flat=True)
        .first()
    )
    return CalendarListing(
        count=current.paginator.count, number=current.number, rows=rows, valid_until=next_end
    )


def series_choices() -> list[tuple[str, str]]:
    return list(EventSeries.objects.order_by("name").values_list("slug", "name"))


# --- One event, one series ----------------------------------------------------------------------


def event_page_get(slug: str) -> Event | None:
    """An event with everything its page shows, in a fixed number of queries (event with
    series, venue country and programme; hosts, co-hosts with their countries, partner
    countries, groups, documents; the questions are evreg's)."""
    from partnerportal.registry.models import Municipality

    hosts = Municipality.objects.select_related("country").order_by("name")
    return (
        Event.objects.select_related("series", "country", "programme")
        .prefetch_related(
            Prefetch("host_municipalities", queryset=hosts),
            Prefetch("co_host_municipalities", queryset=hosts),
            "partner_countries",
            "groups",
            "documents",
        )
        .filter(slug=slug)
        .first()
    )


def series_events(series: EventSeries, *, public_only: bool = True) -> QuerySet:
    events = series.events.all()
    if public_only:
        events = events.filter(status=Event.Status.PUBLISHED, is_public=True)
    return events.select_related("country").order_by("-starts_at", "-pk")


# --- The regional conferences' plan -------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    region: str
    region_label: str
    series: EventSeries | None
    last: Event | None
    next_planned: Event | None
    next_due_year: int | None

    def due(self, year: int) -> bool:
        """The next conference is due (its year has come or passed) and none is planned."""
        return (
            self.next_due_year is not None
            and self.next_planned is None
            and year >= self.next_due_year
        )


def local_year(event: Event) -> int:
    """The year of the event's start in its own zone (a history event known by its year starts
    on 1 January at midnight there, which is still the year before in UTC)."""
    return event.starts_at.astimezone(zoneinfo.ZoneInfo(event.timezone)).year


REGIONAL_CONFERENCE_REGIONS = (
    WorldRegion.AFRICA,
    WorldRegion.ASIA,
    WorldRegion.LATIN_AMERICA,
    WorldRegion.EASTERN_EUROPE,
)


def regional_conference_plan(*, at: dt.datetime | None = None) -> list[PlanRow]:
    """Per world region: its regional conference series, the last conference held, the next
    one planned and the year the next is due (last + rotation). Two queries in all."""
    at = at or timezone.now()
    series_by_region: dict[str, EventSeries] = {}
    for series in EventSeries.objects.filter(format=EventFormat.REGIONAL_CONFERENCE).order_by("pk"):
        series_by_region.setdefault(series.world_region, series)
    events = list(
        Event.objects.filter(series__in=list(series_by_region.values()))
        .exclude(status=Event.Status.CANCELLED)
        .order_by("starts_at", "pk")
    )
    rows = []
    for region in REGIONAL_CONFERENCE_REGIONS:
        series = series_by_region.get(region)
        mine = [e for e in events if series is not None and e.series_id == series.pk]
        held = [e for e in mine if e.starts_at <= at]
        planned = [e for e in mine if e.starts_at > at]
        last = held[-1] if held else None
        due_year = None
        if last is not None and series is not None and series.rotation_years:
            due_year = local_year(last) + series.rotation_years
        rows.append(
            PlanRow(
                region=region.value,
                region_label=str(region.label),
                series=series,
                last=last,
                next_planned=planned[0] if planned else None,
                next_due_year=due_year,
            )
        )
    return rows


# --- Sections on the registry's pages -----------------------------------------------------------

SECTION_SIZE = 5


def municipality_events(municipality, *, limit: int = SECTION_SIZE) -> list[Event]:
    """Public events a municipality hosts or co-hosts, upcoming first then the latest past ones
    (one query)."""
    ids = Event.objects.filter(
        Q(host_municipalities=municipality) | Q(co_host_municipalities=municipality)
    ).values("pk")
    return _section_events(Event.objects.public().filter(pk__in=ids), limit)


def country_events(country, *, limit: int = SECTION_SIZE) -> list[Event]:
    """Public events with `country` as a partner country, the venue's or the series' country."""
    ids = Event.objects.filter(
        Q(partner_countries=country) | Q(country=country) | Q(series__country=country)
    ).values("pk")
    return _section_events(Event.objects.public().filter(pk__in=ids), limit)


def _section_events(events: QuerySet, limit: int) -> list[Event]:
    now = timezone.now()
    upcoming = list(events.upcoming(now).select_related("series").order_by("starts_at")[:limit])
    if len(upcoming) >= limit:
        return upcoming
    past = events.past(now).select_related("series").order_by("-starts_at")
    return upcoming + list(past[: limit - len(upcoming)])


# --- API ----------------------------------------------------------------------------------------


def api_event_list(
    *,
    series: str = "",
    country: str = "",
    starts_from: dt.datetime | None = None,
    starts_to: dt.datetime | None = None,
    include_hidden: bool = False,
) -> QuerySet:
    """Events for the API, ordered by start, with seat counts annotated. `series` is a slug or
    an id; `from`/`to` bound the event's time (an event that ends after `from` and starts
    before `to`). Staff (`include_hidden`) also see drafts and non-public events."""
    events = Event.objects.all() if include_hidden else Event.objects.public()
    if series:
        events = events.filter(
            Q(series__slug=series) | Q(series_id=int(series))
            if series.isdigit()
            else Q(series__slug=series)
        )
    if country:
        events = _region_or_country(events, CalendarFilters(country=country))
    if starts_from is not None:
        events = events.filter(ends_at__gte=starts_from)
    if starts_to is not None:
        events = events.filter(starts_at__lte=starts_to)
    events = events.select_related("series", "country").prefetch_related(
        "partner_countries", "host_municipalities", "co_host_municipalities"
    )
    return events_with_seat_counts(events).order_by("starts_at", "pk")


def api_event_get(event_id: int, *, include_hidden: bool = False) -> Event | None:
    events = Event.objects.all() if include_hidden else Event.objects.public()
    return (
        events_with_seat_counts(
            events.filter(pk=event_id)
            .select_related("series", "country")
            .prefetch_related("partner_countries", "host_municipalities", "co_host_municipalities")
        )
        .order_by()
        .first()
    )
