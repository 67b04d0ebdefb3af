"""The atlas with the whole data set: server time and payload of the map's world view, cached and
uncached, against the baseline of sending every pair to the browser as one CSV.

Run: .venv/bin/python bench/atlas.py [--requests 50] [--synthetic] [--database-url URL]

Creates a temporary SQLite database (or uses --database-url, e.g. a scratch PostgreSQL database
that this script fills and leaves), imports the Destatis Gemeindeverzeichnis and the twin towns
list from ../shared/data (or, without them or with --synthetic, generates clearly labelled
SYNTHETIC data), and times with Django's test Client in this process (no network, no browser):

- the world view of the map (clusters at zoom 2 for the whole world), uncached (the cache is
  cleared before every request) and cached, with the configured cache backend;
- the same with "include partnerships without a German side" (all 21,000 pairs);
- a zoomed-in view (Germany at zoom 6), the partner-country layer and the whole atlas page;
- the baseline: every pair with names, countries and coordinates as one CSV, as the public
  twin-city maps built from the Wikipedia lists do, and /healthz.

Sizes are given raw and gzipped (level 6, as a web server would). Targets: world view under
30 ms cached and under 300 ms uncached, payload under 150 KB gzipped.
"""

from __future__ import annotations

import argparse
import gzip
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import (  # noqa: E402
    DATA,
    django_with_fresh_database,
    load_registry_data,
    percentile,
)

WORLD = "z=2&w=-180&s=-85&e=180&n=85"
TARGETS = {"cached_ms": 30.0, "uncached_ms": 300.0, "gzip_kb": 150.0}


def gzipped(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6))


def measure(client, path: str, *, requests: int, cached: bool) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    timings, queries = [], []
    for _ in range(requests):
        if not cached:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        queries.append(len(captured))
    body = response.content
    return {
        "median": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "queries": statistics.fmean(queries),
        "bytes": len(body),
        "gzip": gzipped(body),
    }


def every_pair_as_csv() -> bytes:
    """The baseline: all partnerships with both places' names, countries and coordinates."""
    from partnerportal.core import csv as safe_csv
    from partnerportal.registry.models import Partnership

    buffer = io.StringIO()
    writer = safe_csv.writer(buffer)  # as every CSV of ours: formulas written as text
    writer.writerow(["city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2"])
    rows = Partnership.objects.public().values_list(
        "municipality_a__name",
        "municipality_a__country__name_en",
        "municipality_a__latitude",
        "municipality_a__longitude",
        "municipality_b__name",
        "municipality_b__country__name_en",
        "municipality_b__latitude",
        "municipality_b__longitude",
    )
    for row in rows.iterator(chunk_size=5000):
        writer.writerow(row)
    return buffer.getvalue().encode()


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the atlas map.")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--synthetic", action="store_true", help="never import ../shared/data")
    parser.add_argument("--database-url", help="use this (empty) database instead of SQLite")
    args = parser.parse_args()

    tmp = django_with_fresh_database("pp-bench-atlas-", args.database_url)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from partnerportal.registry.models import Municipality, Partnership

    data_label = load_registry_data(synthetic=args.synthetic)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    setup_test_environment()

    client = Client(headers={"host": "localhost"})
    n = args.requests
    clusters = "/de/atlas/cluster.json?"
    rows = [
        ("healthz (reference)", "/healthz", False),
        ("world view, uncached", clusters + WORLD, False),
        ("world view, cached", clusters + WORLD, True),
        ("world view, all pairs, uncached", clusters + WORLD + "&all_pairs=on", False),
        ("world view, all pairs, cached", clusters + WORLD + "&all_pairs=on", True),
        ("Germany at zoom 6, uncached", clusters + "z=6&w=2&s=46&e=18&n=56", False),
        ("Germany at zoom 6, cached", clusters + "z=6&w=2&s=46&e=18&n=56", True),
        ("country layer, uncached", "/de/atlas/laender.json", False),
        ("atlas page, uncached", "/de/atlas/", False),
        ("atlas page, cached", "/de/atlas/", True),
    ]
    results = []
    for label, path, cached in rows:
        print(f"  {label} ...", flush=True)
        results.append((label, path, measure(client, path, requests=n, cached=cached)))

    # Baseline: every pair to the browser as one CSV, built from the same database.
    timings = []
    for _ in range(max(5, n // 5)):
        started = time.perf_counter()
        body = every_pair_as_csv()
        timings.append((time.perf_counter() - started) * 1000)
    baseline = {
        "median": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "bytes": len(body),
        "gzip": gzipped(body),
    }
    source = DATA / "twin_cities.csv"

    print()
    print(
        f"Data: {data_label}; {Municipality.objects.count():,} municipalities, "
        f"{Partnership.objects.count():,} partnerships; database {connection.vendor}; "
        f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}"
    )
    print(f"GET with Django's test Client, {n} requests each, DEBUG=false")
    header = f"{'what':<36}{'median ms':>10}{'p95 ms':>8}{'queries':>8}{'KB':>9}{'KB gzip':>9}"
    print(header)
    print("-" * len(header))
    for label, _path, row in results:
        print(
            f"{label:<36}{row['median']:>10.2f}{row['p95']:>8.2f}{row['queries']:>8.1f}"
            f"{row['bytes'] / 1024:>9.1f}{row['gzip'] / 1024:>9.1f}"
        )
    print(
        f"{'baseline: every pair as one CSV':<36}{baseline['median']:>10.2f}"
        f"{baseline['p95']:>8.2f}{'':>8}{baseline['bytes'] / 1024:>9.1f}"
        f"{baseline['gzip'] / 1024:>9.1f}"
    )
    if source.is_file():
        raw = source.read_bytes()
        print(
            f"{'(the Wikipedia CSV file itself)':<36}{'':>10}{'':>8}{'':>8}"
            f"{len(raw) / 1024:>9.1f}{gzipped(raw) / 1024:>9.1f}"
        )
    print("-" * len(header))

    world_uncached = results[1][2]
    world_cached = results[2][2]
    print(
        f"World view vs. baseline: {baseline['gzip'] / world_cached['gzip']:.0f}x smaller "
        f"gzipped ({world_cached['gzip'] / 1024:.1f} KB vs {baseline['gzip'] / 1024:.1f} KB), "
        f"{baseline['median'] / world_cached['median']:.0f}x faster cached and "
        f"{baseline['median'] / world_uncached['median']:.1f}x faster uncached "
        f"({world_cached['median']:.1f} / {world_uncached['median']:.1f} ms vs "
        f"{baseline['median']:.1f} ms to build the CSV)"
    )
    checks = [
        ("cached world view", world_cached["median"], TARGETS["cached_ms"], "ms"),
        ("uncached world view", world_uncached["median"], TARGETS["uncached_ms"], "ms"),
        ("world view payload gzipped", world_cached["gzip"] / 1024, TARGETS["gzip_kb"], "KB"),
    ]
    failed = False
    for label, value, target, unit in checks:
        ok = value < target
        failed |= not ok
        verdict = "ok" if ok else "MISSED"
        print(f"  {label}: {value:.1f} {unit} (target < {target:.0f} {unit}) {verdict}")
    tmp.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
