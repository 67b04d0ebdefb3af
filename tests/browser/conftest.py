"""Playwright against pytest-django's live server, in Debian's Chromium (never a downloaded one).

Skipped when /usr/bin/chromium is missing, except in CI (CI=true), where that is an error: a
browser suite that silently skips proves nothing."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("PARTNERPORTAL_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.hookimpl(trylast=True)  # after `-m` has deselected what will not run
def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not browser_items or CHROMIUM.exists():
        return
    if _in_ci():
        raise pytest.UsageError(
            f"CI=true but {CHROMIUM} is missing: the browser tests must run in CI "
            "(apt-get install chromium)."
        )
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (set CI=true to make this fatal)")
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
    # body (factories, fixtures) would otherwise be refused as "async unsafe". Set only while
    # the browser runs, so that it does not leak into other tests (check --deploy flags it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(request, browser, live_server, browser_site):
    """A fresh browser context per test. Tests that run axe get `bypass_csp`: our policy
    (rightly) refuses the injected axe script; every other test runs under the real policy."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="de-DE",
        viewport={"width": 1280, "height": 900},
        bypass_csp="axe" in request.fixturenames,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def _restore_migration_data() -> None:
    """A transactional test flushes the tables, and with them what migrations created (the
    role groups, Wagtail's root page). Put back what is missing; serialized rollback proved
    unreliable once other tests had run before these."""
    import importlib

    from django.apps import apps
    from wagtail.models import Locale, Page

    role_groups = importlib.import_module("partnerportal.accounts.migrations.0003_role_groups")
    role_groups.create_groups(apps, None)
    if Page.get_first_root_node() is None:
        locale, _created = Locale.objects.get_or_create(language_code="de")
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


@pytest.fixture
def browser_site(transactional_db):
    from partnerportal.content.services import site_structure_ensure

    _restore_migration_data()
    return site_structure_ensure()


@pytest.fixture
def axe():
    """axe(page) -> the violations of impact 'serious' or 'critical' on the current page."""

    def run(page) -> list[dict]:
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5),
                }));
            }"""
        )
        SCREENSHOTS.mkdir(exist_ok=True)
        with (SCREENSHOTS / "axe-report.txt").open("a", encoding="utf-8") as report:
            summary = ", ".join(f"{v['id']} ({v['impact']})" for v in result) or "none"
            report.write(f"{page.url}: {summary}\n")
        return [v for v in result if v["impact"] in ("serious", "critical")]

    return run


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
