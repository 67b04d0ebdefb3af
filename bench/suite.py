"""How long the suite without the browser tests (`make test-fast`) takes here, against another
checkout of the project (the baseline, e.g. a worktree of an older commit).

Run: .venv/bin/python bench/suite.py ../base [--runs 3] [--database-url postgres://...]

Runs `make test-fast` in the baseline and in this checkout by turns (baseline, this, baseline,
this, ...), so that both see the same load on the machine, and prints for each run the wall
time, the CPU time (user + system of make and every process under it, the xdist workers
included) and the number of tests, then the medians and the ratio this/baseline. On a machine
shared with other work the wall time varies from run to run; the CPU time much less so, which is
why both are shown. With --database-url both run on PostgreSQL (each creates and drops its own
test databases, named after its process). Not part of `make bench`: a pair of runs takes
minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_suite(checkout: Path, database_url: str | None) -> dict:
    """One `make test-fast` in `checkout`: wall and CPU seconds, tests passed, exit code."""
    env = {**os.environ}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        ["make", "--no-print-directory", "test-fast"],
        cwd=checkout,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    passed = re.search(r"(\d+) passed", summary)
    if done.returncode != 0:
        print(done.stdout[-3000:], file=sys.stderr)
    return {
        "wall": wall,
        "cpu": cpu,
        "tests": int(passed.group(1)) if passed else 0,
        "rc": done.returncode,
        "summary": summary,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="make test-fast here against a baseline.")
    parser.add_argument(
        "baseline", type=Path, help="the baseline checkout (installed: make install messages)"
    )
    parser.add_argument("--runs", type=int, default=3, help="pairs of runs (default 3)")
    parser.add_argument(
        "--database-url", help="PostgreSQL for both, e.g. postgres://postgres@127.0.0.1:5432/pp"
    )
    args = parser.parse_args()
    baseline = args.baseline.resolve()
    if not (baseline / "Makefile").is_file():
        parser.error(f"{baseline} is not a checkout of the project")

    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(f"make test-fast on {engine}: baseline {baseline} against this checkout {ROOT}")
    print(f"{'run':>4} {'checkout':<9} {'wall s':>8} {'CPU s':>8} {'tests':>6}")
    results: dict[str, list[dict]] = {"baseline": [], "this": []}
    for number in range(1, args.runs + 1):
        for label, checkout in (("baseline", baseline), ("this", ROOT)):
            result = run_suite(checkout, args.database_url)
            results[label].append(result)
            failed = (
                "" if result["rc"] == 0 else f"  FAILED (exit {result['rc']}): {result['summary']}"
            )
            print(
                f"{number:>4} {label:<9} {result['wall']:>8.1f} {result['cpu']:>8.1f} "
                f"{result['tests']:>6}{failed}",
                flush=True,
            )

    def median(label: str, key: str) -> float:
        return statistics.median(r[key] for r in results[label])

    print()
    print(f"{'median':<14} {'baseline':>9} {'this':>9} {'this/baseline':>14}")
    for key, name in (("wall", "wall s"), ("cpu", "CPU s")):
        base, this = median("baseline", key), median("this", key)
        print(f"{name:<14} {base:>9.1f} {this:>9.1f} {this / base:>13.0%}")
    print(f"{'tests':<14} {results['baseline'][0]['tests']:>9} {results['this'][0]['tests']:>9}")
    return 0 if all(r["rc"] == 0 for rs in results.values() for r in rs) else 1


if __name__ == "__main__":
    sys.exit(main())
