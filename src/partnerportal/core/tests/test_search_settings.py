"""A large installation switches the search to OpenSearch by settings alone (README: Search)."""

import json
import os
import subprocess
import sys


def _backends(**environment: str) -> dict:
    code = (
        "import json; from partnerportal.settings import production as s; "
        "print(json.dumps(s.WAGTAILSEARCH_BACKENDS))"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SEARCH_")},
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "partner.example.org",
        "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
        **environment,
    }
    out = subprocess.run(  # noqa: S603 - this interpreter, a fixed program
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_database_search_is_the_default():
    assert _backends() == {"default": {"BACKEND": "wagtail.search.backends.database"}}


def test_opensearch_is_a_settings_change():
    backends = _backends(
        SEARCH_BACKEND="wagtail.search.backends.opensearch2",
        SEARCH_URL="https://search.example.org:9200",
        SEARCH_INDEX="pp",
    )
    assert backends["default"] == {
        "BACKEND": "wagtail.search.backends.opensearch2",
        "URLS": ["https://search.example.org:9200"],
        "INDEX": "pp",
        "TIMEOUT": 10,
    }
