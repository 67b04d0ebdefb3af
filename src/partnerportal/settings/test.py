"""Tests: fast hashing, inline tasks, in-memory mail; PostgreSQL when DATABASE_URL names it."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key")
os.environ["DEBUG"] = "false"

from .base import *  # noqa: F403
from .base import STORAGES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PARTNERPORTAL_EMAIL_DELIVERY_BACKEND = EMAIL_BACKEND
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
MEDIA_ROOT = VAR_DIR / "test-media"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Serve assets straight from the finders (no collectstatic needed in development and tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# SQLite: the test database is a file, not the shared in-memory one. Threads in a transactional
# test (registry/tests/test_concurrency.py) then wait for each other's writes as the
# IMMEDIATE transactions intend; in shared-cache memory they fail at once ("table is locked").
# Under pytest-xdist each worker works on its own copy of this file (conftest.py: test-NAME_gw0
# ...). A writer waits up to 30 s for the lock (SQLite's default is 5 s), since 20 threads of a
# concurrency test share the machine's two cores with the other worker.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"partnerportal-test-{os.getpid()}.sqlite3")
    }
    DATABASES["default"]["OPTIONS"]["timeout"] = 30  # noqa: F405
else:
    # PostgreSQL: the test database (under pytest-xdist the run's template, which the workers
    # clone as NAME_gw0 ...) is named after this process, so that two runs on the same server
    # (two checkouts, or `make test-pg` beside a single module) never drop each other's.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"  # noqa: F405
    }
    # A commit does not wait for its WAL record to reach the disk. What a transaction
    # sees is unchanged; only a crash of the server could lose the last commits of a test
    # database that is dropped anyway. Migrating, cloning and the transactional tests commit
    # often.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
