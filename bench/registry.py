"""Server time of the public registry pages with the whole data set.

Run: .venv/bin/python bench/registry.py [--requests 100] [--warmup 10] [--synthetic]

Creates a temporary SQLite database (migrate plus the site structure). When ../shared/data exists
it imports the Destatis Gemeindeverzeichnis and the twin towns list with `partnerportal
import_municipalities` and `partnerportal import_twinnings`; otherwise (or with --synthetic) it
generates 11,000 municipalities and 20,000 partnerships, clearly labelled SYNTHETIC. Then it
times, with Django's test Client in this process (no network, no browser): the filtered
partnership list, the municipality page of a large city and the search partial as one types,
against /healthz as the baseline of the same run (the unfiltered list is shown without a
target). DEBUG is off. Targets: filtered list and municipality
page under 50 ms median, the search partial under 20 ms.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import django_with_fresh_database, load_registry_data, measure  # noqa: E402

TARGETS_MS = {"list": 50.0, "municipality": 50.0, "search": 20.0}


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the public registry pages.")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--synthetic", action="store_true", help="never import ../shared/data")
    parser.add_argument("--no-analyze", action="store_true", help="skip ANALYZE after loading")
    args = parser.parse_args()

    tmp = django_with_fresh_database("pp-bench-registry-")
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import setup_test_environment

    from partnerportal.registry.models import Municipality, Partnership

    data_label = load_registry_data(synthetic=args.synthetic)
    if not args.no_analyze:
        # SQLite plans the filtered list far better with statistics (PRAGMA optimize would do the
        # same); the importers do not run it yet, so the bench says which case it measured.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    setup_test_environment()

    municipalities = Municipality.objects.count()
    partnerships = Partnership.objects.count()
    big_city = (
        Municipality.objects.filter(country_id="DE")
        .annotate(n=Count("partnerships_as_a") + Count("partnerships_as_b"))
        .filter(Q(name="Köln") | Q(name="Berlin") | Q(name="München"))
        .order_by("-population")
        .first()
    ) or Municipality.objects.order_by("-population").first()
    big_partners = Partnership.objects.involving(big_city).count()

    client = Client(headers={"host": "localhost"})
    kwargs = {"requests": args.requests, "warmup": args.warmup}
    results = [
        measure(client, label="baseline", path="/healthz", **kwargs),
        measure(
            client,
            label="list",
            path="/de/register/partnerschaften/?state=Nordrhein-Westfalen&type=partnerschaft",
            **kwargs,
        ),
        measure(client, label="list, unfiltered", path="/de/register/partnerschaften/", **kwargs),
        measure(
            client, label="municipality", path=f"/de/register/kommunen/{big_city.pk}/", **kwargs
        ),
    ]
    for typed in ("M", "Mü", "Mün", "K", "Ko", "Kol", "Koln"):
        results.append(
            measure(
                client,
                label="search",
                path=f"/de/register/kommunen/?q={typed}",
                **kwargs,
                **{"HX-Request": "true"},
            )
        )

    print()
    print(f"Data: {data_label}; {municipalities:,} municipalities, {partnerships:,} partnerships")
    print(f"Municipality page: {big_city.name} with {big_partners} partnerships")
    print(
        f"GET with Django's test Client, {args.requests} requests after {args.warmup} warm-up, "
        f"DEBUG=false, SQLite, {'without' if args.no_analyze else 'with'} ANALYZE"
    )
    header = f"{'page':<74}{'median ms':>10}{'p95 ms':>8}{'queries':>8}{'x base':>8}{'target':>8}"
    print(header)
    print("-" * len(header))
    base = results[0]["median"]
    failed = False
    for row in results:
        target = TARGETS_MS.get(row["label"])
        verdict = ""
        if target is not None:
            ok = row["median"] < target
            failed |= not ok
            verdict = f"{'ok' if ok else 'SLOW'} <{target:.0f}"
        print(
            f"{row['path']:<74}{row['median']:>10.2f}{row['p95']:>8.2f}{row['queries']:>8.1f}"
            f"{row['median'] / base:>8.1f}{verdict:>8}"
        )
    print("-" * len(header))
    tmp.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
