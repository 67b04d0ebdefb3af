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


# --- The databases the tests on real data start from (data_key, facts) -------------------------


@pytest.fixture
def source(tmp_path):
    """A package's code in miniature: a module, a message catalogue, tests."""
    root = tmp_path / "package"
    (root / "registry" / "tests").mkdir(parents=True)
    (root / "locale").mkdir()
    (root / "registry" / "importers.py").write_text("ROWS = 1\n")
    (root / "locale" / "django.po").write_text('msgid "created"\nmsgstr "created"\n')
    (root / "registry" / "tests" / "test_importers.py").write_text("def test_it(): pass\n")
    (root / "conftest.py").write_text("\n")
    return root


@pytest.fixture
def data_file(tmp_path):
    path = tmp_path / "twin_cities.csv"
    path.write_text("city1,city2\nKöln,Lille\n")
    return path


def _key(source, data_file, template="t" * 24, kind="twins"):
    return kept.data_key(template, kind, [data_file], source=source)


def test_the_same_data_and_code_make_the_same_key(source, data_file):
    assert _key(source, data_file) == _key(source, data_file)


def test_a_changed_data_file_makes_another_key(source, data_file):
    before = _key(source, data_file)
    data_file.write_text(data_file.read_text() + "Bonn,Oxford\n")
    assert _key(source, data_file) != before


def test_a_changed_or_new_source_file_makes_another_key(source, data_file):
    before = _key(source, data_file)
    (source / "registry" / "importers.py").write_text("ROWS = 2\n")
    changed = _key(source, data_file)
    assert changed != before
    (source / "registry" / "services.py").write_text("\n")
    assert _key(source, data_file) not in {before, changed}


def test_a_changed_message_catalogue_makes_another_key(source, data_file):
    before = _key(source, data_file)
    (source / "locale" / "django.po").write_text('msgid "created"\nmsgstr "made"\n')
    assert _key(source, data_file) != before


def test_a_changed_test_file_keeps_the_key(source, data_file):
    before = _key(source, data_file)
    (source / "registry" / "tests" / "test_importers.py").write_text("def test_more(): pass\n")
    (source / "registry" / "tests" / "test_new.py").write_text("\n")
    (source / "conftest.py").write_text("X = 1\n")
    assert _key(source, data_file) == before


def test_another_template_or_kind_makes_another_key(source, data_file):
    before = _key(source, data_file)
    assert _key(source, data_file, template="u" * 24) != before
    assert _key(source, data_file, kind="gv") != before


def test_the_real_key_covers_our_importers():
    """The default source is the package itself, the importers among its files."""
    files = kept._source_files(kept.SOURCE)
    names = {path.relative_to(kept.SOURCE).as_posix() for path in files}
    assert "registry/importers/destatis.py" in names
    assert "registry/importers/twinnings/writing.py" in names
    assert "core/db_template_cache.py" in names
    assert not [name for name in names if "/tests/" in name or name.startswith("tests/")]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite files")
def test_a_kept_database_comes_with_its_facts(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    slot = kept.slot(connection, "a" * 24, "gv")
    assert slot != kept.slot(connection, "a" * 24) != kept.slot(connection, "a" * 24, "twins")
    assert kept.facts(connection, slot) is None
    source = str(_database(tmp_path / "imported.sqlite3", "imported"))
    kept.store(connection, slot, source, {"output": "11,088 created", "seconds": 9.5})
    assert kept.facts(connection, slot) == {"output": "11,088 created", "seconds": 9.5}
    assert kept.facts(connection, kept.slot(connection, "b" * 24, "gv")) is None
    kept.restore(connection, slot, str(tmp_path / "copy.sqlite3"))
    assert _value(tmp_path / "copy.sqlite3") == "imported"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite files")
def test_each_kind_keeps_its_own_used_last(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    source = str(_database(tmp_path / "made.sqlite3", "made"))
    template = kept.slot(connection, "0" * 24)
    kept.store(connection, template, source)
    os.utime(template, (time.time() - 1000, time.time() - 1000))  # the oldest of all
    imported = [kept.slot(connection, f"{n}" * 24, "gv") for n in range(5)]
    for age, slot in enumerate(imported):
        kept.store(connection, slot, source, {"n": age})
        os.utime(slot, (time.time() - 100 + age, time.time() - 100 + age))
    kept.prune(Path(template).parent)
    assert kept.exists(connection, template)  # another kind's: not pruned by these
    facts = [kept.facts(connection, s) for s in imported]
    assert facts == [None, None, {"n": 2}, {"n": 3}, {"n": 4}]
    assert not Path(f"{imported[0]}.json").exists()  # its facts went with it


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's template databases")
def test_kept_postgresql_databases_keep_their_facts_and_kind(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    database = f"pp_kept_{os.getpid()}_with_a_name_longer_than_most"
    slots = {
        kind: kept.slot(connection, "a" * 24, kind, database=database)
        for kind in ("", "gv", "twins")
    }
    assert len(set(slots.values())) == 3 and all(len(s) <= 63 for s in slots.values())
    source = f"test_{database}"[:40] + "_src"
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {quote(source)}")
    try:
        for kind, slot in slots.items():
            kept.store(connection, slot, source, {"kind": kind} if kind else None)
        # Another key of one kind replaces that kind's only.
        newer = kept.slot(connection, "b" * 24, "gv", database=database)
        kept.store(connection, newer, source, {"kind": "gv", "newer": True})
        assert [kept.exists(connection, s) for s in slots.values()] == [True, False, True]
        assert kept.facts(connection, newer) == {"kind": "gv", "newer": True}
        assert kept.facts(connection, slots["twins"]) == {"kind": "twins"}
        assert kept.facts(connection, slots[""]) is None
        monkeypatch.setenv("CI", "true")
        assert kept.slot(connection, "a" * 24, "gv", database=database) is None
    finally:
        with connection._nodb_cursor() as cursor:
            prefix = kept._pg_prefix(connection, database)
            for name in [source, *kept._pg_databases(connection, prefix)]:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
