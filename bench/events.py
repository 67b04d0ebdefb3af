"""Events: server latency of the calendar and of an event page with 5,000 events and 100,000
registrations, against /healthz as the baseline (issue 12).

Run: .venv/bin/python bench/events.py [--events 5000] [--registrations 100000]
     [--requests 200] [--warmup 20] [--database-url postgres://postgres@127.0.0.1:5432/pp_bench_events]

Without --database-url a temporary SQLite database is made (migrate plus the site structure);
with it, that (empty) database is used. Events and registrations are written in bulk (a third of
the events in the past, the rest ahead; the registrations spread over the upcoming events,
about one in ten on the waiting list). Pages are timed with Django's test Client in this
process (no network): the calendar's first page, a filtered calendar (a world region), its
tenth page, and the event page of the event with the most registrations.

Registration throughput (POST /api/v1/events/{id}/registrations under a production-style
server) is evreg's bench/events_throughput.py: `throughput()` below is the slot the lead wires
it into.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import django_with_fresh_database, measure  # noqa: E402

BUDGET_MEDIAN_MS = 50.0
BUDGET_P95_MS = 150.0


def generate(events: int, registrations: int) -> tuple[str, int]:
    """Bulk rows; returns the slug of the busiest event and how many upcoming events there are."""
    from django.db import transaction

    from partnerportal.events.models import Event, EventFormat, EventSeries, Registration
    from partnerportal.geo.models import Country

    rng = random.Random(12)
    series = list(EventSeries.objects.all())
    countries = list(Country.objects.filter(oda_recipient=True).values_list("iso2", flat=True))
    formats = [value for value, _label in EventFormat.choices]
    now = datetime.now(UTC)
    rows = []
    for number in range(events):
        past = number % 3 == 0
        start = now + timedelta(days=(-rng.randint(1, 3000) if past else rng.randint(1, 900)))
        chosen = rng.choice(series) if rng.random() < 0.6 else None
        rows.append(
            Event(
                title=f"Bench-Veranstaltung {number}",
                slug=f"bench-{number}",
                series=chosen,
                format=chosen.format if chosen else rng.choice(formats),
                starts_at=start,
                ends_at=start + timedelta(hours=rng.choice((2, 8, 32, 56))),
                timezone=rng.choice(("Europe/Berlin", "Africa/Lagos", "Asia/Ulaanbaatar")),
                place=rng.choice(("Bonn", "Berlin", "Leipzig", "Dakar", "online")),
                country_id=rng.choice(countries) if countries and rng.random() < 0.3 else None,
                capacity=rng.choice((30, 50, 100, 150, None)),
                registration_open=not past,
            )
        )
    with transaction.atomic():
        Event.objects.bulk_create(rows, batch_size=1000)
    upcoming = list(
        Event.objects.filter(slug__startswith="bench-", ends_at__gte=now).values_list(
            "pk", flat=True
        )
    )
    through = Event.partner_countries.through
    with transaction.atomic():
        through.objects.bulk_create(
            [
                through(event_id=pk, country_id=rng.choice(countries))
                for pk in upcoming
                if countries
            ],
            batch_size=2000,
        )
    # Skewed: a few events take many registrations (the busiest gets 2 %).
    busiest = upcoming[0]
    batch = []
    with transaction.atomic():
        for number in range(registrations):
            event_id = busiest if number % 50 == 0 else rng.choice(upcoming)
            batch.append(
                Registration(
                    event_id=event_id,
                    status=(
                        Registration.Status.WAITLISTED
                        if rng.random() < 0.1
                        else Registration.Status.CONFIRMED
                    ),
                    name=f"Teilnehmende {number}",
                    email=f"p{number}@example.org",
                )
            )
            if len(batch) >= 5000:
                Registration.objects.bulk_create(batch)
                batch = []
        Registration.objects.bulk_create(batch)
    return Event.objects.get(pk=busiest).slug, len(upcoming)


def throughput() -> None:
    """SLOT for evreg's bench/events_throughput.py (registrations per minute per event on
    PostgreSQL with a production-style server, 0 overbooked). The lead wires it in; until then
    this prints that it is not measured here."""
    print("Registration throughput: see bench/events_throughput.py (not measured here).")


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the calendar and an event page.")
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--registrations", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    tmp = django_with_fresh_database("pp-bench-events-", args.database_url)
    import time

    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    began = time.perf_counter()
    slug, upcoming = generate(args.events, args.registrations)
    print(
        f"{args.events:,} events ({upcoming:,} upcoming) and {args.registrations:,} registrations "
        f"written in {time.perf_counter() - began:.1f} s",
        flush=True,
    )
    client = Client(headers={"host": "localhost"})
    kwargs = {"requests": args.requests, "warmup": args.warmup}
    rows = [
        measure(client, "/healthz", label="baseline: /healthz", **kwargs),
        measure(client, "/de/veranstaltungen/", label="calendar", **kwargs),
        measure(client, "/de/veranstaltungen/?region=afrika", label="calendar, region", **kwargs),
        measure(client, "/de/veranstaltungen/?page=10", label="calendar, page 10", **kwargs),
        measure(client, f"/de/veranstaltungen/{slug}/", label="event page (busiest)", **kwargs),
    ]
    print()
    print(
        f"GET with Django's test Client, {args.requests} requests after {args.warmup} "
        f"warm-up, {connection.vendor}"
    )
    header = f"{'page':<24}{'median ms':>11}{'p95 ms':>9}{'queries':>9}{'bytes':>9}{'x base':>8}"
    print(header)
    print("-" * len(header))
    base = rows[0]["median"]
    over = False
    for row in rows:
        print(
            f"{row['label'] or row['path']:<24}{row['median']:>11.2f}{row['p95']:>9.2f}"
            f"{row['queries']:>9.1f}{row['bytes']:>9}{row['median'] / base:>8.1f}"
        )
        if row is not rows[0] and (row["median"] > BUDGET_MEDIAN_MS or row["p95"] > BUDGET_P95_MS):
            over = True
    print("-" * len(header))
    print(f"budget: median {BUDGET_MEDIAN_MS:.0f} ms, p95 {BUDGET_P95_MS:.0f} ms per page")
    throughput()
    tmp.cleanup()
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
