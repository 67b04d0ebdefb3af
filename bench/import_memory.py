"""Peak memory of both imports on generated files of 200 MB: bounded whatever the file's size.

Run: .venv/bin/python bench/import_memory.py [--megabytes 200] [--new-share 0.1]
                                              [--database-url URL] [--only destatis|twinnings]

Generates, in a temporary directory, GENERATED (never real) files of about --megabytes each:

- a Destatis Gemeindeverzeichnis in the raw GV-ISys layout: Länder, Regierungsbezirke, Kreise,
  Verbände and some 1.1 million distinct Gemeinden with every column filled;
- a twin towns list: the rows of ../shared/data/twin_cities.csv over and over (or, without it,
  SYNTHETIC rows between generated places), where in every repetition a share of the rows
  (--new-share) names a foreign place that is new (its name numbered), so that the file creates
  new places and partnerships throughout and not only in its first 22,000 rows.

Each import runs in a subprocess of its own on a fresh database (SQLite in the temporary
directory, or --database-url: an empty scratch database this script fills and leaves), twice:
with IMPORT_MAX_BYTES raised over the file's size, so that the file is actually imported, and
with the default limit, which refuses it up front. Peak memory is the process's high-water mark
of resident memory (VmHWM) over the import alone: the set-up before it (migrate; for the twin
towns, the German municipalities from ../shared/data or a small generated Gemeindeverzeichnis)
is reset away through /proc/self/clear_refs. The target is under 500 MB.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import DATA  # noqa: E402

GV = DATA / "gemeindeverzeichnis_destatis.csv"
TWINS = DATA / "twin_cities.csv"
TARGET_MB = 500
MB = 1024 * 1024
GV_HEADER = (
    "satzart,textkennzeichen,land,rb,kreis,vb,gemeinde,gemeindename,flaeche,bevoelkerung,"
    "maennlich,weiblich,jekm2,postleitzahl,laengengrad,breitengrad,schluessel,bezeichnung,"
    "verstaedterungschluessel,verstaedterungbezeichnung"
)
SYLLABLES = ["mün", "köln", "berg", "dorf", "hausen", "stadt", "feld", "bach", "au", "heim"]


# --- Generated files -----------------------------------------------------------------------------


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def generate_destatis(path: Path, megabytes: float, *, per_kreis: int = 80) -> int:
    """A GENERATED Gemeindeverzeichnis of about `megabytes`; returns its Gemeinden."""
    rng = random.Random(7)
    limit = megabytes * MB
    gemeinden = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\ufeff" + GV_HEADER + "\n")
        for land in range(1, 17):
            handle.write(f"10,,{land:02d},,,,,Land {land},,,,,,,,,,,,\n")
            for rb in range(10):
                handle.write(f"20,,{land:02d},{rb},,,,Region {land}-{rb},,,,,,,,,,,,\n")
                for kreis in range(1, 100):
                    key = f"{land:02d},{rb},{kreis:02d}"
                    handle.write(f"40,44,{key},,,Landkreis {land}-{rb}-{kreis},,,,,,,,,,,,\n")
                    handle.write(f'50,51,{key},0001,,"Amt {kreis}, Verband",,,,,,,,,,,,\n')
                    for number in range(1, per_kreis + 1):
                        if handle.tell() >= limit:
                            return gemeinden
                        name = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()
                        people = rng.randint(200, 90_000)
                        men = people // 2
                        lng = f"{rng.uniform(6, 15):.6f}".replace(".", ",")
                        lat = f"{rng.uniform(47.5, 55):.6f}".replace(".", ",")
                        handle.write(
                            f'60,64,{key},0001,{number:03d},"{name} {gemeinden}, Stadt",'
                            f" {rng.uniform(1, 300):.2f}, {_number(people)}, {_number(men)},"
                            f" {_number(people - men)}, {rng.randint(10, 3000)},"
                            f'{rng.randint(10000, 99999)},"{lng}","{lat}",F0{rng.randint(1, 9)},'
                            f"Region {land},0{rng.randint(1, 3)},mittlere Besiedlungsdichte\n"
                        )
                        gemeinden += 1
    return gemeinden


def generate_twinnings(path: Path, megabytes: float, *, new_share: float) -> tuple[int, str]:
    """A GENERATED twin towns list of about `megabytes`: the real rows (or SYNTHETIC ones)
    repeated, a share of each repetition naming new foreign places. Returns rows and label."""
    if TWINS.exists():
        with TWINS.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            source = [row for row in reader if row]
        label = "the rows of twin_cities.csv, repeated"
    else:
        rng = random.Random(11)
        header = ["city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2"]
        source = [
            [f"Gemeinde {n}", "Germany", f"{rng.uniform(47.5, 55):.4f}",
             f"{rng.uniform(6, 15):.4f}", f"Place {n}", rng.choice(["France", "Peru", "Poland"]),
             f"{rng.uniform(-40, 60):.4f}", f"{rng.uniform(-80, 40):.4f}"]
            for n in range(20_000)
        ]  # fmt: skip
        label = "SYNTHETIC rows, repeated"
    limit = megabytes * MB
    every = max(1, round(1 / new_share)) if new_share > 0 else 0
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        copy = 0
        while handle.tell() < limit:
            for index, row in enumerate(source):
                if copy and every and index % every == 0:
                    german_first = row[1].strip() in ("Germany", "Deutschland")
                    side = 4 if german_first else 0
                    row = list(row)
                    row[side] = f"{row[side]} {copy}"
                writer.writerow(row)
                rows += 1
                if rows % 10_000 == 0 and handle.tell() >= limit:
                    break
            copy += 1
    return rows, f"{label}, {new_share:.0%} of each repetition with a new foreign place"


# --- One import in a subprocess ------------------------------------------------------------------


def _high_water_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_high_water() -> None:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pass  # not Linux: the figure then includes the set-up


def child(kind: str, path: Path, german: Path | None) -> None:
    """Runs inside the subprocess: DATABASE_URL names the fresh database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerportal.settings.dev")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from partnerportal.registry.importers.destatis import municipalities_import
    from partnerportal.registry.importers.errors import ImportFileError
    from partnerportal.registry.importers.twinnings import import_twinnings

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if kind == "twinnings" and german is not None:
        municipalities_import(actor=None, path=german)
    limit = settings.PARTNERPORTAL_IMPORT_MAX_BYTES
    _reset_high_water()
    started = time.perf_counter()
    try:
        if kind == "destatis":
            outcome = municipalities_import(actor=None, path=path)
            what = f"{outcome.created:,} municipalities created"
        else:
            result = import_twinnings(path, report=path.with_suffix(".report.csv"))
            what = (
                f"{result.rows:,} rows, {result.partnerships_created:,} partnerships and "
                f"{result.municipalities_created:,} places created, "
                f"{result.review_items_created:,} review items for {result.report_rows:,} "
                "report lines"
            )
    except ImportFileError as error:
        what = f"refused: {error}"
    seconds = time.perf_counter() - started
    print(
        f"RESULT\t{kind}\t{limit}\t{seconds:.1f}\t{_high_water_mb():.0f}\t{what}",
        flush=True,
    )


def run_child(kind: str, path: Path, *, url: str, limit: int | None, german: Path | None) -> list:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false", "LOG_LEVEL": "WARNING"}
    env.pop("IMPORT_MAX_BYTES", None)
    if limit is not None:
        env["IMPORT_MAX_BYTES"] = str(limit)
    command = [sys.executable, __file__, "--child", kind, str(path), str(german or "")]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT\t"):
            return line.split("\t")[1:]
    print(done.stdout[-2000:], done.stderr[-4000:], sep="\n")
    return [kind, str(limit), "-", "-", f"failed (exit {done.returncode})"]


def _fresh_database(base: str | None, tmp: Path, name: str) -> str:
    if base is None:
        return f"sqlite:///{tmp / (name + '.sqlite3')}"
    import psycopg

    server, _slash, _database = base.rpartition("/")
    scratch = f"pp_bench_memory_{name}_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        connection.execute(f'CREATE DATABASE "{scratch}"')
    return f"{server}/{scratch}"


def _drop(url: str) -> None:
    if url.startswith("sqlite"):
        return
    import psycopg

    server, _slash, scratch = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{scratch}"')


def main() -> int:
    parser = argparse.ArgumentParser(description="Peak memory of both imports on large files.")
    parser.add_argument("--megabytes", type=float, default=200)
    parser.add_argument("--new-share", type=float, default=0.1)
    parser.add_argument("--database-url", help="postgres://user@host:5432/any (scratch dbs)")
    parser.add_argument("--only", choices=["destatis", "twinnings"])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pp-bench-memory-") as name:
        tmp = Path(name)
        rows = []
        for kind in ("destatis", "twinnings"):
            if args.only and kind != args.only:
                continue
            path = tmp / f"{kind}.csv"
            started = time.perf_counter()
            if kind == "destatis":
                count = generate_destatis(path, args.megabytes)
                label = f"GENERATED, {count:,} Gemeinden"
                german = None
            else:
                count, label = generate_twinnings(path, args.megabytes, new_share=args.new_share)
                label = f"GENERATED, {count:,} rows: {label}"
                german = GV if GV.exists() else tmp / "german.csv"
                if not GV.exists():
                    generate_destatis(german, 2, per_kreis=5)
            size = path.stat().st_size
            print(
                f"{kind}: {size / MB:.0f} MB ({label}), generated in "
                f"{time.perf_counter() - started:.0f} s",
                flush=True,
            )
            for limit in (size + 1, None):
                url = _fresh_database(args.database_url, tmp, f"{kind}{'_raised' if limit else ''}")
                try:
                    rows.append((size, run_child(kind, path, url=url, limit=limit, german=german)))
                finally:
                    _drop(url)
                print("  " + "\t".join(rows[-1][1]), flush=True)
        engine = "PostgreSQL" if args.database_url else "SQLite"
        print()
        print(f"Peak memory (VmHWM) of the import alone, {engine}; target under {TARGET_MB} MB")
        header = (
            f"{'import':<11}{'file MB':>8}{'limit MB':>10}{'seconds':>9}{'peak MB':>9}  outcome"
        )
        print(header)
        print("-" * len(header))
        failed = False
        for size, (kind, limit, seconds, peak, what) in rows:
            limit_mb = f"{int(limit) / MB:.0f}" if limit.isdigit() else limit
            print(f"{kind:<11}{size / MB:>8.0f}{limit_mb:>10}{seconds:>9}{peak:>9}  {what[:150]}")
            failed |= not peak.isdigit() or int(peak) >= TARGET_MB
        return 1 if failed else 0


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.path.insert(0, str(ROOT / "src"))
        kind, path, german = sys.argv[2:5]
        child(kind, Path(path), Path(german) if german else None)
    else:
        sys.exit(main())
