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
test (the import takes some 10 s of CPU, and three tests start from it)."""

import fcntl
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


def _worker_id(config) -> str | None:
    return getattr(config, "workerinput", {}).get("workerid")


def _run_state(testrunuid: str) -> Path:
    """Where the workers of one run note the templates they made (the controller drops them)."""
    return Path(tempfile.gettempdir()) / f"partnerportal-test-{testrunuid[:12]}.json"


@contextmanager
def _run_lock(testrunuid: str):
    with _run_state(testrunuid).with_suffix(".lock").open("w") as handle:
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


def _template_make(connection, verbosity: int) -> str:
    """Migrate a new test database and leave it ready to be copied; returns its name."""
    connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
    if connection.vendor == "sqlite":
        # The copy is of the database file alone: nothing may wait in the WAL file.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return connection.settings_dict["NAME"]


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
                name = _template_make(connections["default"], verbosity=0)
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


def _database_use(item) -> int:
    """0: no database; 1: a transaction rolled back after the test; 2: a transactional test,
    whose flush empties the tables (the data migrations' rows with them), so it comes last."""
    fixtures = getattr(item, "fixturenames", ())
    if "gemeindeverzeichnis_db" in fixtures:  # a database of its own, no django_db mark
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
        return (_database_use(item), slow)

    items.sort(key=rank)  # stable: the rest keeps its order


def pytest_configure(config):
    # The controller picks the run's id itself, so that it finds the templates afterwards.
    if _worker_id(config) is None and getattr(config.option, "testrunuid", "x") is None:
        config.option.testrunuid = uuid.uuid4().hex


@pytest.fixture(scope="session")
def django_db_modify_db_settings_xdist_suffix():
    """The workers' databases are named by `clone_test_db` (test_NAME_gw0, ...) below."""


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
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    if any(
        "gemeindeverzeichnis_db" in getattr(i, "fixturenames", ()) for i in request.session.items
    ):
        aliases.add("default")  # a test database to copy (pytest-django knows only `db`)
    if not django_db_use_migrations:
        _disable_migrations()
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
                state[alias] = _template_make(connection, verbosity)
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
    if GEMEINDEVERZEICHNIS_KEY in state:
        databases.append(("default", state[GEMEINDEVERZEICHNIS_KEY]["name"]))
    with config.stash[blocking_manager_key].unblock():
        for alias, name in databases:
            connections[alias].creation._destroy_test_db(name, verbosity=0)
            connections[alias].close()
            _sqlite_leftovers_remove(connections[alias], name)
    state_path.unlink()
    state_path.with_suffix(".lock").unlink(missing_ok=True)


GEMEINDEVERZEICHNIS_KEY = "gemeindeverzeichnis"


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


def _gemeindeverzeichnis_import(connection) -> dict:
    """A copy of this process's (still empty) test database with the real Gemeindeverzeichnis
    imported, committed; its name, the import's output and how long the import took."""
    from django.core.management import call_command
    from django.utils import translation

    name = _clone(connection, connection.settings_dict["NAME"], "gv")
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
        connection.creation._destroy_test_db(name, verbosity=0)
        _sqlite_leftovers_remove(connection, name)
        raise
    return {"name": name, "output": out.getvalue(), "seconds": seconds}


@pytest.fixture(scope="session")
def _gemeindeverzeichnis_database(request, django_db_setup, django_db_blocker):
    """This process's copy of the database with the real Gemeindeverzeichnis: under xdist a
    copy of the one the run's first asking worker imported (noted in the run's state, dropped
    by the controller), else imported here."""
    if not GEMEINDEVERZEICHNIS.is_file():
        pytest.skip("../shared/data/gemeindeverzeichnis_destatis.csv is not there")
    from django.db import connections

    connection = connections["default"]
    # Never the development database: only a test database set up above is copied.
    assert "test" in Path(str(connection.settings_dict["NAME"])).name, "no test database"
    worker = _worker_id(request.config)
    testrunuid = getattr(request.config, "workerinput", {}).get("testrunuid")
    with django_db_blocker.unblock():
        if worker is None or not testrunuid or not _run_state(testrunuid).exists():
            imported = _gemeindeverzeichnis_import(connection)  # one process: used as it is
            own = imported["name"]
        else:
            with _run_lock(testrunuid):
                state_path = _run_state(testrunuid)
                state = json.loads(state_path.read_text())
                if GEMEINDEVERZEICHNIS_KEY not in state:
                    state[GEMEINDEVERZEICHNIS_KEY] = _gemeindeverzeichnis_import(connection)
                    state_path.write_text(json.dumps(state))
                imported = state[GEMEINDEVERZEICHNIS_KEY]
                own = _clone(connection, imported["name"], worker)
    yield {**imported, "name": own, "path": GEMEINDEVERZEICHNIS}
    with django_db_blocker.unblock():
        connection.creation._destroy_test_db(own, verbosity=0)
        _sqlite_leftovers_remove(connection, own)


@pytest.fixture
def gemeindeverzeichnis_db(_gemeindeverzeichnis_database, django_db_blocker):
    """Database access on a database holding the real Destatis Gemeindeverzeichnis (skipped
    where ../shared/data is not there), instead of `db`: the test runs in a transaction that is
    rolled back afterwards, as with `db`. Gives the first import's output and duration."""
    from django.db import connections, transaction

    connection = connections["default"]
    with (
        django_db_blocker.unblock(),
        _database_named(connection, _gemeindeverzeichnis_database["name"]),
        transaction.atomic(),
    ):
        yield _gemeindeverzeichnis_database
        transaction.set_rollback(True)


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
    from partnerportal.content.services import site_structure_ensure

    return site_structure_ensure()


@pytest.fixture
def client():
    """Django's test client, except that force_login also records the second factor for a
    person who has one (a complete login); the doors' own tests use the plain client."""
    from partnerportal.accounts.tests.clients import Client

    return Client()
