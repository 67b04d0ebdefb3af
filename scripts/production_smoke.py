"""The Python half of scripts/production_smoke.sh: read the README's production steps, crawl a
running installation, run schemathesis against its API.

    production_smoke.py steps NAME           print the commands of README block NAME
    production_smoke.py crawl URL --label L  request every public page and API endpoint
    production_smoke.py fuzz URL             schemathesis against URL/api/v1/openapi.json

`crawl` starts from every route of the URL resolver that needs no argument (in German and
English), follows the links of every HTML page (pages, static files, the atlas's data URLs),
fills the routes with arguments from the real ids it met, and requests every operation of the
OpenAPI document with real ids from the API's own lists; each API answer is checked against the
document. It fails on any 5xx, a connection error or an answer the document does not describe,
and on a 4xx of a link on one of our pages (href, src, a redirect's Location) or of a static
file: such a link is a bug of the page. Addresses the crawl made up (the resolver's routes,
filled with ids met elsewhere) and the script addresses of the atlas (data-*-url, to which the
script adds its parameters) may well answer 4xx asked as they are: those are only listed.
It runs in the server's environment (settings, database) so that it can read the URL resolver.
Bounded: at most --per-route addresses per route and --budget seconds in all.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
#: Requests come as through the TLS proxy of a production set-up (SECURE_PROXY_SSL_HEADER).
HEADERS = {"X-Forwarded-Proto": "https", "User-Agent": "partnerportal-production-smoke"}
#: Links and sources on a page: each must lead somewhere.
LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"'#][^"']*)["']""")
#: Addresses a page hands its script (the atlas's JSON endpoints): the script adds parameters,
#: so asked bare they may refuse (400); a data-*-url-template is no address and is left alone.
SCRIPT_ADDRESS = re.compile(r"""data-[\w-]*url\s*=\s*["']([^"'#][^"']*)["']""")
#: The Wagtail back office and documents are not public pages; the back office's start is.
SKIP_PREFIXES = ("/admin/", "/documents/", "/media/")
API_PREFIX = "/api/v1/"


# --- README blocks ----------------------------------------------------------------------------


def readme_block(name: str) -> str:
    """The fenced block after the marker `<!-- production-smoke: NAME -->` in README.md."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    marker = f"<!-- production-smoke: {name} -->"
    if marker not in text:
        raise SystemExit(f"README.md has no block {marker}")
    after = text.split(marker, 1)[1].lstrip()
    match = re.match(r"```\w*\n(.*?)\n```", after, flags=re.DOTALL)
    if match is None:
        raise SystemExit(f"No fenced block after {marker} in README.md")
    return match.group(1)


# --- Crawl ------------------------------------------------------------------------------------


@dataclass
class Crawl:
    base: str
    per_route: int
    deadline: float
    session: object = None
    seen: set[str] = field(default_factory=set)
    per_key: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    #: 4xx answers to links on our own pages (a failure) and to addresses made up (a report).
    answers: dict[str, int] = field(default_factory=dict)
    broken_links: dict[str, str] = field(default_factory=dict)
    other_4xx: list[str] = field(default_factory=list)
    #: (seconds, address) of every page and static file asked, for the slowest ones.
    timings: list[tuple[float, str]] = field(default_factory=list)
    routes_seen: set[str] = field(default_factory=set)
    kwargs_seen: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    truncated: bool = False
    pages: int = 0
    static: int = 0
    api_requests: int = 0

    def get(self, url: str, referer: str, *, linked: bool):
        """linked: the address is a link or source on the page `referer` (or where it redirects),
        not one the crawl made up or a script address."""
        import requests

        try:
            response = self.session.get(url, headers=HEADERS, allow_redirects=False, timeout=60)
        except requests.RequestException as error:
            self.failures.append(f"{url}: {error.__class__.__name__}: {error}")
            return None
        status = response.status_code
        self.statuses[status] += 1
        self.timings.append((response.elapsed.total_seconds(), url))
        self.answers[url] = status
        if status >= 500:
            self.failures.append(f"{url}: {status} (linked from {referer or '-'})")
        elif 400 <= status < 500:
            if linked or urlsplit(url).path.startswith("/static/"):
                self.link_broken(url, referer)
            elif status != 405:  # 405: a POST-only route, asked by its bare address
                self.other_4xx.append(f"{url}: {status} ({referer})")
        return response

    def link_broken(self, url: str, referer: str) -> None:
        if url not in self.broken_links:
            self.broken_links[url] = f"{url}: {self.answers[url]} (linked from {referer})"


def _route(path: str) -> tuple[str, dict]:
    """The route name (namespace:name) of a path and its arguments, in the path's language."""
    from django.urls import Resolver404, resolve
    from django.utils import translation

    language = path.split("/")[1] if path.count("/") > 1 else ""
    with translation.override(language if language in ("de", "en") else "de"):
        try:
            match = resolve(path)
        except Resolver404:
            return "(404)", {}
    name = match.view_name or match.route
    if name == "wagtail_serve":  # every Wagtail page is a route of its own
        name = f"page {path}"
    return name, match.kwargs


def _resolver_routes() -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Paths of the routes that need no argument (both languages) and the named routes that do."""
    from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
    from django.utils import translation

    names: set[str] = set()

    def walk(patterns, namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}{pattern.namespace}:"
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    plain: list[str] = []
    with_arguments: list[tuple[str, list[str]]] = []
    for name in sorted(names):
        for language in ("de", "en"):
            with translation.override(language):
                try:
                    plain.append(reverse(name))
                except NoReverseMatch:
                    if language == "de":
                        with_arguments.append((name, []))
    return sorted(set(plain)), with_arguments


def _wanted(path: str) -> bool:
    return path == "/admin/" or not path.startswith(SKIP_PREFIXES)


def crawl_pages(crawl: Crawl) -> None:
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    plain, with_arguments = _resolver_routes()
    #: (address, where it came from, whether it is a link on that page)
    queue: list[tuple[str, str, bool]] = [
        (crawl.base + path, "(resolver)", False) for path in plain if _wanted(path)
    ]

    def drain() -> None:
        while queue:
            if time.monotonic() > crawl.deadline:
                crawl.truncated = True
                return
            url, referer, linked = queue.pop(0)
            if url in crawl.seen:
                # Asked before as a made-up address: a link to it that fails is still broken.
                if linked and 400 <= crawl.answers.get(url, 200) < 500:
                    crawl.link_broken(url, referer)
                continue
            parts = urlsplit(url)
            if parts.path.startswith("/static/"):
                crawl.seen.add(url)
                crawl.static += 1
                crawl.get(url, referer, linked=linked)
                continue
            name, kwargs = _route(parts.path)
            key = (name, bool(parts.query))
            if crawl.per_key[key] >= crawl.per_route:
                continue
            crawl.per_key[key] += 1
            crawl.seen.add(url)
            response = crawl.get(url, referer, linked=linked)
            if response is None:
                continue
            crawl.pages += 1
            crawl.routes_seen.add(name)
            for argument, value in kwargs.items():
                crawl.kwargs_seen[argument].add(value)
            targets: list[tuple[str, bool]] = []
            if response.is_redirect and response.headers.get("Location"):
                targets.append((response.headers["Location"], True))
            if response.headers.get("Content-Type", "").startswith("text/html"):
                targets += [(target, True) for target in LINK.findall(response.text)]
                targets += [(target, False) for target in SCRIPT_ADDRESS.findall(response.text)]
            # An error page's links are not checked as links: its language switch leads to the
            # same missing address in the other language, which is right.
            if response.status_code >= 400:
                targets = [(target, False) for target, _is_link in targets]
            for target, is_link in targets:
                absolute = urljoin(url, target.replace("&amp;", "&"))
                split = urlsplit(absolute)
                if split.netloc != urlsplit(crawl.base).netloc or not _wanted(split.path):
                    continue
                clean = urlunsplit(("http", split.netloc, split.path, split.query, ""))
                queue.append((clean, url, is_link))

    drain()
    # Routes no link led to: fill their arguments with real values met on the way.
    for name, _empty in with_arguments:
        if name in crawl.routes_seen:
            continue
        for language in ("de", "en"):
            with translation.override(language):
                for candidate in _fill(name, crawl.kwargs_seen):
                    try:
                        path = reverse(name, kwargs=candidate)
                    except NoReverseMatch:
                        continue
                    if _wanted(path):
                        queue.append((crawl.base + path, "(resolver, real ids)", False))
                    break
    drain()
    not_reached = sorted(
        name
        for name, _empty in with_arguments
        if name not in crawl.routes_seen and not name.startswith(("wagtail", "api-"))
    )
    print(f"  routes with arguments not reached (need a login, a token or a POST): {not_reached}")


def _fill(name: str, seen: dict[str, set]) -> list[dict]:
    """Argument sets for a route, from the values the crawl met under the same argument names."""
    keys = _argument_names(name)
    if not keys or not all(seen.get(key) for key in keys):
        return []
    values = {key: sorted(seen[key], key=str) for key in keys}
    return [{key: values[key][index % len(values[key])] for key in keys} for index in range(3)]


def _argument_names(name: str) -> list[str]:
    from django.urls import get_resolver

    resolver = get_resolver()
    *namespaces, leaf = name.split(":")
    for namespace in namespaces:
        resolver = resolver.namespace_dict[namespace][1]
    for possibility, *_rest in resolver.reverse_dict.getlist(leaf):
        for _pattern, params in possibility:
            return list(params)
    return []


# --- API --------------------------------------------------------------------------------------


def api_schema(base: str):
    import requests
    import schemathesis

    response = requests.get(base + API_PREFIX + "openapi.json", headers=HEADERS, timeout=60)
    response.raise_for_status()
    return schemathesis.openapi.from_dict(response.json())


def _checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]


def _content_type(response) -> str:
    """The media type of a schemathesis response (its headers are lists under lower-case names)."""
    headers = {name.lower(): values for name, values in response.headers.items()}
    return (headers.get("content-type") or [""])[0]


def crawl_api(crawl: Crawl, *, max_pages: int, max_ids: int) -> tuple[int, int]:
    """Every GET operation of the OpenAPI document: lists page by page (the first max_pages and
    the last), one-item operations with real ids from those lists. Returns (operations, calls)."""
    schema = api_schema(crawl.base)
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [operation for operation in operations if operation.method.upper() == "GET"]
    checks = _checks()
    items: dict[str, list[dict]] = {}
    calls = 0

    def call(operation, **parts) -> object:
        nonlocal calls
        calls += 1
        crawl.api_requests += 1
        case = operation.Case(**parts)
        try:
            return case.call_and_validate(
                base_url=crawl.base, headers=HEADERS, checks=checks, session=crawl.session
            )
        except Exception as error:  # a failed check names itself; keep going to name them all
            crawl.failures.append(f"{operation.label} {parts}: {str(error)[:2000]}")
            return None

    plain = [operation for operation in operations if "{" not in operation.path]
    for operation in plain:
        response = call(operation)
        if response is None or not _content_type(response).startswith("application/json"):
            continue
        body = response.json()
        if not isinstance(body, dict) or "items" not in body:
            continue
        found = list(body["items"])
        pages = max(1, -(-body.get("count", 0) // 200))
        wanted = sorted({*range(1, min(pages, max_pages) + 1), pages})
        for page in wanted:
            if time.monotonic() > crawl.deadline:
                crawl.truncated = True
                break
            response = call(operation, query={"page": page, "page_size": 200})
            if response is not None and response.status_code == 200:
                found += response.json()["items"]
        items[operation.path] = found

    for operation in operations:
        if "{" not in operation.path:
            continue
        parent = operation.path.rsplit("/{", 1)[0]
        parameter = operation.path.rsplit("{", 1)[1].rstrip("}")
        listed = items.get(parent, [])
        values = [item.get(parameter, item.get("id")) for item in listed]
        values = [value for value in dict.fromkeys(values) if value is not None]
        # Short lists (the countries) item by item; of long ones the first and last items and
        # those with a null or empty value in them.
        if len(values) > max(max_ids, 300):
            odd = [
                item.get(parameter, item.get("id"))
                for item in listed
                if None in item.values() or "" in item.values()
            ]
            values = list(dict.fromkeys([*values[:max_ids], *values[-5:], *odd[:max_ids]]))
        for value in values:
            if time.monotonic() > crawl.deadline:
                crawl.truncated = True
                break
            call(operation, path_parameters={parameter: value})
    return len(operations), calls


def command_crawl(args) -> int:
    import django
    import requests

    django.setup()
    started = time.monotonic()
    crawl = Crawl(
        base=args.url.rstrip("/"),
        per_route=args.per_route,
        deadline=started + args.budget,
        session=requests.Session(),
    )
    crawl_pages(crawl)
    operations, calls = crawl_api(crawl, max_pages=args.api_pages, max_ids=args.api_ids)
    elapsed = time.monotonic() - started
    print(
        f"  crawl [{args.label}]: {crawl.pages} pages on {len(crawl.routes_seen)} routes, "
        f"{crawl.static} static files, {operations} API operations with {calls} requests, "
        f"page answers {dict(sorted(crawl.statuses.items()))}, {elapsed:.1f} s"
        + (" (time budget reached: the rest was left out)" if crawl.truncated else "")
    )
    slowest = sorted(crawl.timings, reverse=True)[:5]
    print(
        "  slowest pages: "
        + ", ".join(f"{url.removeprefix(crawl.base)} {seconds:.1f} s" for seconds, url in slowest)
    )
    if crawl.other_4xx:
        print("  4xx of addresses the crawl made up or a script completes (reported only):")
        for line in crawl.other_4xx:
            print(f"    {line}")
    crawl.failures += [f"broken link: {line}" for line in crawl.broken_links.values()]
    if crawl.failures:
        print(f"  FAILED: {len(crawl.failures)} answers:", file=sys.stderr)
        for failure in crawl.failures[:50]:
            print(f"    {failure}", file=sys.stderr)
        return 1
    return 0


# --- schemathesis -----------------------------------------------------------------------------


def command_fuzz(args) -> int:
    import requests
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode

    base = args.url.rstrip("/")
    schema = api_schema(base)
    operations = [result.ok() for result in schema.get_all_operations()]
    checks = _checks()
    session = requests.Session()
    failures: dict[str, str] = {}
    calls = Counter()
    started = time.monotonic()

    def test(operation, mode):
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=args.max_examples,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            calls[mode] += 1
            case.call_and_validate(
                base_url=base, headers=HEADERS, checks=checks, session=session, timeout=120
            )

        return run

    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        for operation in operations:
            try:
                test(operation, mode)()
            except Unsatisfiable:
                pass  # no invalid request exists (no parameters, or a free-text path parameter)
            except Exception as error:
                failures[f"{operation.label} ({mode.value})"] = str(error)[:3000]
    elapsed = time.monotonic() - started
    print(
        f"  schemathesis: {len(operations)} operations, "
        f"{calls[GenerationMode.POSITIVE]} valid and {calls[GenerationMode.NEGATIVE]} invalid "
        f"requests ({args.max_examples} examples per operation and mode, derandomized), "
        f"{elapsed:.1f} s"
    )
    if failures:
        for label, error in failures.items():
            print(f"  FAILED {label}:\n{error}", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    steps = commands.add_parser("steps")
    steps.add_argument("name")
    crawl = commands.add_parser("crawl")
    crawl.add_argument("url")
    crawl.add_argument("--label", default="")
    crawl.add_argument("--per-route", type=int, default=4)
    crawl.add_argument("--api-pages", type=int, default=3)
    crawl.add_argument("--api-ids", type=int, default=20)
    crawl.add_argument("--budget", type=float, default=120)
    fuzz = commands.add_parser("fuzz")
    fuzz.add_argument("url")
    fuzz.add_argument("--max-examples", type=int, default=10)
    args = parser.parse_args()
    if args.command == "steps":
        print(readme_block(args.name))
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerportal.settings.production")
    return command_crawl(args) if args.command == "crawl" else command_fuzz(args)


if __name__ == "__main__":
    sys.exit(main())
