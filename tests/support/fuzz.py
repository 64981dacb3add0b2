"""A bounded fuzz of every page's query string (and its id in the path), as any user, and of its form fields.

The walk: every URL pattern of the site (the JSON API aside: schemathesis covers it) is filled with a
real object's id where a crawl as the office found one, else with a made-up id; each URL is first
requested with harmless values to learn which query names its view reads (a recording QueryDict
set up by `RecordingQuery`), then with hostile values in those names and hostile ids in its path;
`posts` does the same with the form fields a POST view reads. Whatever the answer, it must not be a
5xx. The number of requests is bounded by the number of patterns, names read and values below, never
by chance.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar
from urllib.parse import urldefrag, urlencode, urljoin, urlparse

from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

# what an audit types into a query string: numbers past every integer column, signs, digits that are
# not ASCII (str.isdigit() says True to both), a decimal, NUL (PostgreSQL refuses it in text), SQL, a
# very long value, a date that does not exist
HOSTILE = (
    "99999999999999999999999",
    "9223372036854775808",
    "-1",
    "0",
    "²",
    "١٢",
    "1.5",
    "",
    "\x00",
    "' OR 1=1 --",
    "2026-02-30",
    "x" * 3000,
)
# the most telling of them, sent as the other roles too (every name set at once, so a role costs three requests)
SHARP = ("99999999999999999999999", "²", "\x00")
HOSTILE_IDS = ("99999999999999999999999", "9223372036854775808", "0")
MIXED = 2  # requests with every name read set at once, each to another value

# names the pages are known to read, set (harmlessly) while learning which names a view reads, so that
# branches taken only when a filter is present are seen too
COMMON_NAMES = (
    "unit",
    "round",
    "committee",
    "year",
    "page",
    "status",
    "light",
    "closure",
    "q",
    "as_of",
    "person",
    "handler",
    "team",
    "inspection",
    "category",
    "accepted_week",
    "state",
    "sort",
    "show",
    "unread",
    "before",
    "draft",
    "fmt",
    "kind",
    "version",
    "deadline_from",
    "deadline_to",
    "overdue",
    "department",
    "path",
    "measure",
    "edit",
)
HARMLESS = "1"
SKIP_PREFIXES = ("/api/", "/logout/", "/static/")
CONVERTER = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>[^>]+)>")


class RecordingQuery:
    """Middleware (tests only) that notes every query name a view asks for."""

    seen: ClassVar[set[str]] = set()
    _lock = threading.Lock()

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _Recording.of(request.GET)
        if request.method == "POST":
            request.POST = _Recording.of(request.POST)
        return self.get_response(request)

    @classmethod
    def note(cls, name: str) -> None:
        with cls._lock:
            cls.seen.add(name)

    @classmethod
    def take(cls) -> set[str]:
        with cls._lock:
            names, cls.seen = cls.seen, set()
        return names


class _Recording(QueryDict):
    @classmethod
    def of(cls, query: QueryDict) -> _Recording:
        copy = cls(mutable=True)
        for name, values in query.lists():
            copy.setlist(name, values)
        copy._mutable = False
        return copy

    def __getitem__(self, key):
        RecordingQuery.note(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        RecordingQuery.note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        RecordingQuery.note(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        RecordingQuery.note(key)
        return super().__contains__(key)


def routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    """Every pattern of the site as a route string, e.g. "rounds/<int:pk>/"."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        text = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry, text)
        elif isinstance(entry, URLPattern):
            yield text


def fill(route: str, value: str) -> str:
    """The route with every path parameter set to `value` (a slug or a string gets a plain word)."""

    text = CONVERTER.sub(lambda m: value if m["kind"] in ("int", "id") else "x", route)
    return "/" + text.lstrip("^").rstrip("$")


def crawl(client: Client, starts: Iterable[str]) -> dict[str, str]:
    """One concrete URL per route, found by following the links and form actions of the pages from `starts`;
    a page is fetched only when its route has no URL yet, so the crawl costs a request per route."""
    found: dict[str, str] = {}
    queue = list(starts)
    href = re.compile(r'(?:href|action|hx-get|hx-post)="([^"#]+)"')
    while queue:
        url = queue.pop(0)
        route = _route(url)
        if route is None or route in found:
            continue
        found[route] = url
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for link in href.findall(response.content.decode("utf-8", errors="replace")):
            parsed = urlparse(urldefrag(urljoin(url, link.replace("&amp;", "&")))[0])
            if not parsed.netloc and not parsed.path.startswith(SKIP_PREFIXES):
                queue.append(parsed.path)
    return found


def _route(url: str) -> str | None:
    try:
        return resolve(urlparse(url).path).route
    except Resolver404:
        return None


@dataclass
class Finding:
    role: str
    url: str
    status: int


@dataclass
class PageFuzz:
    """The walk as one object: `clients` holds a signed-in client per role (None: anonymous)."""

    clients: dict[str, Client]
    known: dict[str, str] = field(default_factory=dict)
    failures: list[Finding] = field(default_factory=list)
    requests: int = 0
    spent: dict[str, float] = field(default_factory=dict)
    only: Callable[[str], bool] | None = None  # walk only the routes it accepts

    def get(self, role: str, url: str) -> int:
        self.requests += 1
        status = self.clients[role].get(url).status_code
        if status >= 500:
            self.failures.append(Finding(role, url, status))
        return status

    def urls(self) -> list[tuple[str, str]]:
        """(route, URL) for every route: the crawled URL, or the route filled with a made-up id."""
        out = []
        for route in routes():
            path = "/" + route.lstrip("^")
            if path.startswith(SKIP_PREFIXES) or "(?P" in route:
                continue
            out.append((route, self.known.get(route) or fill(route, "1")))
        return out

    def run(self, full_roles: Iterable[str] = ("office", "anonymous")) -> list[Finding]:
        logging.disable(logging.ERROR)  # thousands of refusals and 404s are the point, not news
        try:
            return self._run(set(full_roles))
        finally:
            logging.disable(logging.NOTSET)

    def _run(self, full: set[str]) -> list[Finding]:
        for route, url in self.urls():
            if self.only is not None and not self.only(route):
                continue
            started = time.monotonic()
            for role in self.clients:
                RecordingQuery.take()
                self.get(role, url + "?" + urlencode(dict.fromkeys(COMMON_NAMES, HARMLESS)))
                names = sorted(RecordingQuery.take() - {"csrfmiddlewaretoken"})
                if role in full:
                    self._every_value(role, route, url, names)
                else:
                    self._mixed(role, url, names, SHARP, len(SHARP))
            self.spent[route] = time.monotonic() - started
        return self.failures

    def posts(self, role: str = "office") -> list[Finding]:
        """Every route's form fields as `role`: the names its view reads from a harmless POST, then those
        names set at once to the sharpest values; each POST is rolled back so the next sees the same world."""
        logging.disable(logging.ERROR)
        try:
            for route, url in self.urls():
                if self.only is not None and not self.only(route):
                    continue
                RecordingQuery.take()
                self.post(role, url, dict.fromkeys(COMMON_NAMES, HARMLESS))
                names = sorted(RecordingQuery.take() - {"csrfmiddlewaretoken"})
                for i in range(len(SHARP) if names else 0):
                    self.post(role, url, {name: SHARP[(i + j) % len(SHARP)] for j, name in enumerate(names)})
        finally:
            logging.disable(logging.NOTSET)
        return self.failures

    def post(self, role: str, url: str, data: dict[str, str]) -> int:
        self.requests += 1
        with transaction.atomic():
            status = self.clients[role].post(url, data).status_code
            transaction.set_rollback(True)
        if status >= 500:
            self.failures.append(Finding(role, f"POST {url} {data!r}"[:300], status))
        return status

    def _every_value(self, role: str, route: str, url: str, names: list[str]) -> None:
        """Each name alone with each hostile value, then all together; hostile ids in the path."""
        for name in names:
            for value in HOSTILE:
                self.get(role, url + "?" + urlencode({name: value}))
        if len(names) > 1:
            self._mixed(role, url, names, HOSTILE, MIXED)
        if CONVERTER.search(route):
            for value in HOSTILE_IDS:
                self.get(role, fill(route, value))

    def _mixed(self, role: str, url: str, names: list[str], values: tuple[str, ...], count: int) -> None:
        """`count` requests with every name set at once, each name to another value in each request."""
        for i in range(count if names else 0):
            query = {name: values[(i + j) % len(values)] for j, name in enumerate(names)}
            self.get(role, url + "?" + urlencode(query))
