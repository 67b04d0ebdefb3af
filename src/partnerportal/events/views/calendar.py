"""Public pages of the events: the calendar, an event, a series, the regional conferences' plan,
the iCal feeds, and the events section on municipality and country pages (issue 12).

Who may see what (events.permissions): published public events, their series, the plan and the
feeds are open to everyone; a draft, cancelled or non-public event only to staff who manage
events (404 to everyone else, so that it does not tell that it exists)."""

from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from .. import selectors
from ..changes import events_version
from ..display import event_times, event_when
from ..forms import CalendarFilterForm
from ..ical import calendar_ical, event_ical
from ..models import Event, EventSeries
from ..permissions import can_manage_event, can_view_event
from ..registrations import event_seat_summary

#: The calendar feed holds the events of the last year and everything ahead.
FEED_PAST_DAYS = 365


def _query_without(request: HttpRequest, *names: str) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k not in names and v])


#: How long the calendar's pieces stay cached at most; a change of the events (events.changes)
#: or the registry, or an event ending, replaces them sooner.
CALENDAR_CACHE_SECONDS = 60 * 60 * 6
#: The calendar's pages kept in the cache per filter; later pages are read each time.
CALENDAR_CACHED_PAGES = 5


def _cache_prefix() -> str:
    """The versions and language every cached piece of the calendar and event pages is
    keyed by (two cache reads)."""
    from partnerportal.registry.changes import registry_version

    return f"{events_version()!r}:{registry_version()!r}:{get_language()}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _page_number(value: str | None) -> int:
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """Public: published public events, upcoming by default, filtered by GET parameters.

    Anonymous or not, the page is the same but for the staff link: its listing (rows as plain
    texts), the filter form's HTML and the form's choices are cached under the events' and the
    registry's versions (one cache read for all three), and only the seats are counted live
    (one query), so registrations never make the cache stale."""
    from django.core.paginator import Page

    prefix = _cache_prefix()
    query = _query_without(request, "page")
    keys = {
        "choices": f"events:calendar-choices:{prefix}",
        "form": f"events:calendar-form:{prefix}:{_digest(query)}",
    }
    found = cache.get_many(list(keys.values()))
    choices = found.get(keys["choices"])
    if choices is None:
        from partnerportal.registry.selectors.public import country_choices

        choices = (country_choices(), selectors.series_choices())
        cache.set(keys["choices"], choices, CALENDAR_CACHE_SECONDS)
    form = CalendarFilterForm(request.GET or None, choices=choices)
    filters = form.filters()
    now = timezone.now()
    number = _page_number(request.GET.get("page"))
    # Only what people ask for is kept: the first pages, and the form of a query made of its own
    # fields alone (made-up parameters or page numbers would each fill the cache, which is the
    # database on a small installation).
    cacheable_listing = number <= CALENDAR_CACHED_PAGES
    listing_key = f"events:calendar:{prefix}:{_digest(repr(filters))}:{number}"
    listing = cache.get(listing_key) if cacheable_listing else None
    if listing is None or (listing.valid_until is not None and listing.valid_until < now):
        listing = selectors.calendar_listing(filters, number, at=now)
        if cacheable_listing and listing.number == number:
            cache.set(listing_key, listing, CALENDAR_CACHE_SECONDS)
    cacheable_form = (not form.is_bound or form.is_valid()) and set(request.GET) <= {
        "page",
        *form.fields,
    }
    fields = found.get(keys["form"]) if cacheable_form else None
    if fields is None:
        fields = "".join(str(field.as_field_group()) for field in form)
        if cacheable_form:
            cache.set(keys["form"], fields, CALENDAR_CACHE_SECONDS)
    paginator = Paginator([], selectors.CALENDAR_PAGE_SIZE)
    paginator.count = listing.count  # a cached_property: the listing counted already
    page = Page(listing.rows, listing.number, paginator)
    seats = selectors.event_seat_counts([row["pk"] for row in listing.rows])
    rows = [
        {**row, "seats": seats.get(row["pk"], selectors.SeatCounts(capacity=row["capacity"]))}
        for row in listing.rows
    ]
    return render(
        request,
        "events/calendar.html",
        {
            "form": form,
            "filter_fields": mark_safe(fields),
            "filters": filters,
            "page": page,
            "rows": rows,
            "page_query": query,
            "active_filters": form.active_filter_count() if form.is_bound else 0,
            "feed_url": reverse("events:feed_all"),
            "can_manage": can_manage_event(request.user),
        },
    )


@require_GET
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Public for published public events; staff also see drafts and hidden ones.

    What does not change with registrations (the facts, agenda, documents, results) is cached
    as two template fragments under the events' and the registry's versions; the related rows
    they show are read lazily, so a cached page reads none of them. The seats are counted live
    in one grouped query that the registration box shares."""
    event = (
        Event.objects.select_related("series", "country", "programme")
        .prefetch_related("groups")
        .filter(slug=slug)
        .first()
    )
    if event is None or not can_view_event(request.user, event):
        raise Http404
    summary = event_seat_summary(event)
    seats = selectors.SeatCounts(capacity=event.capacity, confirmed=summary["taken"])
    after = event.ends_at < timezone.now()
    registry_municipality = reverse("registry:municipality_search")
    countries_url = reverse("registry:country_detail", args=["XX"])[: -len("XX/")]
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "page_version": _cache_prefix(),
            "cache_seconds": CALENDAR_CACHE_SECONDS,
            "seats": seats,
            "seat_summary": summary,
            # Lazy: read only when a cached fragment is rendered anew.
            "when": SimpleLazyObject(lambda: event_when(event)),
            "times": SimpleLazyObject(lambda: event_times(event)),
            "is_past": after,
            "hosts": _lazy_list(
                lambda: list(event.host_municipalities.select_related("country").order_by("name"))
            ),
            "co_hosts": _lazy_list(
                lambda: list(
                    event.co_host_municipalities.select_related("country").order_by("name")
                )
            ),
            "partner_countries": _lazy_list(lambda: list(event.partner_countries.all())),
            "groups": list(event.groups.all()),
            "documents": _lazy_list(lambda: list(event.documents.all())),
            "municipalities_url": registry_municipality,
            "countries_url": countries_url,
            "ical_url": reverse("events:event_ical", args=[event.slug]),
            "can_manage": can_manage_event(request.user, event),
            "registration_open": _registration_open(event),
        },
    )


def _lazy_list(read) -> SimpleLazyObject:
    return SimpleLazyObject(read)


def _registration_open(event: Event) -> bool:
    """Whether people may register now: open, published, not over, before the closing time.
    (evreg's registration service decides for real; this is what the page says.)"""
    now = timezone.now()
    return (
        event.registration_open
        and event.status == Event.Status.PUBLISHED
        and event.ends_at >= now
        and (event.registration_closes_at is None or event.registration_closes_at > now)
    )


@require_GET
def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: a series with its public events, latest first."""
    series = get_object_or_404(EventSeries.objects.select_related("country"), slug=slug)
    events = list(selectors.series_events(series))
    now = timezone.now()
    return render(
        request,
        "events/series_detail.html",
        {
            "series": series,
            "upcoming": [
                {"event": e, "when": event_when(e)} for e in reversed(events) if e.ends_at >= now
            ],
            "past": [{"event": e, "when": event_when(e)} for e in events if e.ends_at < now],
            "feed_url": reverse("events:feed_series", args=[series.slug]),
        },
    )


@require_GET
def regional_plan(request: HttpRequest) -> HttpResponse:
    """Public: per world region the last regional conference, the next due year and whether it
    is due without one planned."""
    now = timezone.now()
    rows = [
        {
            "row": row,
            "last_when": event_when(row.last) if row.last else "",
            "next_when": event_when(row.next_planned) if row.next_planned else "",
            "due": row.due(now.year),
        }
        for row in selectors.regional_conference_plan(at=now)
    ]
    return render(request, "events/regional_plan.html", {"rows": rows, "year": now.year})


# --- iCal ---------------------------------------------------------------------------------------


def _ical_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _url_for(request: HttpRequest):
    base = request.build_absolute_uri(reverse("events:event_detail", args=["x"]))[: -len("x/")]
    return lambda event: f"{base}{event.slug}/"


@require_GET
def feed_all(request: HttpRequest) -> HttpResponse:
    """Public: every published public event of the last year and ahead."""
    since = timezone.now() - dt.timedelta(days=FEED_PAST_DAYS)
    events = Event.objects.public().filter(ends_at__gte=since).select_related("country")
    body = calendar_ical(
        events.order_by("starts_at"),
        name="Partnerportal – Veranstaltungen",
        url_for=_url_for(request),
    )
    return _ical_response(body, "veranstaltungen.ics")


@require_GET
def feed_series(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: the public events of one series, its history included."""
    series = get_object_or_404(EventSeries, slug=slug)
    events = Event.objects.public().filter(series=series).select_related("country")
    body = calendar_ical(events.order_by("starts_at"), name=series.name, url_for=_url_for(request))
    return _ical_response(body, f"{series.slug}.ics")


@require_GET
def event_ical_view(request: HttpRequest, slug: str) -> HttpResponse:
    """As the event page: public events to everyone, the others to staff."""
    event = Event.objects.select_related("country", "series").filter(slug=slug).first()
    if event is None or not can_view_event(request.user, event):
        raise Http404
    url = request.build_absolute_uri(reverse("events:event_detail", args=[event.slug]))
    return _ical_response(event_ical(event, url=url), f"{event.slug}.ics")


# --- Sections on the registry's pages -----------------------------------------------------------


def events_section(request: HttpRequest, *, page: str, subject) -> SafeString | None:
    """ "Events" on a municipality's page (hosted or co-hosted) and a country's page (partner
    country, venue or series): up to five, one query; nothing when there are none."""
    if page == "municipality":
        events = selectors.municipality_events(subject)
    elif page == "country":
        events = selectors.country_events(subject)
    else:
        return None
    if not events:
        return None
    more_url = ""
    if page == "country":
        more_url = f"{reverse('events:calendar')}?{urlencode({'country': subject.pk})}"
    now = timezone.now()
    return render_to_string(
        "events/partials/events_section.html",
        {
            "items": [{"event": e, "when": event_when(e), "past": e.ends_at < now} for e in events],
            "section_id": f"{page}-events",
            "more_url": more_url,
        },
        request=request,
    )
