"""What the benchmark scripts share: where the reference data lies, percentiles and timing a
page with Django's test Client (server time in this process, no network, no browser)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".." / "shared" / "data"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(client, path: str, *, requests: int, warmup: int, label: str = "", **headers) -> dict:
    """Median, p95 and mean milliseconds, mean queries and size of `requests` GETs of `path`
    after `warmup` unmeasured ones; every answer must be 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.status_code)
    timings, queries = [], []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        queries.append(len(captured))
    return {
        "label": label,
        "path": path,
        "median": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "mean": statistics.fmean(timings),
        "queries": statistics.fmean(queries),
        "bytes": len(response.content),
    }
