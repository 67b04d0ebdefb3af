"""How long the server takes for the home page, against a trivial view as the baseline.

Run: .venv/bin/python bench/home.py [--requests 300] [--warmup 30]

Sets up the development settings on a fresh temporary SQLite database (migrate plus the site
structure), then times GET /de/ and GET /healthz with Django's test Client in this process:
no network, no browser, so the figures are the server's own work. DEBUG is off (as in
production: no SQL logging, no debug context) unless --debug is given.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import measure  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the home page.")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--debug", action="store_true", help="keep DEBUG=true (dev default)")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="pp-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "partnerportal.settings.dev"
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    os.environ["DEBUG"] = "true" if args.debug else "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from partnerportal.content.services import site_structure_ensure

    print(f"Setting up a fresh SQLite database in {tmp.name} ...", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    site_structure_ensure()
    setup_test_environment()  # the test Client needs it; also lets it run with DEBUG off

    client = Client(headers={"host": "localhost"})
    baseline = measure(client, "/healthz", requests=args.requests, warmup=args.warmup)
    home = measure(client, "/de/", requests=args.requests, warmup=args.warmup)

    print()
    print(
        f"GET with Django's test Client, {args.requests} requests after {args.warmup} warm-up, "
        f"DEBUG={os.environ['DEBUG']}, SQLite"
    )
    header = f"{'page':<12}{'median ms':>11}{'p95 ms':>9}{'mean ms':>9}{'queries':>9}{'bytes':>9}"
    print(header)
    print("-" * len(header))
    for row in (home, baseline):
        print(
            f"{row['path']:<12}{row['median']:>11.2f}{row['p95']:>9.2f}{row['mean']:>9.2f}"
            f"{row['queries']:>9.1f}{row['bytes']:>9}"
        )
    print("-" * len(header))
    print(f"home / healthz (median): {home['median'] / baseline['median']:.1f}x")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
