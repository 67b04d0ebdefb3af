"""The funding staff pages with 10,000 applications: median server time of the dashboard and of
the application list (first page, a filtered page, a far page), with their query counts.

Run: .venv/bin/python bench/funding.py [--applications 10000] [--requests 20] [--database-url URL]

Creates a temporary SQLite database (or uses --database-url, e.g. a scratch PostgreSQL database
that this script fills and leaves) and fills it in bulk with SYNTHETIC funding data: 20
programmes with 3 instruments each (every other one with a deadline), 500 applicant
municipalities, the applications in every state with two requested cost lines each, a decision
for every decided one (approved with two approved lines), released payments and accepted final
reports for a part of the approved ones. Times with Django's test Client in this process, as an
agency reviewer with a second factor. Target: median under 100 ms for each page. The dashboard
is measured twice: as usually served (its drawn figures from the cache, kept under a fingerprint
of the counted records) and as right after a write (counted and drawn anew each time).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import django_with_fresh_database, measure  # noqa: E402

TARGET_MS = 100.0
BATCH = 2000


def fill(applications: int) -> None:
    from django.contrib.auth import get_user_model

    from partnerportal.funding.models import (
        Application,
        ApplicationState,
        CostLine,
        CostPlan,
        Decision,
        FinalReport,
        FundingInstrument,
        PaymentRequest,
        PaymentState,
        ReportState,
    )
    from partnerportal.geo.services import country_ensure
    from partnerportal.registry.models import Municipality, Programme

    if Application.objects.count() >= applications:
        return
    rng = random.Random(13)
    germany = country_ensure("DE")
    programmes = Programme.objects.bulk_create(
        Programme(slug=f"bench-programm-{n}", name=f"Programm {n} (SYNTHETIC)") for n in range(20)
    )
    instruments = FundingInstrument.objects.bulk_create(
        FundingInstrument(
            programme=programme,
            slug=f"bench-instrument-{p}-{n}",
            name=f"Instrument {p}.{n}",
            deadline=date(2026, 3 + n, 31) if n % 2 == 0 else None,
            call_mode="deadline" if n % 2 == 0 else "rolling",
        )
        for p, programme in enumerate(programmes)
        for n in range(3)
    )
    municipalities = Municipality.objects.bulk_create(
        Municipality(name=f"Benchstadt {n}", country=germany, ags=f"{8000000 + n:08d}")
        for n in range(500)
    )
    requester = get_user_model().objects.create(email="bench-requester@bench.invalid")
    states = [
        (ApplicationState.SUBMITTED, 20),
        (ApplicationState.FORMAL_CHECK, 10),
        (ApplicationState.ASSESSMENT, 10),
        (ApplicationState.DECISION, 8),
        (ApplicationState.APPROVED, 30),
        (ApplicationState.REJECTED, 10),
        (ApplicationState.CLOSED, 7),
        (ApplicationState.WITHDRAWN, 3),
        (ApplicationState.DRAFT, 2),
    ]
    population = [state for state, weight in states for _ in range(weight)]
    start = datetime(2023, 1, 1, tzinfo=UTC)
    print(f"Filling {applications:,} SYNTHETIC applications ...", flush=True)
    for offset in range(0, applications, BATCH):
        batch = []
        for n in range(offset, min(offset + BATCH, applications)):
            state = rng.choice(population)
            submitted = start + timedelta(minutes=rng.randrange(0, 4 * 365 * 24 * 60))
            batch.append(
                Application(
                    instrument=rng.choice(instruments),
                    applicant=rng.choice(municipalities),
                    reference=f"B-{n:06d}" if state != ApplicationState.DRAFT else None,
                    title=f"Maßnahme {n}",
                    state=state,
                    submitted_at=None if state == ApplicationState.DRAFT else submitted,
                )
            )
        created = Application.objects.bulk_create(batch)
        lines, decisions, payments, reports = [], [], [], []
        for application in created:
            amounts = [Decimal(rng.randrange(200, 5000)), Decimal(rng.randrange(100, 2000))]
            for order, amount in enumerate(amounts):
                lines.append(CostLine(application=application, plan=CostPlan.REQUESTED,
                                      kind="flight" if order == 0 else "accommodation",
                                      description="Flüge" if order == 0 else "Unterkunft",
                                      amount=amount, amount_eur=amount, order=order))  # fmt: skip
            if application.state in (
                ApplicationState.APPROVED, ApplicationState.CLOSED, ApplicationState.REJECTED
            ):  # fmt: skip
                decided_at = application.submitted_at + timedelta(days=rng.randrange(20, 90))
                approved = application.state != ApplicationState.REJECTED
                total = sum(amounts) if approved else Decimal(0)
                decisions.append(Decision(application=application,
                                          outcome="approved" if approved else "rejected",
                                          decided_at=decided_at, decided_year=decided_at.year,
                                          approved_total=total))  # fmt: skip
                if approved:
                    for order, amount in enumerate(amounts):
                        lines.append(CostLine(
                            application=application, plan=CostPlan.APPROVED, kind="flight",
                            description="Bewilligt", amount=amount, amount_eur=amount, order=order,
                        ))  # fmt: skip
                    if rng.random() < 0.6:
                        payments.append(PaymentRequest(
                            application=application, amount=total, requested_by=requester,
                            state=PaymentState.RELEASED,
                            released_at=decided_at + timedelta(days=30),
                            released_year=(decided_at + timedelta(days=30)).year,
                        ))  # fmt: skip
                    if application.state == ApplicationState.CLOSED:
                        reports.append(FinalReport(
                            application=application, state=ReportState.ACCEPTED,
                            actual_total=total * Decimal("0.95"),
                            reviewed_at=decided_at + timedelta(days=200),
                            reviewed_year=(decided_at + timedelta(days=200)).year,
                        ))  # fmt: skip
        CostLine.objects.bulk_create(lines, batch_size=BATCH)
        Decision.objects.bulk_create(decisions, batch_size=BATCH)
        PaymentRequest.objects.bulk_create(payments, batch_size=BATCH)
        FinalReport.objects.bulk_create(reports, batch_size=BATCH)


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the funding staff pages.")
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--database-url", help="use (and fill if empty) this database")
    args = parser.parse_args()

    tmp = django_with_fresh_database("pp-bench-funding-", args.database_url)
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from partnerportal.accounts.tests.clients import Client
    from partnerportal.accounts.tests.factories import UserFactory
    from partnerportal.funding.models import Application, FundingInstrument

    fill(args.applications)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    setup_test_environment()
    client = Client(headers={"host": "localhost"})
    from django.contrib.auth import get_user_model

    reviewer = get_user_model().objects.filter(email="bench-reviewer@bench.invalid").first()
    client.force_login(reviewer or UserFactory(reviewer=True, email="bench-reviewer@bench.invalid"))
    instrument = FundingInstrument.objects.filter(deadline__isnull=False).first()
    from django.core.cache import cache
    from django.utils import translation

    from partnerportal.funding.views.dashboards import dashboard_cache_key

    def forget_figures() -> None:
        """As after any write: the figures are counted and drawn anew (the cache keeps them
        under a fingerprint of the counted records)."""
        with translation.override("de"):
            cache.delete(dashboard_cache_key())

    pages = [
        ("staff dashboard", reverse("funding:dashboard")),
        ("staff dashboard, after a write", reverse("funding:dashboard"), forget_figures),
        ("application list, first page", reverse("funding:review_list")),
        ("application list, state filter", reverse("funding:review_list") + "?state=assessment"),
        ("application list, deadline filter",
         reverse("funding:review_list") + f"?deadline={instrument.deadline.isoformat()}"),
        ("application list, page 150", reverse("funding:review_list") + "?page=150"),
    ]  # fmt: skip
    print(
        f"{Application.objects.count():,} applications ({connection.vendor}), "
        f"{args.requests} requests each after {args.warmup} warm-up; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores:"
    )
    failed = False
    for label, path, *before in pages:
        row = measure(
            client, path, requests=args.requests, warmup=args.warmup, before=(before or [None])[0]
        )
        ok = row["median"] < TARGET_MS
        failed |= not ok
        print(
            f"  {label:34} median {row['median']:6.1f} ms (CPU {row['cpu']:5.1f} ms), "
            f"p95 {row['p95']:6.1f} ms, "
            f"{row['queries']:.0f} queries, {row['bytes'] / 1024:.0f} KB "
            f"{'OK' if ok else f'OVER {TARGET_MS:.0f} ms'} (CPU "
            f"{'OK' if row['cpu'] < TARGET_MS else 'OVER'})"
        )
    tmp.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
