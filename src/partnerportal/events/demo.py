"""Demo events (issue 12): a regional conference, a round table and an online seminar ahead,
registration open, made through the same service as staff's pages. Idempotent by source_key;
marked as demo in their summary. Demo only: the history (events.history) is real data."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from .models import Event, EventSeries
from .services import event_create

DEMO = (
    {
        "source_key": "demo:regionalkonferenz-afrika",
        "series": "regionalkonferenz-afrika",
        "title": "Regionalkonferenz Afrika (Demo)",
        "days_ahead": 120,
        "length_hours": 56,
        "timezone": "Europe/Berlin",
        "place": "Bonn",
        "venue": "World Conference Center Bonn",
        "languages": ["de", "fr", "en"],
        "interpretation": "Simultandolmetschung Deutsch, Französisch, Englisch",
        "target_group": "Kommunen aus Deutschland und ihre Partnerkommunen in Afrika",
        "capacity": 150,
        "groups": [{"name": "Partnerkommunen", "seats": 60, "partner_side": True}],
    },
    {
        "source_key": "demo:runder-tisch-mongolei",
        "series": "runder-tisch-mongolei",
        "title": "Runder Tisch Mongolei (Demo)",
        "days_ahead": 45,
        "length_hours": 7,
        "timezone": "Europe/Berlin",
        "place": "Berlin",
        "languages": ["de"],
        "capacity": 30,
        "partner_countries": ["MN"],
    },
    {
        "source_key": "demo:online-seminar",
        "series": None,
        "format": "seminar",
        "title": "Online-Seminar: Förderung kommunaler Partnerschaften (Demo)",
        "days_ahead": 20,
        "length_hours": 2,
        "timezone": "Europe/Berlin",
        "online_url": "https://meet.example.org/partnerportal-seminar",
        "languages": ["de"],
        "capacity": 80,
    },
)


def demo_events_load(*, actor) -> int:
    """Create the demo events that are missing; returns how many were created."""
    from partnerportal.geo.models import Country

    created = 0
    known = set(
        Event.objects.filter(source_key__startswith="demo:").values_list("source_key", flat=True)
    )
    for spec in DEMO:
        if spec["source_key"] in known:
            continue
        zone = zoneinfo.ZoneInfo(spec["timezone"])
        start = (
            (timezone.now() + dt.timedelta(days=spec["days_ahead"]))
            .astimezone(zone)
            .replace(hour=9, minute=30, second=0, microsecond=0)
        )
        extra = {
            name: spec[name]
            for name in (
                "place",
                "venue",
                "languages",
                "interpretation",
                "target_group",
                "online_url",
                "format",
            )
            if name in spec
        }
        event = event_create(
            actor=actor,
            title=spec["title"],
            starts_at=start,
            ends_at=start + dt.timedelta(hours=spec["length_hours"]),
            timezone=spec["timezone"],
            capacity=spec["capacity"],
            registration_open=True,
            summary="Demo-Veranstaltung des Partnerportals.",
            series=EventSeries.objects.filter(slug=spec["series"]).first()
            if spec["series"]
            else None,
            partner_countries=list(
                Country.objects.filter(iso2__in=spec.get("partner_countries", []))
            ),
            groups=spec.get("groups"),
            questions=[{"label": "Ernährungswünsche", "kind": "text", "required": False}],
            **extra,
        )
        Event.objects.filter(pk=event.pk).update(source_key=spec["source_key"])
        created += 1
    return created
