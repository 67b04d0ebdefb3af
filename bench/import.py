"""Benchmark of both imports on SQLite and, when it answers at 127.0.0.1:5432, PostgreSQL.

Each engine runs in a subprocess of its own (fresh temporary database, migrate, then
import_municipalities and import_twinnings on ../shared/data), so peak memory is per engine.
Usage: .venv/bin/python bench/import.py"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from common import DATA  # noqa: E402

GV = DATA / "gemeindeverzeichnis_destatis.csv"
TWINS = DATA / "twin_cities.csv"


def child() -> None:
    """Runs inside the subprocess: DATABASE_URL names the temporary database."""
    import resource

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerportal.settings.dev")
    django.setup()
    from django.core.management import call_command

    from partnerportal.registry.importers.twinnings import import_twinnings
    from partnerportal.registry.models import Municipality, Partnership, ReviewItem

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the registry's change version lives there
    started = time.perf_counter()
    call_command("import_municipalities", str(GV), verbosity=0)
    gv_seconds = time.perf_counter() - started
    german = Municipality.objects.filter(country_id="DE").count()
    started = time.perf_counter()
    result = import_twinnings(TWINS)
    twin_seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  import_municipalities: {gv_seconds:6.1f} s  ({german} German municipalities)")
    print(
        f"  import_twinnings:      {twin_seconds:6.1f} s  ({Partnership.objects.count()} "
        f"partnerships, {Municipality.objects.exclude(country_id='DE').count()} foreign "
        f"municipalities, {ReviewItem.objects.count()} review items)"
    )
    print(f"  peak memory (max RSS): {peak_mb:6.0f} MB")
    print(
        f"  German side resolved:  {result.german_resolved} of {result.german_rows} "
        f"({result.german_rate:.2%})"
    )


def postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def run(engine: str, url: str) -> None:
    print(f"{engine}:", flush=True)
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, __file__, "--child"], env=env, check=False, cwd=ROOT)


def main() -> None:
    if not (GV.exists() and TWINS.exists()):
        print(f"Skipped: the reference data is not in {DATA.resolve()}.")
        return
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", f"sqlite:///{tmp}/bench.sqlite3")
    if not postgres_answers():
        print("PostgreSQL: skipped (nothing answers at 127.0.0.1:5432).")
        return
    base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    name = f"partnerportal_bench_{os.getpid()}"
    import psycopg

    admin = f"{base}/postgres"
    try:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        print(f"PostgreSQL: skipped ({error}).")
        return
    try:
        run("PostgreSQL", f"{base}/{name}")
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.path.insert(0, str(ROOT / "src"))
        child()
    else:
        main()
