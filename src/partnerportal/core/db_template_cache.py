"""The migrated test database, kept between test runs (docs/decisions/0015-test-database-cache.md).

A fresh migrate takes two minutes of CPU on a small machine, almost all of it Django rendering
the states of some 400 migrations (most of them Wagtail's). What it produces depends only on the
migration files, the installed packages and the database engine: the test set-up (conftest.py)
keeps one migrated database per combination of them, named by their hash (`template_key`), and
later runs copy it instead of migrating. A run whose migrations, packages or engine differ
computes another key and migrates anew; the post_migrate handlers (countries, pages, locales,
permissions) run again on every copy, as they do after each flush, so their data follows the
code of the moment too.

The databases the tests on real data start from (the Gemeindeverzeichnis imported, and the twin
towns too) are kept the same way, each of a `kind`, under a key (`data_key`) made of the
template's key, the data files' bytes and our source code's (the importers and all they call):
an import takes half a minute and more, and gives the same database while none of them changes.
What the import reported (its output, its counts, its duration) is kept beside it (`facts`).

SQLite: files in var/test-db-cache/<kind>-<key>.sqlite3 (the template: <key>.sqlite3), the three
used last of each kind are kept. PostgreSQL: a database test_<NAME>_tpl_<kind>_<key> on the
server, only outside CI (CI=true: a run leaves no database behind); those of other keys of the
same kind are dropped. PARTNERPORTAL_TEST_DB_CACHE=off switches the cache off; `make
clean-test-db` (or deleting the folder) clears it."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterable
from importlib import import_module, metadata
from pathlib import Path

#: The hash's own version: raised when what goes into it changes.
KEY_VERSION = "1"
#: SQLite templates kept (the ones used last): a checkout switching between a few branches
#: does not migrate at each switch.
KEEP = 3
#: What the settings give the migrations to work with, beyond the migration files.
KEY_SETTINGS = ("INSTALLED_APPS", "AUTH_USER_MODEL", "LANGUAGE_CODE", "LANGUAGES", "TIME_ZONE")
#: Our code, which an import runs: every module of the package but the tests, and the message
#: catalogues (an import's output is translated).
SOURCE = Path(__file__).resolve().parent.parent
SOURCE_SUFFIXES = (".py", ".po")
#: A kept database's kind: the template's is "", the others a short word (a PostgreSQL name has
#: 63 characters at most).
KIND = re.compile(r"[a-z]{0,8}")


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


def _source_files(root: Path) -> list[Path]:
    """The files of our code an import may run or read: not the tests' (conftest.py, test_*.py,
    anything in a tests folder), which a test run changes more often than anything else."""
    return sorted(
        path
        for path in root.rglob("*")
        if path.suffix in SOURCE_SUFFIXES
        and path.is_file()
        and "tests" not in path.relative_to(root).parts
        and "__pycache__" not in path.parts
        and not path.name.startswith("test_")
        and path.name != "conftest.py"
    )


def data_key(template: str, kind: str, files: Iterable[Path], source: Path = SOURCE) -> str:
    """The hash of everything a database built on the template `template` (its key) by
    importing `files` depends on: that template, the kind of database, the files' names and
    bytes, and every file of our code (`_source_files`: the importers and whatever they call;
    a change anywhere makes a new import, conservative rather than clever)."""
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(part if isinstance(part, bytes) else repr(part).encode())
            digest.update(b"\0")

    add(KEY_VERSION, template, kind)
    for path in files:
        add(Path(path).name, hashlib.sha256(Path(path).read_bytes()).digest())
    for path in _source_files(source):
        add(path.relative_to(source).as_posix(), path.read_bytes())
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


def slot(connection, key: str, kind: str = "", database: str | None = None) -> str | None:
    """Where the database of this kind and key is kept (a file or a database name); None where
    nothing is kept (PostgreSQL in CI, other engines). The name of a PostgreSQL template comes
    from the database's own name (`database`, else the connection's), which the test set-up
    changes: asked before migrating, or with the name the settings gave."""
    assert KIND.fullmatch(kind), kind
    if connection.vendor == "sqlite":
        return str(cache_dir() / (f"{kind}-{key}.sqlite3" if kind else f"{key}.sqlite3"))
    if connection.vendor == "postgresql" and os.environ.get("CI") != "true":
        return (_pg_prefix(connection, database) + (f"{kind}_" if kind else "") + key)[:63]
    return None


def _pg_prefix(connection, database: str | None = None) -> str:
    """The start of this checkout's PostgreSQL templates' names (63 characters at most)."""
    return f"test_{database or connection.settings_dict['NAME']}"[:32] + "_tpl_"


def exists(connection, slot: str) -> bool:
    if connection.vendor == "sqlite":
        return Path(slot).is_file()
    return slot in _pg_databases(connection, slot)


def facts(connection, slot: str) -> dict | None:
    """What was stored with the database in `slot` (`store(facts=...)`), None where it is not
    kept (or was kept without them)."""
    if connection.vendor == "sqlite":
        if not exists(connection, slot):
            return None
        try:
            return json.loads(Path(f"{slot}.json").read_text())
        except FileNotFoundError:
            return None
    with connection._nodb_cursor() as cursor:  # kept as the database's comment
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [slot],
        )
        row = cursor.fetchone()
    return json.loads(row[0]) if row and row[0] else None


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


def store(connection, slot: str, source: str, facts: dict | None = None) -> None:
    """Keep a copy of the database `source` (closed, nothing left in a WAL file) in `slot`,
    whole or not at all, with `facts` (plain data) beside it; drop what is stale."""
    connection.close()
    if connection.vendor == "sqlite":
        folder = Path(slot).parent
        folder.mkdir(parents=True, exist_ok=True)
        if facts is not None:  # first: a database kept is never without its facts
            handle, partial = tempfile.mkstemp(dir=folder, suffix=".partial")
            with os.fdopen(handle, "w") as file:
                json.dump(facts, file)
            os.replace(partial, f"{slot}.json")
        handle, partial = tempfile.mkstemp(dir=folder, suffix=".partial")
        os.close(handle)
        shutil.copyfile(source, partial)
        os.replace(partial, slot)
        prune(folder)
    else:
        prefix = slot.rsplit("_tpl_", 1)[0] + "_tpl_"
        kind = slot[len(prefix) :].rpartition("_")[0]
        partial = f"{prefix}partial_{os.getpid()}"
        _pg_copy(connection, source, partial)
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            if facts is not None:
                # A utility statement: the driver puts the value in as a literal.
                cursor.execute(f"COMMENT ON DATABASE {quote(partial)} IS %s", [json.dumps(facts)])
            for stale in _pg_databases(connection, prefix):  # this kind's other keys
                other = stale[len(prefix) :].rpartition("_")[0]
                if stale != partial and other in {kind, "partial"}:
                    cursor.execute(f"DROP DATABASE IF EXISTS {quote(stale)}")
            cursor.execute(f"ALTER DATABASE {quote(partial)} RENAME TO {quote(slot)}")


def prune(folder: Path, keep: int = KEEP) -> list[Path]:
    """Remove all but the `keep` databases used last of each kind (their facts with them), and
    copies left half-made over an hour ago; returns what was removed."""
    kept = sorted(folder.glob("*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True)
    kinds: dict[str, list[Path]] = {}
    for path in kept:
        kinds.setdefault(path.stem.rpartition("-")[0], []).append(path)
    removed = [path for paths in kinds.values() for path in paths[keep:]]
    removed += [p for p in folder.glob("*.partial") if p.stat().st_mtime < time.time() - 3600]
    for path in removed:
        path.unlink(missing_ok=True)
        Path(f"{path}.json").unlink(missing_ok=True)
    return removed


def clear(connection=None) -> None:
    """Remove every kept database of this checkout (`make clean-test-db`)."""
    shutil.rmtree(cache_dir(), ignore_errors=True)
    if connection is not None and connection.vendor == "postgresql":
        prefix = _pg_prefix(connection)
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            for name in _pg_databases(connection, prefix):
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
