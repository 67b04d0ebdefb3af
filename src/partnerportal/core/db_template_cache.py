"""The migrated test database, kept between test runs (docs/decisions/0015-test-database-cache.md).

A fresh migrate takes two minutes of CPU on a small machine, almost all of it Django rendering
the states of some 400 migrations (most of them Wagtail's). What it produces depends only on the
migration files, the installed packages and the database engine: the test set-up (conftest.py)
keeps one migrated database per combination of them, named by their hash (`template_key`), and
later runs copy it instead of migrating. A run whose migrations, packages or engine differ
computes another key and migrates anew; the post_migrate handlers (countries, pages, locales,
permissions) run again on every copy, as they do after each flush, so their data follows the
code of the moment too.

SQLite: files in var/test-db-cache/<key>.sqlite3, the three used last are kept. PostgreSQL: a
database test_<NAME>_tpl_<key> on the server, only outside CI (CI=true: a run leaves no database
behind); the templates of other keys are dropped. PARTNERPORTAL_TEST_DB_CACHE=off switches the
cache off; `make clean-test-db` (or deleting the folder) clears it."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import sys
import sysconfig
import tempfile
import time
from importlib import import_module, metadata
from pathlib import Path

#: The hash's own version: raised when what goes into it changes.
KEY_VERSION = "1"
#: SQLite templates kept (the ones used last): a checkout switching between a few branches
#: does not migrate at each switch.
KEEP = 3
#: What the settings give the migrations to work with, beyond the migration files.
KEY_SETTINGS = ("INSTALLED_APPS", "AUTH_USER_MODEL", "LANGUAGE_CODE", "LANGUAGES", "TIME_ZONE")


def enabled() -> bool:
    return os.environ.get("PARTNERPORTAL_TEST_DB_CACHE", "on").lower() not in {"0", "off", "no"}


def cache_dir() -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "test-db-cache"


def _plain(value: object) -> object:
    """A setting as plain data (lazy translations as their text)."""
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value if value is None or isinstance(value, (str, int, bool)) else str(value)


def _packages() -> list[str]:
    """The installed distributions with their versions: those of the environment's
    site-packages, whatever else a process has put on sys.path (pytest puts the checkout)."""
    paths = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    return sorted(
        {f"{d.metadata['Name']}=={d.version}".lower() for d in metadata.distributions(path=paths)}
    )


def _migration_files() -> list[tuple[str, Path, Path]]:
    """(app label, folder, file) for every file of every installed app's migrations."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    found = []
    for config in apps.get_app_configs():
        module_name, _explicit = MigrationLoader.migrations_module(config.label)
        if module_name is None:
            continue
        try:
            module = import_module(module_name)
        except ImportError:
            continue
        for folder in map(Path, getattr(module, "__path__", ())):
            for path in sorted(folder.rglob("*")):
                if path.is_file() and path.suffix in {".py", ".sql", ".json"}:
                    found.append((config.label, folder, path))
    return found


def template_key(connection) -> str:
    """The hash of everything a fresh migrate's result depends on: every installed app's
    migration files (names and contents), the installed packages and their versions, Python,
    the database engine (and its server's or library's version), the settings migrations read."""
    from django.conf import settings

    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(part if isinstance(part, bytes) else repr(part).encode())
            digest.update(b"\0")

    add(KEY_VERSION, sys.version, connection.vendor, connection.settings_dict["ENGINE"])
    if connection.vendor == "sqlite":
        add(sqlite3.sqlite_version)
    else:  # the server's version, asked without the (maybe not yet created) database
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT version()")
            add(cursor.fetchone()[0])
    # Codes and names only: a translated label's repr would carry its address in memory.
    add(*(_plain(getattr(settings, name, None)) for name in KEY_SETTINGS))
    add(*_packages())
    for label, folder, path in _migration_files():
        add(label, path.relative_to(folder).as_posix(), path.read_bytes())
    return digest.hexdigest()[:24]


def _pg_databases(connection, prefix: str) -> list[str]:
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            [prefix.replace("_", r"\_") + "%"],
        )
        return [row[0] for row in cursor.fetchall()]


def _pg_copy(connection, source: str, target: str) -> None:
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")


def slot(connection, key: str) -> str | None:
    """Where the template for this key is kept (a file or a database name); None where nothing
    is kept (PostgreSQL in CI, other engines). Asked before migrating: the name of a PostgreSQL
    template comes from the database's own name, which the test set-up then changes."""
    if connection.vendor == "sqlite":
        return str(cache_dir() / f"{key}.sqlite3")
    if connection.vendor == "postgresql" and os.environ.get("CI") != "true":
        return _pg_prefix(connection) + key
    return None


def _pg_prefix(connection) -> str:
    """The start of this checkout's PostgreSQL templates' names (63 characters at most)."""
    return f"test_{connection.settings_dict['NAME']}"[:32] + "_tpl_"


def exists(connection, slot: str) -> bool:
    if connection.vendor == "sqlite":
        return Path(slot).is_file()
    return slot in _pg_databases(connection, slot)


def restore(connection, slot: str, target: str) -> None:
    """Make the database `target` a copy of the kept template (replacing what is there)."""
    connection.close()
    if connection.vendor == "sqlite":
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(slot, target)
        os.utime(slot)  # used last: kept longest
    else:
        _pg_copy(connection, slot, target)


def store(connection, slot: str, source: str) -> None:
    """Keep a copy of the migrated database `source` (closed, nothing left in a WAL file) in
    `slot`, whole or not at all; drop what is stale."""
    connection.close()
    if connection.vendor == "sqlite":
        folder = Path(slot).parent
        folder.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=folder, suffix=".partial")
        os.close(handle)
        shutil.copyfile(source, partial)
        os.replace(partial, slot)
        prune(folder)
    else:
        prefix = slot.rsplit("_tpl_", 1)[0] + "_tpl_"
        partial = f"{prefix}partial_{os.getpid()}"
        _pg_copy(connection, source, partial)
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            for stale in _pg_databases(connection, prefix):  # other keys' templates
                if stale != partial:
                    cursor.execute(f"DROP DATABASE IF EXISTS {quote(stale)}")
            cursor.execute(f"ALTER DATABASE {quote(partial)} RENAME TO {quote(slot)}")


def prune(folder: Path, keep: int = KEEP) -> list[Path]:
    """Remove all but the `keep` templates used last, and copies left half-made over an hour
    ago; returns what was removed."""
    templates = sorted(folder.glob("*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True)
    removed = templates[keep:]
    removed += [p for p in folder.glob("*.partial") if p.stat().st_mtime < time.time() - 3600]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def clear(connection=None) -> None:
    """Remove every kept template of this checkout (`make clean-test-db`)."""
    shutil.rmtree(cache_dir(), ignore_errors=True)
    if connection is not None and connection.vendor == "postgresql":
        prefix = _pg_prefix(connection)
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            for name in _pg_databases(connection, prefix):
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
