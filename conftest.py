"""Shared fixtures: the site structure every page needs, and one logged-in client per role.

Under pytest-xdist (`make test` runs `-n 2`) the test database is migrated once per run, not
once per worker: the controlling process migrates a template (migrate and its post_migrate
handlers: the cache table, the countries, the home and legal pages) while the workers start
and collect, and each worker works on a copy of it (Django's `clone_test_db`, as
`manage.py test --parallel` does: a file copy on SQLite, `CREATE DATABASE ... TEMPLATE` on
PostgreSQL). Migrating takes about 15 s of CPU, most of it Django rendering the migration
states of 200-odd migrations. Should the controller fail, the first worker migrates instead.

The real Destatis Gemeindeverzeichnis (../shared/data) is imported once per run in the same way:
the first test that asks for `gemeindeverzeichnis_db` imports it into a copy of its database,
and every test that asks for it works on a copy of that, in a transaction rolled back after the
test (the import takes some 10 s of CPU, and three tests start from it). The same for the real
registry (`real_registry_db`: the twin towns imported too, half a minute and more). Both, and
the real round trip's start (`twin_cities_sample_db`), are kept between runs like the migrated
template, and copied while the data files and our code are unchanged (ADR 0015)."""

import fcntl
import gc
import json
import tempfile
import threading
import time
import traceback
import uuid
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import pytest

#: The real reference data, where the project workspace has it (CI has it).
SHARED_DATA = Path(__file__).resolve().parent / ".." / "shared" / "data"
GEMEINDEVERZEICHNIS = SHARED_DATA / "gemeindeverzeichnis_destatis.csv"
TWIN_CITIES = SHARED_DATA / "twin_cities.csv"


def _worker_id(config) -> str | None:
    return getattr(config, "workerinput", {}).get("workerid")


def _run_state(testrunuid: str) -> Path:
    """Where the workers of one run note the templates they made (the controller drops them)."""
    return Path(tempfile.gettempdir()) / f"partnerportal-test-{testrunuid[:12]}.json"


@contextmanager
def _run_lock(testrunuid: str, what: str = ""):
    """The run's lock (short: the state file, the copies); with `what`, the lock of one database
    built for the run, held while it is built, so that only the processes that need it wait."""
    suffix = f".{what}.lock" if what else ".lock"
    with _run_state(testrunuid).with_suffix(suffix).open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _sqlite_leftovers_remove(connection, name: str) -> None:
    """Django removes a SQLite test database's file, not its -wal and -shm files beside it."""
    if connection.vendor == "sqlite" and not connection.creation.is_in_memory_db(name):
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)


def _template_make(connection, verbosity: int, fresh: bool = False) -> str:
    """A new migrated test database, ready to be copied; returns its name. A copy of the one
    kept for the same migrations, packages and engine where there is one (and not `fresh`:
    --create-db), else migrated and then kept (partnerportal/core/db_template_cache.py)."""
    from partnerportal.core import db_template_cache as kept

    started = time.perf_counter()
    slot = kept.slot(connection, kept.template_key(connection)) if kept.enabled() else None
    if slot and not fresh and kept.exists(connection, slot):
        try:
            name = _template_copy(connection, slot, verbosity)
        except FileNotFoundError:  # removed meanwhile by another run's pruning: migrate
            pass
        else:
            _template_notes.append(f"a copy of {slot} ({time.perf_counter() - started:.1f} s)")
            return name
    connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
    _sqlite_checkpoint(connection)  # the copy is of the database file alone
    connection.close()
    name = connection.settings_dict["NAME"]
    if slot:
        kept.store(connection, slot, name)
    kept_as = f", kept as {slot}" if slot else ""
    _template_notes.append(f"migrated ({time.perf_counter() - started:.1f} s){kept_as}")
    return name


#: How this process got its test database (shown at the end of the run).
_template_notes: list[str] = []


def pytest_terminal_summary(terminalreporter):
    for note in _template_notes:
        terminalreporter.write_line(f"Test database: {note}")


def _template_copy(connection, slot: str, verbosity: int) -> str:
    """What `create_test_db` does, with a copy of the kept template instead of migrating; the
    post_migrate handlers run on it, as after every flush, so that the countries, pages and
    permissions they make follow the code of the moment."""
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.sql import emit_post_migrate_signal

    from partnerportal.core import db_template_cache as kept

    name = connection.creation._get_test_db_name()
    kept.restore(connection, slot, name)
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    emit_post_migrate_signal(max(verbosity - 1, 0), False, connection.alias)
    call_command("createcachetable", database=connection.alias)
    _sqlite_checkpoint(connection)
    connection.close()
    return name


#: The controller's migration, running while the workers start.
_template_thread: list[threading.Thread] = []


@pytest.hookimpl(tryfirst=True)  # before xdist starts the workers
def pytest_sessionstart(session):
    config = session.config
    testrunuid = getattr(config.option, "testrunuid", None)
    if (
        _worker_id(config) is not None
        or not testrunuid
        or not getattr(config.option, "numprocesses", None)
        or config.getvalue("reuse_db")
        or config.getvalue("nomigrations")
    ):
        return
    lock = _run_state(testrunuid).with_suffix(".lock").open("w")
    fcntl.flock(lock, fcntl.LOCK_EX)  # the workers wait here until the template is there

    def make() -> None:
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        try:
            with config.stash[blocking_manager_key].unblock():
                name = _template_make(
                    connections["default"], verbosity=0, fresh=config.getvalue("create_db")
                )
            _run_state(testrunuid).write_text(json.dumps({"default": name}))
        except Exception:
            traceback.print_exc()  # the first worker migrates instead
        finally:
            connections["default"].close()
            fcntl.flock(lock, fcntl.LOCK_UN)
            lock.close()

    thread = threading.Thread(target=make, name="test-database-template", daemon=True)
    thread.start()
    _template_thread.append(thread)


#: The tests that take seconds each (measured with --durations; the real reference data, the
#: schema fuzzing, the permission matrix). They are handed out first among their kind, so that
#: the two workers share them and none is left running alone at the end. Only an order: a name
#: missing here or gone from the suite changes nothing else.
SLOW_FIRST = (
    # Imports the GV and the twin towns into the run's real registry (real_registry_db).
    "test_real_data_resolves_at_least_97_percent_of_german_sides",
    "test_every_operation_answers_as_documented",  # while the other worker imports the GV
    "test_real_data_round_trip",
    "test_real_file",
    "test_countries_from_the_real_twinnings_answer_as_documented",
    "test_permission_matrix",
    "test_demo_data_creates_everything_and_is_idempotent",
    "test_shipped_gazetteer_knows_larger_cities",
    "test_check_deploy_is_clean_for_production_settings",
    "test_parallel_edits_each_adding_a_theme_lose_none",
)


#: The tests on the run's real registry other than the one that builds it: handed out last
#: among their kind, when it has long been built, so that no worker waits for it.
REAL_REGISTRY_LATE = (
    "test_figures_agree_on_the_real_data",
    "test_clusters_never_overlap_on_the_real_data",
)


def _database_use(item) -> int:
    """0: no database; 1: a transaction rolled back after the test; 2: a transactional test,
    whose flush empties the tables (the data migrations' rows with them), so it comes last."""
    fixtures = getattr(item, "fixturenames", ())
    if REAL_DATA_FIXTURES & set(fixtures):  # no django_db mark
        return 1
    marks = list(item.iter_markers("django_db"))
    if {"transactional_db", "live_server"} & set(fixtures) or any(
        mark.kwargs.get("transaction") or mark.kwargs.get("reset_sequences") or any(mark.args)
        for mark in marks
    ):
        return 2
    return 1 if marks or "db" in fixtures else 0


@pytest.hookimpl(trylast=True)  # after pytest-django's own order, which this one keeps
def pytest_collection_modifyitems(config, items):
    """The tests without a database first: the workers run them while the controller still
    migrates the template. Then the others as pytest-django orders them (transactional tests
    last), the slow ones of each kind first."""

    def rank(item) -> tuple[int, int]:
        name = getattr(item, "originalname", item.name)
        slow = SLOW_FIRST.index(name) if name in SLOW_FIRST else len(SLOW_FIRST)
        if name in REAL_REGISTRY_LATE:
            slow = len(SLOW_FIRST) + 1
        return (_database_use(item), slow)

    items.sort(key=rank)  # stable: the rest keeps its order


#: The garbage collector's thresholds in a test process: a young collection after 50,000 new
#: objects instead of 700, a full one seldom. A test makes and drops whole object graphs (Django
#: models, templates, responses); with Python's defaults the workers spent 16 s of 150 s of CPU
#: in 15,000 collections, with these 9 s in 1,400. Cycles still go; memory stays small.
TEST_GC_THRESHOLDS = (50_000, 50, 1_000)


def pytest_collection_finish(session):
    """What is there once the tests are collected (Django, Wagtail, every module and test) lives
    as long as the process: the garbage collector leaves it out from now on (gc.freeze). A full
    collection then walks only what the tests made, and the tests that collect on purpose (the
    image factories, after each rendition) took a quarter of a second each for it."""
    gc.freeze()
    gc.set_threshold(*TEST_GC_THRESHOLDS)


def pytest_configure(config):
    # The controller picks the run's id itself, so that it finds the templates afterwards.
    if _worker_id(config) is None and getattr(config.option, "testrunuid", "x") is None:
        config.option.testrunuid = uuid.uuid4().hex
    # xdist hands each worker its tests in chunks of consecutive ones (a quarter of a worker's
    # share at first): the slow tests, which come first among their kind, all went into one
    # worker's chunk, and the other one finished half a minute earlier. One test at a time
    # (each worker still holds the next) lets the order above decide, unless asked otherwise.
    if getattr(config.option, "maxschedchunk", 0) is None:
        config.option.maxschedchunk = 1


@pytest.fixture(scope="session")
def django_db_modify_db_settings_xdist_suffix():
    """The workers' databases are named by `clone_test_db` (test_NAME_gw0, ...) below."""


#: The databases' names as the settings give them, before the test set-up renames them: the
#: kept PostgreSQL databases are named after them (core/db_template_cache.py).
_settings_names: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's django_db_setup; in an xdist worker, a copy of the run's template."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    verbosity = request.config.option.verbose
    worker = _worker_id(request.config)
    _settings_names.update(
        {alias: connections[alias].settings_dict["NAME"] for alias in connections}
    )
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    if any(REAL_DATA_FIXTURES & set(getattr(i, "fixturenames", ())) for i in request.session.items):
        aliases.add("default")  # a test database to copy (pytest-django knows only `db`)
    if not django_db_use_migrations:
        _disable_migrations()
    if worker is None and django_db_use_migrations and not (django_db_keepdb or serialized_aliases):
        # One process: its test database is a copy of the kept template, or migrated and kept.
        restore = {}
        with django_db_blocker.unblock():
            for alias in sorted(aliases):
                restore[alias] = connections[alias].settings_dict["NAME"]
                _template_make(connections[alias], verbosity, fresh=django_db_createdb)
        yield
        with django_db_blocker.unblock():
            for alias, old_name in restore.items():
                name = connections[alias].settings_dict["NAME"]
                connections[alias].creation.destroy_test_db(old_name, verbosity=verbosity)
                _sqlite_leftovers_remove(connections[alias], name)
        return
    if worker is None or django_db_keepdb or serialized_aliases:
        # Without workers (or with --reuse-db): pytest-django's own way, with its xdist suffix.
        if worker is not None:
            from pytest_django.fixtures import _set_suffix_to_test_databases

            _set_suffix_to_test_databases(suffix=worker)
        keepdb = {"keepdb": True} if django_db_keepdb and not django_db_createdb else {}
        with django_db_blocker.unblock():
            db_cfg = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
                **keepdb,
            )
        yield
        if not django_db_keepdb:
            with django_db_blocker.unblock():
                teardown_databases(db_cfg, verbosity=verbosity)
        return

    testrunuid = request.config.workerinput["testrunuid"]
    restore = {}
    with django_db_blocker.unblock(), _run_lock(testrunuid):
        state_path = _run_state(testrunuid)
        state = json.loads(state_path.read_text()) if state_path.exists() else {}
        for alias in sorted(aliases):
            connection = connections[alias]
            creation = connection.creation
            if alias in state:
                restore[alias] = connection.settings_dict["NAME"]
                connection.settings_dict["NAME"] = state[alias]
            else:
                restore[alias] = connection.settings_dict["NAME"]
                state[alias] = _template_make(connection, verbosity, fresh=django_db_createdb)
                state_path.write_text(json.dumps(state))
            connection.close()
            creation.clone_test_db(suffix=worker, verbosity=verbosity, autoclobber=True)
            # In place: the threads of live_server and of the concurrency tests open their own
            # connections from this dictionary.
            connection.settings_dict.update(creation.get_test_db_clone_settings(worker))
            connection.close()

    yield

    with django_db_blocker.unblock():
        for alias, old_name in restore.items():
            clone = connections[alias].settings_dict["NAME"]
            connections[alias].creation.destroy_test_db(old_name, verbosity=verbosity)
            _sqlite_leftovers_remove(connections[alias], clone)


def pytest_sessionfinish(session):
    """In the xdist controller: drop the run's template database."""
    config = session.config
    testrunuid = getattr(config.option, "testrunuid", None)
    if _worker_id(config) is not None or not testrunuid:
        return
    for thread in _template_thread:
        thread.join()
    state_path = _run_state(testrunuid)
    if not state_path.exists():
        return
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    state = json.loads(state_path.read_text())
    databases = [(alias, name) for alias, name in state.items() if alias in connections]
    for key in BUILT_KEYS:
        if key in state:
            databases.append(("default", state[key]["name"]))
    with config.stash[blocking_manager_key].unblock():
        for alias, name in databases:
            connections[alias].creation._destroy_test_db(name, verbosity=0)
            connections[alias].close()
            _sqlite_leftovers_remove(connections[alias], name)
    state_path.unlink()
    for suffix in (".lock", *(f".{key}.lock" for key in BUILT_KEYS)):
        state_path.with_suffix(suffix).unlink(missing_ok=True)


GEMEINDEVERZEICHNIS_KEY = "gemeindeverzeichnis"
REAL_REGISTRY_KEY = "real_registry"
#: The databases built for a run besides the migrated template (the controller drops them).
BUILT_KEYS = (GEMEINDEVERZEICHNIS_KEY, REAL_REGISTRY_KEY)
#: Their kinds among the kept databases (core/db_template_cache.py: short, a PostgreSQL name's).
GEMEINDEVERZEICHNIS_KIND = "gv"
REAL_REGISTRY_KIND = "twins"
TWIN_CITIES_SAMPLE_KIND = "sample"
#: Lines of twin_cities.csv in the sample that the real round trip starts from (the whole file
#: takes about a minute).
TWIN_CITIES_SAMPLE_ROWS = 3000
#: The fixtures that give a database on real data instead of `db`.
REAL_DATA_FIXTURES = {"gemeindeverzeichnis_db", "real_registry_db", "twin_cities_sample_db"}


def _sqlite_checkpoint(connection) -> None:
    """A SQLite database is copied as its file alone: nothing may wait in the WAL file."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@contextmanager
def _database_named(connection, name: str):
    """The connection on another database of the same server for a while (closed before and
    after: the next query opens it on the right one)."""
    original = connection.settings_dict["NAME"]
    _sqlite_checkpoint(connection)
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def _clone(connection, source: str, suffix: str) -> str:
    """A copy of the database `source` (file copy or CREATE DATABASE ... TEMPLATE)."""
    with _database_named(connection, source):
        connection.creation.clone_test_db(suffix=suffix, verbosity=0, autoclobber=True)
        return connection.creation.get_test_db_clone_settings(suffix)["NAME"]


def _kept_or_built(request, connection, kind: str, files, suffix: str, build) -> dict:
    """A database that the tests on real data start from: a copy (named for `suffix`, like a
    clone of this process's test database) of the one kept for the same template, data files
    and code where there is one (and not --create-db), else the one `build()` makes (a copy it
    imports into: its `name` and the facts, output, counts, duration), then kept with its facts
    (core/db_template_cache.py, ADR 0015). Returns the facts with the database's `name`."""
    from partnerportal.core import db_template_cache as kept

    started = time.perf_counter()
    slot = None
    if kept.enabled():
        # This file too: it says how the import is called.
        key = kept.data_key(kept.template_key(connection), kind, [*files, Path(__file__)])
        slot = kept.slot(connection, key, kind, database=_settings_names.get(connection.alias))
    fresh = request.config.getvalue("create_db")
    facts = kept.facts(connection, slot) if slot and not fresh else None
    if facts is not None:
        name = connection.creation.get_test_db_clone_settings(suffix)["NAME"]
        try:
            kept.restore(connection, slot, name)
        except FileNotFoundError:  # removed meanwhile by another run's pruning: import
            pass
        else:
            _template_notes.append(
                f"{kind}: a copy of {slot} ({time.perf_counter() - started:.1f} s)"
            )
            return {**facts, "name": name}
    built = build()
    name = built.pop("name")
    if slot:
        kept.store(connection, slot, name, built)
    kept_as = f", kept as {slot}" if slot else ""
    _template_notes.append(f"{kind}: imported ({time.perf_counter() - started:.1f} s){kept_as}")
    return {**built, "name": name}


def _gemeindeverzeichnis_import(request, connection, suffix: str = "gv") -> dict:
    """A copy of this process's (still empty) test database with the real Gemeindeverzeichnis
    imported, committed (or the copy kept of it); its name, the import's output and how long
    the import took."""
    from django.core.management import call_command
    from django.utils import translation

    def build() -> dict:
        name = _clone(connection, connection.settings_dict["NAME"], suffix)
        try:
            with _database_named(connection, name), translation.override("en"):
                out = StringIO()
                started = time.perf_counter()
                call_command(
                    "import_municipalities", str(GEMEINDEVERZEICHNIS), stdout=out, stderr=StringIO()
                )
                seconds = time.perf_counter() - started
                _sqlite_checkpoint(connection)
        except BaseException:
            _drop(connection, name)
            raise
        return {"name": name, "output": out.getvalue(), "seconds": seconds}

    return _kept_or_built(
        request, connection, GEMEINDEVERZEICHNIS_KIND, [GEMEINDEVERZEICHNIS], suffix, build
    )


def _run_built(request, connection, key: str, build) -> dict:
    """The run's database `key` under xdist: built by the first process that asks (`build()`
    returns its name and facts), while the others that ask wait; noted in the run's state, which
    the controller reads to drop it at the end."""
    testrunuid = request.config.workerinput["testrunuid"]
    with _run_lock(testrunuid, key):
        with _run_lock(testrunuid):
            state = json.loads(_run_state(testrunuid).read_text())
        if key not in state:
            built = build()
            with _run_lock(testrunuid):
                state = json.loads(_run_state(testrunuid).read_text())
                state[key] = built
                _run_state(testrunuid).write_text(json.dumps(state))
        return state[key]


def _under_xdist(request) -> bool:
    """A worker of a run whose controller keeps the state (else: one process does it all)."""
    testrunuid = getattr(request.config, "workerinput", {}).get("testrunuid")
    return bool(_worker_id(request.config) and testrunuid and _run_state(testrunuid).exists())


def _own_copy(request, connection, source: str) -> str:
    """This worker's copy of one of the run's databases (copies one at a time: PostgreSQL copies
    a template only while nobody else is connected to it)."""
    with _run_lock(request.config.workerinput["testrunuid"]):
        return _clone(connection, source, _worker_id(request.config))


def _drop(connection, name: str) -> None:
    connection.creation._destroy_test_db(name, verbosity=0)
    _sqlite_leftovers_remove(connection, name)


def _test_database(connection):
    # Never the development database: only a test database set up above is copied.
    assert "test" in Path(str(connection.settings_dict["NAME"])).name, "no test database"
    return connection


def _run_gemeindeverzeichnis(request, connection) -> dict:
    """The run's database with the real Gemeindeverzeichnis (under xdist)."""
    return _run_built(
        request,
        connection,
        GEMEINDEVERZEICHNIS_KEY,
        lambda: _gemeindeverzeichnis_import(request, connection),
    )


@pytest.fixture(scope="session")
def _gemeindeverzeichnis_database(request, django_db_setup, django_db_blocker):
    """This process's copy of the database with the real Gemeindeverzeichnis: under xdist a
    copy of the one the run's first asking worker imported (noted in the run's state, dropped
    by the controller), else imported here."""
    if not GEMEINDEVERZEICHNIS.is_file():
        pytest.skip("../shared/data/gemeindeverzeichnis_destatis.csv is not there")
    from django.db import connections

    connection = _test_database(connections["default"])
    with django_db_blocker.unblock():
        if not _under_xdist(request):
            imported = _gemeindeverzeichnis_import(request, connection)  # one process: as it is
            own = imported["name"]
        else:
            imported = _run_gemeindeverzeichnis(request, connection)
            own = _own_copy(request, connection, imported["name"])
    yield {**imported, "name": own, "path": GEMEINDEVERZEICHNIS}
    with django_db_blocker.unblock():
        _drop(connection, own)


@contextmanager
def _rolled_back_on(name: str, django_db_blocker):
    """Database access on the run's database `name`, in a transaction rolled back afterwards (as
    with `db`): what the fixtures on real data give a test."""
    from django.db import connections, transaction

    with (
        django_db_blocker.unblock(),
        _database_named(connections["default"], name),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


@pytest.fixture
def gemeindeverzeichnis_db(_gemeindeverzeichnis_database, django_db_blocker):
    """Database access on a database holding the real Destatis Gemeindeverzeichnis (skipped
    where ../shared/data is not there), instead of `db`: the test runs in a transaction that is
    rolled back afterwards, as with `db`. Gives the first import's output and duration."""
    with _rolled_back_on(_gemeindeverzeichnis_database["name"], django_db_blocker):
        yield _gemeindeverzeichnis_database


def _twin_cities_import(request, connection, make_copy) -> dict:
    """The real twin towns list imported into a copy of the database with the
    Gemeindeverzeichnis (`make_copy()` makes it and returns its name), committed, or the copy
    kept of it; its name, the import's counts and how long it took."""

    def build() -> dict:
        import dataclasses

        from django.utils import translation

        from partnerportal.registry.importers.twinnings import import_twinnings

        name = make_copy()
        try:
            with _database_named(connection, name), translation.override("en"):
                started = time.perf_counter()
                outcome = import_twinnings(TWIN_CITIES)
                seconds = time.perf_counter() - started
                _sqlite_checkpoint(connection)
        except BaseException:
            _drop(connection, name)
            raise
        counts = {f.name: getattr(outcome, f.name) for f in dataclasses.fields(outcome)}
        counts["run"] = outcome.run.pk
        return {"name": name, "outcome": counts, "seconds": seconds}

    files = [GEMEINDEVERZEICHNIS, TWIN_CITIES]
    return _kept_or_built(request, connection, REAL_REGISTRY_KIND, files, "twins", build)


@pytest.fixture(scope="session")
def _real_registry_database(request, django_db_setup, django_db_blocker):
    """This process's copy of the real registry: the Gemeindeverzeichnis and the whole twin
    towns list imported once per run (by the first worker that asks; the twin towns alone take
    half a minute and more), instead of once in each test on real data; or the copy kept of it
    (ADR 0015)."""
    if not (GEMEINDEVERZEICHNIS.is_file() and TWIN_CITIES.is_file()):
        pytest.skip("../shared/data is not there")
    from django.db import connections

    connection = _test_database(connections["default"])

    with django_db_blocker.unblock():
        if not _under_xdist(request):  # one process: imported here and used as it is
            built = _twin_cities_import(
                request,
                connection,
                lambda: _gemeindeverzeichnis_import(request, connection, "twins")["name"],
            )
            own = built["name"]
        else:
            testrunuid = request.config.workerinput["testrunuid"]

            def copy() -> str:
                source = _run_gemeindeverzeichnis(request, connection)["name"]
                with _run_lock(testrunuid):
                    return _clone(connection, source, "twins")

            built = _run_built(
                request,
                connection,
                REAL_REGISTRY_KEY,
                lambda: _twin_cities_import(request, connection, copy),
            )
            own = _own_copy(request, connection, built["name"])
    yield {**built, "name": own}
    with django_db_blocker.unblock():
        _drop(connection, own)


@pytest.fixture(scope="session")
def _twin_cities_sample_database(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """This process's database with the real Gemeindeverzeichnis and the first lines of the
    real twin towns list imported (the start of the real round trip, which only one test
    makes): kept between runs like the others, else imported into a copy of this process's
    database with the Gemeindeverzeichnis."""
    if not (GEMEINDEVERZEICHNIS.is_file() and TWIN_CITIES.is_file()):
        pytest.skip("../shared/data is not there")
    from django.db import connections

    from partnerportal.registry.importers.twinnings import import_twinnings

    connection = _test_database(connections["default"])
    sample = tmp_path_factory.mktemp("twin-cities-sample") / "twins.csv"
    with TWIN_CITIES.open(encoding="utf-8-sig") as source:
        rows = [line for _, line in zip(range(TWIN_CITIES_SAMPLE_ROWS + 1), source, strict=False)]
    sample.write_text("".join(rows), encoding="utf-8")

    def build() -> dict:
        gemeindeverzeichnis = request.getfixturevalue("_gemeindeverzeichnis_database")["name"]
        name = _clone(connection, gemeindeverzeichnis, TWIN_CITIES_SAMPLE_KIND)
        try:
            with _database_named(connection, name):
                import_twinnings(sample)
                _sqlite_checkpoint(connection)
        except BaseException:
            _drop(connection, name)
            raise
        return {"name": name}

    with django_db_blocker.unblock():
        built = _kept_or_built(
            request,
            connection,
            TWIN_CITIES_SAMPLE_KIND,
            [GEMEINDEVERZEICHNIS, sample],  # the sample's lines, not only how many
            TWIN_CITIES_SAMPLE_KIND,
            build,
        )
    yield {**built, "rows": TWIN_CITIES_SAMPLE_ROWS}
    with django_db_blocker.unblock():
        _drop(connection, built["name"])


@pytest.fixture
def twin_cities_sample_db(_twin_cities_sample_database, django_db_blocker):
    """Database access, instead of `db`, on the real Gemeindeverzeichnis with the first
    `rows` lines of ../shared/data/twin_cities.csv imported (skipped where they are not there),
    in a transaction rolled back after the test."""
    with _rolled_back_on(_twin_cities_sample_database["name"], django_db_blocker):
        yield _twin_cities_sample_database


@pytest.fixture
def real_registry_db(_real_registry_database, django_db_blocker):
    """Database access, instead of `db`, on the real registry: the Destatis Gemeindeverzeichnis
    and ../shared/data/twin_cities.csv imported (skipped where they are not there), in a
    transaction rolled back after the test. Gives the twin towns import's outcome
    (`outcome`, a TwinningsOutcome) and its duration (`seconds`)."""
    from partnerportal.registry.importers.twinnings.report import TwinningsOutcome
    from partnerportal.registry.models import ImportRun

    with _rolled_back_on(_real_registry_database["name"], django_db_blocker):
        counts = dict(_real_registry_database["outcome"])
        counts["run"] = ImportRun.objects.get(pk=counts["run"])
        yield {**_real_registry_database, "outcome": TwinningsOutcome(**counts)}


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request to an /en/ page activates English in
    the test's thread, and reverse() in the next test would otherwise build English URLs."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def site(db):
    """The German home page. The site's structure (home page in German and English, legal pages,
    article lists, review workflow, the staff's page permissions) is built once per run, when
    the template is migrated (content's post_migrate handler, which a flush runs again), so a
    test only looks the home page up; built here only in a database that lacks it."""
    from partnerportal.content.models import HomePage

    home = HomePage.objects.filter(locale__language_code="de").first()
    if home is None:
        from partnerportal.content.services import site_structure_ensure

        home = site_structure_ensure()
    return home


@pytest.fixture
def client():
    """Django's test client, except that force_login also records the second factor for a
    person who has one (a complete login); the doors' own tests use the plain client."""
    from partnerportal.accounts.tests.clients import Client

    return Client()
