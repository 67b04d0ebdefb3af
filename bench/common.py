"""What the benchmark scripts share: where the reference data lies, percentiles and timing a
page with Django's test Client (server time in this process, no network, no browser)."""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".." / "shared" / "data"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(
    client, path: str, *, requests: int, warmup: int, label: str = "", before=None, **headers
) -> dict:
    """Median, p95 and mean milliseconds, the median CPU milliseconds of this process (the
    server's own work, what a shared, busy machine distorts least), mean queries and size of
    `requests` GETs of `path` after `warmup` unmeasured ones; every answer must be 200.
    `before` is called before each measured request (e.g. to mark the data changed)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.status_code)
    timings, cpu, queries = [], [], []
    for _ in range(requests):
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path, headers=headers)
            cpu.append((time.process_time() - started_cpu) * 1000)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        queries.append(len(captured))
    return {
        "label": label,
        "path": path,
        "median": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "mean": statistics.fmean(timings),
        "cpu": statistics.median(cpu),
        "queries": statistics.fmean(queries),
        "bytes": len(response.content),
    }


def django_with_fresh_database(prefix: str, database_url: str | None = None):
    """Set Django up on a new temporary SQLite database (or `database_url`), migrated, with
    the cache table and the site structure. Returns the temporary directory (clean it up)."""
    tmp = tempfile.TemporaryDirectory(prefix=prefix)
    os.environ["DJANGO_SETTINGS_MODULE"] = "partnerportal.settings.dev"
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from partnerportal.content.services import site_structure_ensure

    print(f"Setting up the database ({connection.vendor}) in {tmp.name} ...", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    site_structure_ensure()
    return tmp


def load_registry_data(*, synthetic: bool) -> str:
    """The real reference data when ../shared/data is there (and not `synthetic`), else
    SYNTHETIC data; nothing when the database already holds partnerships. Returns a label."""
    from partnerportal.registry.models import Partnership

    if Partnership.objects.exists():
        return "the data already in the given database"
    if DATA.is_dir() and not synthetic:
        import_real_data()
        return "real reference data from ../shared/data"
    print("Generating SYNTHETIC data (../shared/data not found or --synthetic) ...")
    generate_synthetic()
    return "SYNTHETIC data: 11,000 municipalities, 20,000 partnerships"


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
    from partnerportal.core.text import fold
    from partnerportal.geo.services import country_ensure
    from partnerportal.registry.models import Municipality, Partnership, PartnershipType
    from partnerportal.registry.selectors.public import FEDERAL_STATES

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
