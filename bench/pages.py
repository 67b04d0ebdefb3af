"""Server time and HTML size of every main page with the full real data, against the budget of
300 ms (median) and 300 KB per page.

Run: .venv/bin/python bench/pages.py [--requests 10] [--warmup 1] [--database-url URL]

Without --database-url it creates a temporary SQLite database (migrate plus the site structure)
and imports ../shared/data with `import_municipalities` and `import_twinnings` (or SYNTHETIC data
when the files are missing or with --synthetic); with --database-url it uses that database and
imports only when it holds no partnerships yet (e.g. `sqlite:///var/bench-pages.sqlite3` keeps
the imported data for the next run). The logins are made as the tests make them (accounts'
factories): the staff pages are fetched as an agency administrator whose session holds a
verified second factor (the client of accounts/tests/clients.py records it as a real login
does), the municipal pages as the editor of Köln; `--editors` municipal editors more fill the
staff editors page.

Every page is timed with Django's test Client in this process (no network, no browser; DEBUG
off), `--requests` times after `--warmup` unmeasured requests. The table is sorted by median
time; then the five heaviest pages, and the staff editors page (/de/konto/redaktion/, all
memberships) on its own line. /healthz, a view that does nothing, is the baseline of the same
run: "x base" is each page's median over its median. Exits 1 when a page is over budget.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import django_with_fresh_database, load_registry_data, measure  # noqa: E402

BUDGET_MS = 300.0
BUDGET_KB = 300.0
STAFF_EDITORS = "staff editors (memberships)"


def pages() -> list[tuple[str, str, str]]:
    """(label, path, who) of every main page; `who` is public, editor or admin."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from partnerportal.registry.models import Municipality, Partnership, ReviewItem
    from partnerportal.registry.selectors.places import state_slug

    def page(municipality) -> str:
        return reverse("registry:municipality_detail", args=[municipality.pk])

    def busiest(queryset):
        return (
            queryset.annotate(
                n=Count("partnerships_as_a", distinct=True)
                + Count("partnerships_as_b", distinct=True)
            )
            .order_by("-n")
            .first()
        )

    german = busiest(Municipality.objects.filter(country_id="DE", population__gt=500_000))
    foreign = busiest(
        Municipality.objects.exclude(country_id="DE").filter(population__gt=1_000_000)
    )
    foreign = foreign or Municipality.objects.exclude(country_id="DE").first()
    partnership = (
        Partnership.objects.filter(is_confirmed=True).filter(
            Q(municipality_a=german) | Q(municipality_b=german)
        )
    ).first()
    koeln = Municipality.objects.filter(name="Köln", country_id="DE").first() or german
    country = (
        Partnership.objects.filter(municipality_a__country_id="DE")
        .exclude(municipality_b__country_id="DE")
        .values("municipality_b__country_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("municipality_b__country_id", flat=True)
        .first()
    ) or "FR"
    review = ReviewItem.objects.order_by("pk").first()
    result = [
        ("home", "/de/", "public"),
        ("home (English)", "/en/", "public"),
        ("municipality search", reverse("registry:municipality_search"), "public"),
        (
            "municipality search, typed",
            reverse("registry:municipality_search") + "?q=Neustadt",
            "public",
        ),
        (f"municipality: {german.name}", page(german), "public"),
        (f"municipality abroad: {foreign.name}", page(foreign), "public"),
        ("partnership list", reverse("registry:partnership_list"), "public"),
        (
            "partnership list, all pairs",
            reverse("registry:partnership_list") + "?include_non_german=on",
            "public",
        ),
        ("partnership", reverse("registry:partnership_detail", args=[partnership.pk]), "public"),
        (
            "Land: Nordrhein-Westfalen",
            reverse("registry:state_detail", args=[state_slug("Nordrhein-Westfalen")]),
            "public",
        ),
        (f"country: {country}", reverse("registry:country_detail", args=[country]), "public"),
        ("atlas", reverse("atlas:map"), "public"),
        ("statistics", reverse("atlas:statistics"), "public"),
        ("API page", reverse("api_pages:overview"), "public"),
        ("account (editor of Köln)", reverse("accounts:overview"), "editor"),
        ("activity feed (editor)", reverse("notifications:feed"), "editor"),
        (
            "edit partnership (editor)",
            reverse(
                "registry:partnership_edit",
                args=[
                    Partnership.objects.filter(
                        Q(municipality_a=koeln) | Q(municipality_b=koeln), is_confirmed=True
                    )
                    .values_list("pk", flat=True)
                    .first()
                    or partnership.pk
                ],
            ),
            "editor",
        ),
        ("membership request (editor)", reverse("accounts:membership_request"), "editor"),
        ("account (staff)", reverse("accounts:overview"), "admin"),
        (STAFF_EDITORS, reverse("accounts:staff_memberships"), "admin"),
        ("stale partnerships", reverse("registry:stale_list"), "admin"),
        ("review queue", reverse("registry:review_list"), "admin"),
        (
            f"change history: {german.name}",
            reverse(
                "audit:history",
                kwargs={"app_label": "registry", "model_name": "municipality", "pk": german.pk},
            ),
            "admin",
        ),
    ]
    if review is not None:
        result.append(("review item", reverse("registry:review_detail", args=[review.pk]), "admin"))
    return result


ADMIN_EMAIL = "bench-admin@bench.invalid"
EDITOR_EMAIL = "bench-koeln@bench.invalid"


def people(editors: int) -> int:
    """The logins (once per database): an agency administrator with a TOTP authenticator (the
    factory's, as the tests make staff), the editor of Köln, and `editors` further municipal
    editors of the largest German municipalities, so that the staff editors page lists as many
    as a running installation might. Returns the number of active memberships."""
    from django.contrib.auth import get_user_model

    from partnerportal.accounts.models import Membership
    from partnerportal.accounts.tests.factories import UserFactory
    from partnerportal.registry.models import Municipality

    users = get_user_model().objects
    german = Municipality.objects.filter(country_id="DE")
    koeln = german.filter(name="Köln").first() or german.order_by("-population").first()
    if not users.filter(email=ADMIN_EMAIL).exists():
        UserFactory(email=ADMIN_EMAIL, agency_admin=True)
    if not users.filter(email=EDITOR_EMAIL).exists():
        UserFactory(email=EDITOR_EMAIL, municipality=koeln)
    missing = editors - users.filter(email__startswith="bench-editor-").count()
    if missing > 0:
        start = editors - missing
        places = list(german.exclude(pk=koeln.pk).order_by("-population")[start:editors])
        created = users.bulk_create(
            [
                get_user_model()(
                    email=f"bench-editor-{start + n}@bench.invalid", name=f"Redaktion {place.name}"
                )
                for n, place in enumerate(places)
            ]
        )
        Membership.objects.bulk_create(
            Membership(user=user, municipality=place, status=Membership.Status.ACTIVE)
            for user, place in zip(created, places, strict=True)
        )
    return Membership.objects.filter(status=Membership.Status.ACTIVE).count()


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark every main page against the budget.")
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--database-url", help="use (and fill if empty) this database")
    parser.add_argument("--synthetic", action="store_true", help="never import ../shared/data")
    parser.add_argument(
        "--editors", type=int, default=300, help="municipal editors (active memberships)"
    )
    args = parser.parse_args()

    tmp = django_with_fresh_database("pp-bench-pages-", args.database_url)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.template.base import Template
    from django.test.utils import setup_test_environment

    from partnerportal.accounts.tests.clients import Client
    from partnerportal.registry.models import Municipality, Partnership

    data_label = load_registry_data(synthetic=args.synthetic)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # The test Client needs the test environment, whose template instrumentation copies the
    # context of every template rendered (for response.context); a form widget renders one
    # template per option, so a page with a select of all municipalities would take minutes.
    # Rendering stays as in production.
    production_render = Template._render
    setup_test_environment()
    Template._render = production_render
    editors = people(args.editors)
    users = get_user_model().objects
    clients = {"public": Client(headers={"host": "localhost"})}
    for who, email in (("admin", ADMIN_EMAIL), ("editor", EDITOR_EMAIL)):
        clients[who] = Client(headers={"host": "localhost"})
        clients[who].force_login(users.get(email=email))

    kwargs = {"requests": args.requests, "warmup": args.warmup}
    baseline = measure(clients["public"], "/healthz", label="baseline: /healthz", **kwargs)
    results = []
    for label, path, who in pages():
        results.append(measure(clients[who], path, label=label, **kwargs) | {"who": who})
        row = results[-1]
        print(
            f"  {label} ({path}): {row['median']:.1f} ms, {row['bytes'] / 1024:.1f} KB",
            flush=True,
        )

    base = baseline["median"]
    print()
    print(
        f"Data: {data_label}; {Municipality.objects.count():,} municipalities, "
        f"{Partnership.objects.count():,} partnerships, {editors} active memberships; "
        f"{connection.vendor}"
    )
    print(
        f"GET with Django's test Client, median of {args.requests} requests after "
        f"{args.warmup} warm-up, DEBUG={os.environ['DEBUG']}; budget {BUDGET_MS:.0f} ms and "
        f"{BUDGET_KB:.0f} KB of HTML; baseline /healthz median {base:.2f} ms"
    )
    header = (
        f"{'page':<38}{'as':<8}{'median ms':>10}{'p95 ms':>8}{'queries':>8}{'KB':>8}"
        f"{'x base':>8}  verdict"
    )
    print(header)
    print("-" * (len(header) + 12))
    over = []

    def line(row: dict) -> str:
        kb = row["bytes"] / 1024
        faults = []
        if row["median"] > BUDGET_MS:
            faults.append("SLOW")
        if kb > BUDGET_KB:
            faults.append("HEAVY")
        return (
            f"{row['label'][:37]:<38}{row['who']:<8}{row['median']:>10.1f}{row['p95']:>8.1f}"
            f"{row['queries']:>8.0f}{kb:>8.1f}{row['median'] / base:>8.0f}  "
            + (" ".join(faults) or "ok")
        )

    for row in sorted(results, key=lambda r: -r["median"]):
        print(line(row))
        if row["median"] > BUDGET_MS or row["bytes"] / 1024 > BUDGET_KB:
            over.append(row)
    print("-" * (len(header) + 12))
    print("The five heaviest pages (HTML):")
    for row in sorted(results, key=lambda r: -r["bytes"])[:5]:
        print(f"  {row['bytes'] / 1024:>8.1f} KB  {row['median']:>7.1f} ms  {row['label']}")
    staff = next(row for row in results if row["label"] == STAFF_EDITORS)
    print(f"Staff editors page ({staff['path']}):")
    print("  " + line(staff))
    print(
        f"Over budget: {len(over)} of {len(results)} pages"
        + (": " + ", ".join(row["label"] for row in over) if over else "")
    )
    tmp.cleanup()
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
