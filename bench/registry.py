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
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import DATA, measure  # noqa: E402

TARGETS_MS = {"list": 50.0, "municipality": 50.0, "search": 20.0}


def import_real_data() -> None:
    from django.core.management import call_command

    for command, name in (
        ("import_municipalities", "gemeindeverzeichnis_destatis.csv"),
        ("import_twinnings", "twin_cities.csv"),
    ):
        started = time.perf_counter()
        print(f"Importing {name} ...", flush=True)
        with open(os.devnull, "w") as sink:
            call_command(command, str(DATA / name), stdout=sink, stderr=sink)
        print(f"  {time.perf_counter() - started:.1f} s", flush=True)


def generate_synthetic(municipalities: int = 11_000, partnerships: int = 20_000) -> None:
    """SYNTHETIC data: random German and foreign places and random pairs among them."""
    from partnerportal.geo.services import country_ensure
    from partnerportal.registry.models import Municipality, Partnership, PartnershipType
    from partnerportal.registry.selectors.public import FEDERAL_STATES
    from partnerportal.registry.text import fold

    rng = random.Random(42)
    countries = [country_ensure(c) for c in ("FR", "PL", "UA", "PE", "TZ", "US", "TR", "IT")]
    germany = country_ensure("DE")
    rows = [
        Municipality(name="Münster", search_name="munster", country=germany, ags="05515000",
                     state="Nordrhein-Westfalen", population=320_000, kind="kreisfreie_stadt",
                     latitude=51.96, longitude=7.63, source="destatis"),
        Municipality(name="Köln", search_name="koln", country=germany, ags="05315000",
                     state="Nordrhein-Westfalen", population=1_084_831, kind="kreisfreie_stadt",
                     latitude=50.94, longitude=6.96, source="destatis"),
    ]  # fmt: skip
    syllables = ["mün", "köln", "berg", "dorf", "hausen", "stadt", "feld", "bach", "au", "heim"]
    for n in range(municipalities - len(rows)):
        name = "".join(rng.choice(syllables) for _ in range(2)).capitalize() + f" {n}"
        german = n % 3 != 0
        rows.append(
            Municipality(
                name=name,
                search_name=fold(name),
                country=germany if german else rng.choice(countries),
                ags=f"{10_000_000 + n:08d}" if german else None,
                state=rng.choice(FEDERAL_STATES) if german else "",
                population=rng.randint(500, 600_000),
                latitude=rng.uniform(47, 55),
                longitude=rng.uniform(6, 15),
                source="destatis" if german else "geonames",
                kind="gemeinde" if german else "foreign",
            )
        )
    for row in rows:
        row.refresh_derived_fields()  # bulk_create() skips save(): search name, map position
    Municipality.objects.bulk_create(rows, batch_size=2000)
    ids = list(Municipality.objects.values_list("pk", flat=True))
    koeln = Municipality.objects.get(name="Köln").pk
    pairs: set[tuple[int, int]] = set()
    for other in rng.sample(ids, 120):  # a large city with many partners
        if other != koeln:
            pairs.add((min(koeln, other), max(koeln, other)))
    while len(pairs) < partnerships:
        a, b = rng.sample(ids, 2)
        pairs.add((min(a, b), max(a, b)))
    types = list(PartnershipType.values)
    Partnership.objects.bulk_create(
        [
            Partnership(
                municipality_a_id=a,
                municipality_b_id=b,
                type=rng.choice(types),
                start_year=rng.randint(1950, 2024),
            )
            for a, b in pairs
        ],
        batch_size=2000,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the public registry pages.")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--synthetic", action="store_true", help="never import ../shared/data")
    parser.add_argument("--no-analyze", action="store_true", help="skip ANALYZE after loading")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="pp-bench-registry-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "partnerportal.settings.dev"
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import setup_test_environment

    from partnerportal.content.services import site_structure_ensure
    from partnerportal.registry.models import Municipality, Partnership

    print(f"Setting up a fresh SQLite database in {tmp.name} ...", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    site_structure_ensure()
    real = DATA.is_dir() and not args.synthetic
    if real:
        import_real_data()
        data_label = "real reference data from ../shared/data"
    else:
        print("Generating SYNTHETIC data (../shared/data not found or --synthetic) ...")
        generate_synthetic()
        data_label = "SYNTHETIC data: 11,000 municipalities, 20,000 partnerships"
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
