"""Events: server latency of the calendar and of an event page with 5,000 events and 100,000
registrations, against /healthz as the baseline (issue 12).

Run: .venv/bin/python bench/events.py [--events 5000] [--registrations 100000]
     [--requests 200] [--warmup 20] [--database-url postgres://postgres@127.0.0.1:5432/pp_bench_events]
     [--throughput-database-url URL] [--throughput-people 2000] [--throughput-seats 500]

Without --database-url a temporary SQLite database is made (migrate plus the site structure);
with it, that (empty) database is used. Events and registrations are written in bulk (a third of
the events in the past, the rest ahead; the registrations spread over the upcoming events,
about one in ten on the waiting list). Pages are timed with Django's test Client in this
process (no network): the calendar's first page, a filtered calendar (a world region), its
tenth page, and the event page of the event with the most registrations.

Then the registration throughput (POST /api/v1/events/{id}/registrations under gunicorn on
PostgreSQL, 0 overbooked verified) from bench/events_throughput.py, run as its own process on
--throughput-database-url (dropped and created anew; '' skips it), with the ratio to pretix.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import django_with_fresh_database, measure  # noqa: E402

BUDGET_MEDIAN_MS = 50.0
BUDGET_P95_MS = 150.0
#: The middle of pretix's documented ceiling of 300–400 orders per minute per event.
PRETIX_PER_MINUTE = 350


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


def throughput(*, database_url: str, people: int, seats: int) -> bool:
    """Registrations per minute for one event: bench/events_throughput.py (gunicorn with sync
    workers on PostgreSQL, the database task queue, clients in several processes), run as its
    own process because it sets Django up on its own database (which it drops and creates).
    Prints its lines and the ratio to pretix's documented ~350 orders per minute per event;
    False when a registration was overbooked or unanswered."""
    import re
    import subprocess

    print(f"\nRegistration throughput ({people} registrations, {seats} seats, PostgreSQL) ...")
    if not database_url.startswith("postgres"):
        print("  skipped: the throughput needs PostgreSQL (--throughput-database-url).")
        return True
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "events_throughput.py"),
            f"--people={people}",
            f"--seats={seats}",
        ],
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        check=False,
    )
    for line in done.stdout.splitlines():
        if not line.startswith("Migrating"):
            print(f"  {line}")
    if done.returncode != 0:
        print(done.stderr[-2000:])
    found = re.search(r"throughput: (\d+) registrations per minute", done.stdout)
    overbooked = re.search(r"overbooked (\d+)", done.stdout)
    if found:
        per_minute = int(found.group(1))
        print(
            f"  => {per_minute:,} registrations/min per event, {per_minute / PRETIX_PER_MINUTE:.1f}"
            f" × pretix's {PRETIX_PER_MINUTE}/min (goal: 10 ×), overbooked: "
            f"{overbooked.group(1) if overbooked else '?'}"
        )
    return done.returncode == 0 and overbooked is not None and overbooked.group(1) == "0"


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the calendar and an event page.")
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--registrations", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--throughput-database-url",
        default="postgres://postgres@127.0.0.1:5432/pp_bench_events_throughput",
        help="PostgreSQL database for the throughput (dropped and created anew); '' skips it",
    )
    parser.add_argument("--throughput-people", type=int, default=2000)
    parser.add_argument("--throughput-seats", type=int, default=500)
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
    tmp.cleanup()
    booked = throughput(
        database_url=args.throughput_database_url,
        people=args.throughput_people,
        seats=args.throughput_seats,
    )
    return 1 if over or not booked else 0


if __name__ == "__main__":
    sys.exit(main())
