"""The advisory staff's pages with a full year's-worth-and-more of work: server time and query
count of the dashboard and the case list (unfiltered, filtered, a late page).

Run: .venv/bin/python bench/advisory.py [--requests 50] [--warmup 5] [--database-url URL]

Creates a temporary SQLite database (or fills the given one, e.g. a scratch PostgreSQL database
`postgres://postgres@127.0.0.1:5432/pp_advcases`), generates SYNTHETIC data in bulk: 300
municipalities in 25 countries, 8 programmes, 12 advisors, 20,000 cases spread over four years
in every state, 50,000 internal log entries, 200 experts and 2,000 deployments (each in an
active partnership with a German municipality), then times GETs with Django's test Client in
this process (no network, no browser), DEBUG off. Target: median under 100 ms for the
dashboard and the case list, with a bounded number of queries (the same for every request).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import django_with_fresh_database, measure  # noqa: E402

CASES, NOTES, DEPLOYMENTS = 20_000, 50_000, 2_000
TARGET_MS = 100.0
MAX_QUERIES = 25
#: The dashboard counted anew: one query per figure and its names (27), not per case.
MAX_QUERIES_COUNTED = 30
COUNTRIES = [
    "DE", "TN", "MA", "EG", "DZ", "PE", "SN", "UA", "ID", "LB", "GH", "KE", "RW", "BR", "MX",
    "NI", "BO", "VN", "IN", "JO", "PS", "MZ", "TZ", "BF", "CM",
]  # fmt: skip


def generate(seed: int = 14) -> dict:
    """SYNTHETIC cases and log entries, written with bulk_create in batches."""
    from django.utils import timezone

    from partnerportal.accounts.tests.factories import UserFactory
    from partnerportal.advisory.models import Case, CaseNote, CaseState
    from partnerportal.geo.services import country_ensure
    from partnerportal.registry.models import Municipality, Programme

    rng = random.Random(seed)
    countries = [country_ensure(code) for code in COUNTRIES]
    Municipality.objects.bulk_create(
        [
            Municipality(
                name=f"Synthetische Kommune {i}",
                search_name=f"synthetische kommune {i}",
                country=countries[i % len(countries)],
                kind="foreign" if i % len(countries) else "gemeinde",
                ags=f"{99000000 + i:08d}" if i % len(countries) == 0 else None,
            )
            for i in range(300)
        ]
    )
    municipalities = list(Municipality.objects.values_list("pk", "country_id"))
    programmes = [
        Programme.objects.get_or_create(slug=f"synth-{i}", defaults={"name": f"Programm {i}"})[0]
        for i in range(8)
    ]
    advisors = [UserFactory(agency_staff=True, name=f"Beratung {i}") for i in range(12)]
    now = timezone.now()
    states = [s for s, _label in CaseState.choices]
    weights = [10, 8, 20, 15, 15, 25, 7]
    rows = []
    for i in range(CASES):
        municipality_id, country_id = rng.choice(municipalities)
        opened = now - dt.timedelta(days=rng.randint(0, 4 * 365), minutes=rng.randint(0, 1440))
        state = rng.choices(states, weights)[0]
        closed = opened + dt.timedelta(days=rng.randint(5, 300)) if state == "closed" else None
        rows.append(
            Case(
                reference=f"B-SYN-{i:06d}",
                state=state,
                requester_name=f"Synthetische Person {i}",
                requester_email=f"person{i}@synthetic.invalid",
                municipality_id=municipality_id,
                country_id=country_id,
                programme=rng.choice(programmes) if rng.random() < 0.8 else None,
                advisor=rng.choice(advisors) if rng.random() < 0.9 else None,
                need="SYNTHETIC",
                due_on=(now + dt.timedelta(days=rng.randint(-60, 90))).date(),
                opened_at=opened,
                created_at=opened,
                closed_at=min(closed, now) if closed else None,
            )
        )
    Case.objects.bulk_create(rows, batch_size=2000)
    case_ids = list(Case.objects.values_list("pk", flat=True))
    CaseNote.objects.bulk_create(
        [
            CaseNote(
                case_id=rng.choice(case_ids),
                kind=rng.choice(["call", "meeting", "email", "note"]),
                date=(now - dt.timedelta(days=rng.randint(0, 4 * 365))).date(),
                participants="SYNTHETIC",
                text="SYNTHETIC log entry",
            )
            for _ in range(NOTES)
        ],
        batch_size=5000,
    )
    generate_deployments(rng, municipalities=municipalities, programmes=programmes, now=now)
    return {"staff": advisors[0], "advisor": advisors[1], "programme": programmes[0]}


def generate_deployments(rng, *, municipalities, programmes, now, count: int = DEPLOYMENTS) -> None:
    """SYNTHETIC deployments in every state: each foreign municipality gets an active
    partnership with one of the German ones (the expert fund's rule), 200 experts share them."""
    from partnerportal.advisory.models import Deployment, DeploymentState, ExpertKind, ExpertProfile
    from partnerportal.registry.models import Municipality, Partnership

    german = list(Municipality.objects.filter(kind="gemeinde").values_list("pk", flat=True))
    foreign = [pk for pk, _country in municipalities if pk not in set(german)]
    pairs = {pk: german[i % len(german)] for i, pk in enumerate(foreign)}
    Partnership.objects.bulk_create(
        [
            Partnership(municipality_a_id=min(a, b), municipality_b_id=max(a, b), start_year=2000)
            for a, b in pairs.items()
        ],
        batch_size=2000,
    )
    partnerships = {
        (a, b): pk for pk, a, b in Partnership.objects.values_list("pk", "municipality_a_id",
                                                                   "municipality_b_id")
    }  # fmt: skip
    kinds = list(ExpertKind.values)
    ExpertProfile.objects.bulk_create(
        [
            ExpertProfile(name=f"Synthetische Fachkraft {i}", kind=kinds[i % len(kinds)])
            for i in range(200)
        ]
    )
    experts = list(ExpertProfile.objects.values_list("pk", flat=True))
    states = list(DeploymentState.values)
    rows = []
    for _i in range(count):
        partner = rng.choice(foreign)
        german_pk = pairs[partner]
        starts = (now - dt.timedelta(days=rng.randint(-180, 4 * 365))).date()
        rows.append(
            Deployment(
                expert_id=rng.choice(experts) if rng.random() < 0.8 else None,
                kind=rng.choice(kinds),
                partner_municipality_id=partner,
                german_municipality_id=german_pk,
                partnership_id=partnerships[(min(partner, german_pk), max(partner, german_pk))],
                host_institution="SYNTHETIC",
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=rng.randint(180, 3 * 365)),
                goals="SYNTHETIC",
                programme=rng.choice(programmes),
                state=rng.choice(states),
            )
        )
    Deployment.objects.bulk_create(rows, batch_size=2000)


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the advisory staff's pages.")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    tmp = django_with_fresh_database("pp-bench-advisory-", args.database_url)
    from django.db import connection
    from django.test.utils import setup_test_environment

    from partnerportal.accounts.tests.clients import Client
    from partnerportal.advisory.dashboard import CASES_VERSION
    from partnerportal.advisory.models import Case, CaseNote, Deployment

    if Case.objects.exists():  # a --database-url filled by an earlier run: measure it again
        from django.contrib.auth import get_user_model

        from partnerportal.registry.models import Programme

        advisors = get_user_model().objects.filter(name__startswith="Beratung ").order_by("pk")
        world = {
            "staff": advisors[0],
            "advisor": advisors[1],
            "programme": Programme.objects.get(slug="synth-0"),
        }
    else:
        print("Generating SYNTHETIC advisory data ...", flush=True)
        world = generate()
    with connection.cursor() as cursor:  # statistics for the planner (SQLite and PostgreSQL)
        cursor.execute("ANALYZE")
    setup_test_environment()
    client = Client(headers={"host": "localhost"})
    client.force_login(world["staff"])
    kwargs = {"requests": args.requests, "warmup": args.warmup}
    results = [
        measure(client, label="baseline", path="/healthz", **kwargs),
        measure(client, label="dashboard", path="/de/beratung/faelle/uebersicht/", **kwargs),
        measure(client, label="dashboard, after a write", path="/de/beratung/faelle/uebersicht/",
                before=CASES_VERSION.bump, **kwargs),
        measure(client, label="list", path="/de/beratung/faelle/", **kwargs),
        measure(client, label="list", path="/de/beratung/faelle/?state=advising&overdue=on",
                **kwargs),
        measure(client, label="list",
                path=f"/de/beratung/faelle/?advisor={world['advisor'].pk}&country=TN", **kwargs),
        measure(client, label="list",
                path=f"/de/beratung/faelle/?programme={world['programme'].pk}&page=20", **kwargs),
    ]  # fmt: skip
    print()
    print(
        f"Data: SYNTHETIC, {Case.objects.count():,} cases, {CaseNote.objects.count():,} log "
        f"entries, {Deployment.objects.count():,} deployments ({connection.vendor})"
    )
    print(f"GET with Django's test Client as agency staff, {args.requests} requests after "
          f"{args.warmup} warm-up, DEBUG=false")  # fmt: skip
    header = (
        f"{'page':<48}{'':<26}{'median ms':>10}{'p95 ms':>8}{'CPU ms':>8}{'queries':>8}"
        f"{'target':>12}"
    )
    print(header)
    print("-" * len(header))
    failed = False
    for row in results:
        verdict = ""
        if row["label"] != "baseline":
            bound = MAX_QUERIES_COUNTED if row["label"].endswith("after a write") else MAX_QUERIES
            ok = row["median"] < TARGET_MS and row["queries"] <= bound
            failed |= not ok
            verdict = f"{'ok' if ok else 'SLOW'} <{TARGET_MS:.0f}"
        print(f"{row['path']:<48}{row['label']:<26}{row['median']:>10.2f}{row['p95']:>8.2f}"
              f"{row['cpu']:>8.2f}{row['queries']:>8.1f}{verdict:>12}")  # fmt: skip
    print("-" * len(header))
    tmp.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
