"""Registrations per minute for one event through a production-style server (issue 12).

gunicorn (sync workers, 2 × cores + 1) serves the API on PostgreSQL with the database task
queue (e-mails are queued rows, as in production, and sent by the worker later); several client
processes fire registrations at ONE event at once, so every request contends for that event's
lock. Prints registrations per minute, the latency, how many were overbooked (must be 0) and
the ratio to pretix's documented ceiling of 300–400 orders per minute per event.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pp_evreg_bench \
        .venv/bin/python bench/events_throughput.py [--people 2000] [--seats 500]

The database named in DATABASE_URL is dropped and created anew.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PRETIX = (300, 400)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_recreate(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seats", type=int, default=500)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pp_evreg_bench")
    if not url.startswith("postgres"):
        print("DATABASE_URL must name PostgreSQL.", file=sys.stderr)
        return 2
    _database_recreate(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "partnerportal.settings.dev",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EVENTS_REGISTRATION_RATE": "1000000/m",
    }
    os.environ.update(env)
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from partnerportal.events.models import Event, Registration

    print("Migrating ...", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    start = timezone.now() + timedelta(days=60)
    event = Event.objects.create(
        title="Benchmark",
        slug="benchmark",
        starts_at=start,
        ends_at=start + timedelta(days=1),
        capacity=args.seats,
        registration_open=True,
    )

    workers = 2 * (os.cpu_count() or 1) + 1
    port = _free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "partnerportal.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--log-level=warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/api/v1/status", timeout=2)  # noqa: S310 - http to ours
                break
            except OSError:
                time.sleep(0.3)
        from partnerportal.events.tests.registration_load import fire

        target = f"{base}/api/v1/events/{event.pk}/registrations"
        fire(
            target,
            args.processes * args.threads,
            processes=args.processes,
            threads=args.threads,
            first=10**6,
        )  # warm-up
        Registration.objects.filter(event=event).delete()
        started = time.perf_counter()
        answers = fire(target, args.people, processes=args.processes, threads=args.threads)
        seconds = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    ok = sum(1 for code, _, _ in answers if code == 201)
    latencies = sorted(s for _, _, s in answers)
    confirmed = Registration.objects.filter(event=event, status="confirmed").count()
    overbooked = max(confirmed - args.seats, 0)
    per_minute = ok / seconds * 60
    print(f"server: gunicorn, {workers} sync workers, PostgreSQL, {os.cpu_count()} cores")
    print(f"registrations: {args.people} sent, {ok} answered 201, in {seconds:.1f} s")
    print(f"confirmed {confirmed} of {args.seats} seats, overbooked {overbooked}")
    print(
        f"latency: median {latencies[len(latencies) // 2] * 1000:.0f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms"
    )
    print(f"throughput: {per_minute:.0f} registrations per minute for one event")
    print(
        f"pretix documents {PRETIX[0]}–{PRETIX[1]} orders per minute per event: ours is "
        f"{per_minute / PRETIX[1]:.1f}–{per_minute / PRETIX[0]:.1f} times that"
    )
    return 0 if overbooked == 0 and ok == args.people else 1


if __name__ == "__main__":
    sys.exit(main())
