"""The kept migrated test database (core/db_template_cache.py): a run never copies a template
made from other migrations, packages or engine, and stale templates go."""

import os
import shutil
import sqlite3
import sys
import time
from importlib import import_module
from pathlib import Path

import pytest
from django.db import connection

from partnerportal.core import db_template_cache as kept

# The key asks a PostgreSQL server for its version (the engine's own, not a stored row).
pytestmark = pytest.mark.django_db


@pytest.fixture
def geo_migrations_copy(tmp_path, settings, monkeypatch):
    """geo's migrations copied into a package of their own, which geo then uses."""
    package = f"geo_migrations_copy_{os.getpid()}"
    source = Path(import_module("partnerportal.geo.migrations").__file__).parent
    folder = tmp_path / package
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.MIGRATION_MODULES = {"geo": package}
    yield folder
    sys.modules.pop(package, None)


def test_the_same_migrations_make_the_same_key(geo_migrations_copy, settings):
    copied = kept.template_key(connection)
    settings.MIGRATION_MODULES = {}
    assert kept.template_key(connection) == copied


def test_a_changed_migration_makes_another_key(geo_migrations_copy, monkeypatch):
    monkeypatch.delenv("CI", raising=False)  # CI keeps no PostgreSQL template: no slot there
    before = kept.template_key(connection)
    first = sorted(geo_migrations_copy.glob("0001_*.py"))[0]
    first.write_text(first.read_text() + "\n# one more line\n")
    changed = kept.template_key(connection)
    assert changed != before
    assert kept.slot(connection, changed) != kept.slot(connection, before)


def test_a_new_migration_makes_another_key(geo_migrations_copy):
    before = kept.template_key(connection)
    (geo_migrations_copy / "0099_more.py").write_text("# a migration more\n")
    assert kept.template_key(connection) != before


def test_another_package_version_makes_another_key(monkeypatch):
    before = kept.template_key(connection)
    installed = list(kept.metadata.distributions())

    class Older:
        metadata = {"Name": "wagtail"}
        version = "0.0.1"

    others = [d for d in installed if d.metadata["Name"].lower() != "wagtail"]
    assert len(others) == len(installed) - 1
    monkeypatch.setattr(kept.metadata, "distributions", lambda path: [*others, Older()])
    assert kept.template_key(connection) != before


def _database(path: Path, value: str) -> Path:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (v TEXT)")
        db.execute("INSERT INTO t VALUES (?)", [value])
    return path


def _value(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT v FROM t").fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite files")
def test_a_template_is_found_for_its_key_only(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    slot = kept.slot(connection, "a" * 24)
    assert not kept.exists(connection, slot)
    kept.store(connection, slot, str(_database(tmp_path / "migrated.sqlite3", "made")))
    assert kept.exists(connection, slot)
    assert not kept.exists(connection, kept.slot(connection, "b" * 24))
    kept.restore(connection, slot, str(tmp_path / "copy.sqlite3"))
    assert _value(tmp_path / "copy.sqlite3") == "made"
    assert not list((tmp_path / "test-db-cache").glob("*.partial"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite files")
def test_only_the_templates_used_last_are_kept(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    source = str(_database(tmp_path / "migrated.sqlite3", "made"))
    slots = [kept.slot(connection, f"{n}" * 24) for n in range(5)]
    Path(slots[0]).parent.mkdir(parents=True)
    for age, slot in enumerate(slots):  # made one after the other, a second apart
        shutil.copyfile(source, slot)
        os.utime(slot, (time.time() - 100 + age, time.time() - 100 + age))
    kept.restore(connection, slots[0], str(tmp_path / "copy.sqlite3"))  # used again: kept
    kept.prune(Path(slots[0]).parent)
    assert [kept.exists(connection, s) for s in slots] == [True, False, False, True, True]
    kept.clear()
    assert not any(kept.exists(connection, s) for s in slots)


def test_another_process_computes_the_same_key():
    import subprocess

    script = (
        "import django; django.setup(); from django.db import connection; "
        "from partnerportal.core import db_template_cache as kept; "
        "print(kept.template_key(connection))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "partnerportal.settings.test"}
    done = subprocess.run(  # noqa: S603 (our own interpreter, a fixed script)
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == kept.template_key(connection)
