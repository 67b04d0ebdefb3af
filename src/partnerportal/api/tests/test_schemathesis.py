"""schemathesis against the API's own OpenAPI document: on every operation, generated requests
(valid ones, and invalid ones) must get no server error and an answer that the document
describes (status, media type and schema).

The operations are driven through their Hypothesis strategies inside one test per generation
mode rather than through schemathesis's pytest plugin: its lazily loaded schemas (needed here,
as the schema comes from the app under test with its database) do not run on pytest 9.

schemathesis and Hypothesis are imported inside the test, not at the top of the module: every
pytest process collects this module, and the two take about a second and a half to import,
which only the process that runs the test needs to spend (their pytest plugins are turned off
in pyproject.toml for the same reason)."""

import time

import pytest

#: Examples per operation and mode: enough to hit every filter, quick enough for the suite.
MAX_EXAMPLES = 25


@pytest.fixture
def api_schema(open_data, settings, wsgi_schema):
    settings.API_ANON_RATE = "100000/m"  # hundreds of calls within seconds
    return wsgi_schema


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_every_operation_answers_as_documented(api_schema, mode):
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    mode = GenerationMode(mode)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 9
    failures = {}
    calls = 0
    started = time.perf_counter()
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            nonlocal calls
            calls += 1
            case.call_and_validate(checks=checks)

        try:
            run()
        except Unsatisfiable:
            # No invalid request exists (no parameters, or a free-text path parameter).
            assert mode == GenerationMode.NEGATIVE
        except Exception as error:  # collect, so one run names every failing operation
            failures[operation.label] = error
    elapsed = time.perf_counter() - started
    print(f"schemathesis {mode}: {len(operations)} operations, {calls} calls, {elapsed:.1f} s")
    assert not failures, "\n\n".join(f"{label}: {error}" for label, error in failures.items())
