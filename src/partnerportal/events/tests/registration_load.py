"""Registrations fired at a running server from several processes at once: the concurrency test
and bench/events_throughput.py share it. No Django here: the worker processes are spawned
fresh and only send HTTP."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import get_context


def post_one(args: tuple[str, int]) -> tuple[int, dict, float]:
    """(status code, JSON answer or error, seconds)."""
    url, number = args
    body = json.dumps(
        {"name": f"Person {number:05d}", "email": f"p{number}@example.org", "language": "en"}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - http to the server under test
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, json.loads(response.read()), time.perf_counter() - started
    except urllib.error.HTTPError as error:
        return error.code, {"error": error.read().decode()[:300]}, time.perf_counter() - started
    except Exception as error:
        return 0, {"error": repr(error)}, time.perf_counter() - started


def _share(args: tuple[str, list[int], int]) -> list[tuple[int, dict, float]]:
    url, numbers, threads = args
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(post_one, [(url, n) for n in numbers]))


def fire(
    url: str, people: int, *, processes: int = 4, threads: int = 10, first: int = 0
) -> list[tuple[int, dict, float]]:
    """`people` registrations, spread over `processes` processes of `threads` threads each."""
    shares = [
        (url, list(range(first + i, first + people, processes)), threads) for i in range(processes)
    ]
    with get_context("spawn").Pool(processes) as pool:
        return [answer for share in pool.map(_share, shares) for answer in share]
