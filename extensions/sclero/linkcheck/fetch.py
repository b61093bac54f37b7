"""Polite HTTP checking: per-host limits, Retry-After, deadline, redirects checked hop by hop."""

from __future__ import annotations

import http.client
import ipaddress
import itertools
import re
import socket
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Set
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from .model import CheckResult, Outcome

PERMANENT = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
BLOCKED = frozenset({401, 403, 418, 999})
# Requests leave 2% further apart than the rate allows: connection set-up jitters, and the
# host must never see rate + 1 requests inside one second of its own clock.
SPACING_MARGIN = 1.02
_NOT_FOUND_TEXT = re.compile(
    r"(page|file|article|document)\s+(was\s+)?not\s+found|\b404\b|no longer (exists|available)"
    r"|does(n't| not) exist",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class HostProfile:
    """How hard one host may be asked: requests per second and requests at once."""

    rate: float = 1.0
    concurrency: int = 2


@dataclass
class FetchSettings:
    """Everything the fetcher needs; tests inject the clock and sleep."""

    user_agent: str
    timeout: float = 10.0
    retry_after_cap: float = 30.0
    retries: int = 2
    backoff: float = 1.0
    max_redirects: int = 10
    max_body: int = 1_000_000
    workers: int = 32  # a cap on threads; each mostly waits on the network
    profiles: dict[str, HostProfile] = field(default_factory=dict)
    default_profile: HostProfile = field(default_factory=HostProfile)
    allowed_hosts: frozenset[str] = frozenset()
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


class _Host:
    """Per-host gate: at most ``concurrency`` requests at once, ``rate`` starts per second."""

    def __init__(self, profile: HostProfile) -> None:
        self.profile = profile
        self.slots = threading.Semaphore(profile.concurrency)
        self.lock = threading.Lock()
        self.next_start = 0.0

    def wait_turn(
        self, clock: Callable[[], float], sleep: Callable[[float], None], deadline: float
    ) -> bool:
        """Wait until ``1/rate`` after this host's last *actual* start; False at the deadline.

        Spacing planned start times is not enough: a request delayed in the client would
        then leave right before the next one, and the host would see a burst.
        """
        while True:
            with self.lock:
                now = clock()
                ready = self.next_start
                if now >= ready:
                    self.next_start = now + SPACING_MARGIN / self.profile.rate
                    return True
            if ready >= deadline:
                return False
            sleep(ready - now)

    def back_off_until(self, when: float) -> None:
        """A Retry-After moves every later request to this host."""
        with self.lock:
            self.next_start = max(self.next_start, when)


class _AnchorCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
        self._in_title = tag in ("title", "h1")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


def refusal(host: str, allowed: frozenset[str]) -> str | None:
    """Why ``host`` may not be fetched (a private, loopback or link-local address), or None."""
    if host in allowed:
        return None
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return None  # DNS failure: reported as broken by the request itself
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if str(address) in allowed:
            continue
        if (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_reserved
            or address.is_multicast
            or address.is_unspecified
        ):
            return f"{host} resolves to {address}, a non-public address"
    return None


@dataclass
class _Page:
    status: int
    headers: dict[str, str]
    body: bytes


class Fetcher:
    """Checks URLs politely; one instance per build."""

    def __init__(self, settings: FetchSettings) -> None:
        """Prepare per-host gates lazily."""
        self.settings = settings
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._count_lock = threading.Lock()
        self._stopped = threading.Event()
        self.requests = 0

    def stop(self) -> None:
        """Send no further request (the build failed); requests under way finish."""
        self._stopped.set()

    def _host(self, name: str) -> _Host:
        with self._hosts_lock:
            if name not in self._hosts:
                profile = self.settings.profiles.get(name, self.settings.default_profile)
                self._hosts[name] = _Host(profile)
            return self._hosts[name]

    def check_all(
        self, urls: Iterable[str], deadline: float, anchors: dict[str, set[str]] | None = None
    ) -> dict[str, CheckResult]:
        """Check ``urls`` until ``deadline``; unchecked ones are absent from the result.

        Each host is drained by its own ``concurrency`` threads, so a host that hangs or
        asks to wait holds up only itself, never a shared pool the other hosts need.
        """
        queues: dict[str, deque[str]] = {}
        for url in urls:
            queues.setdefault(urlsplit(url).hostname or "", deque()).append(url)
        wanted = anchors or {}

        def drain(queue: deque[str]) -> dict[str, CheckResult]:
            found: dict[str, CheckResult] = {}
            while True:
                try:
                    url = queue.popleft()  # atomic: the host's threads share the queue
                except IndexError:
                    return found
                result = self.check(url, deadline, wanted.get(url, set()))
                if result is not None:
                    found[url] = result

        # Round-robin by host, so that under the worker cap every host gets a first thread.
        per_host = [
            [queue] * min(len(queue), self._host(name).profile.concurrency)
            for name, queue in queues.items()
        ]
        jobs = [q for round_ in itertools.zip_longest(*per_host) for q in round_ if q is not None]
        results: dict[str, CheckResult] = {}
        if not jobs:
            return results
        with ThreadPoolExecutor(max_workers=min(len(jobs), self.settings.workers)) as pool:
            for future in [pool.submit(drain, queue) for queue in jobs]:
                results |= future.result()
        return results

    def check(
        self, url: str, deadline: float, fragments: Set[str] = frozenset()
    ) -> CheckResult | None:
        """One URL, with retries; None when the deadline came first."""
        settings = self.settings
        attempt = 0
        while True:
            result = self._follow(url, deadline, fragments)
            if result is None:
                return None
            retry_after = result[1]
            outcome = result[0]
            # A timeout is not retried here: a retry would hold a host slot for another full
            # timeout, and the cache re-checks it within the hour anyway.
            transient = outcome.outcome in (
                Outcome.rate_limited,
                Outcome.server_error,
            )
            if not transient or attempt >= settings.retries:
                return outcome
            attempt += 1
            wait = settings.backoff * (2 ** (attempt - 1))
            if retry_after is not None:
                if retry_after > settings.retry_after_cap:
                    return outcome  # the host asks for longer than we may wait
                wait = max(wait, retry_after)
                self._host(urlsplit(url).hostname or "").back_off_until(settings.clock() + wait)
            if settings.clock() + wait >= deadline:
                return outcome
            settings.sleep(wait)

    def _follow(
        self, url: str, deadline: float, fragments: Set[str]
    ) -> tuple[CheckResult, float | None] | None:
        """Request ``url``, following redirects one hop at a time (each hop re-checked)."""
        current, permanent, seen = url, True, {url}
        original_path = urlsplit(url).path or "/"
        for _ in range(self.settings.max_redirects + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                return CheckResult(url, Outcome.refused, detail=f"redirect to {current!r}"), None
            reason = refusal(parts.hostname, self.settings.allowed_hosts)
            if reason is not None:
                return CheckResult(url, Outcome.refused, detail=reason), None
            page = self._request(current, deadline)
            if page is None:
                return None
            if isinstance(page, CheckResult):
                return CheckResult(url, page.outcome, page.status, page.detail), None
            if page.status in REDIRECTS and "location" in page.headers:
                permanent = permanent and page.status in PERMANENT
                current = urljoin(current, page.headers["location"])
                if current in seen:
                    return CheckResult(url, Outcome.error, page.status, "redirect loop"), None
                seen.add(current)
                continue
            return self._classify(url, current, permanent, original_path, page, fragments)
        return CheckResult(url, Outcome.error, detail="too many redirects"), None

    def _classify(
        self,
        url: str,
        final: str,
        permanent: bool,
        original_path: str,
        page: _Page,
        fragments: Set[str],
    ) -> tuple[CheckResult, float | None]:
        status, headers = page.status, page.headers
        retry_after = _retry_after(headers.get("retry-after"), self.settings.clock)
        if status == 429:
            return CheckResult(
                url, Outcome.rate_limited, status, "429 Too Many Requests"
            ), retry_after
        if headers.get("cf-mitigated") == "challenge" or status in BLOCKED:
            return CheckResult(
                url, Outcome.blocked, status, f"{status}: refuses automated checks"
            ), None
        if status in (404, 410):
            return CheckResult(url, Outcome.broken, status, f"{status}"), None
        if status >= 500:
            return CheckResult(url, Outcome.server_error, status, f"{status}"), retry_after
        if not 200 <= status < 300:
            return CheckResult(url, Outcome.error, status, f"unexpected {status}"), None
        final_parts = urlsplit(final)
        if (
            final != url
            and original_path not in ("", "/")
            and (final_parts.path in ("", "/") or "search" in final_parts.path.lower())
        ):
            return CheckResult(url, Outcome.soft_404, status, f"redirects to {final}"), None
        collector = _AnchorCollector()
        if "html" in headers.get("content-type", ""):
            collector.feed(page.body.decode("utf-8", "replace"))
            if _NOT_FOUND_TEXT.search(collector.title):
                title = " ".join(collector.title.split())[:60]
                return CheckResult(url, Outcome.soft_404, status, f"page says {title!r}"), None
        missing = sorted(f for f in fragments if f not in collector.ids)
        if missing:
            detail = "no element with id " + ", ".join(f"#{m}" for m in missing)
            return CheckResult(url, Outcome.anchor, status, detail), None
        if final != url and permanent:
            return CheckResult(url, Outcome.redirected, status, "moved permanently", final), None
        return CheckResult(url, Outcome.working, status), None

    def _request(self, url: str, deadline: float) -> _Page | CheckResult | None:
        """One GET, gated by the host's limits, body read up to the cap."""
        settings = self.settings
        parts = urlsplit(url)
        host = self._host(parts.hostname or "")
        if self._stopped.is_set():
            return None
        # A connection slot first, then the host's turn: both bounded by the deadline.
        if not host.slots.acquire(timeout=max(0.0, deadline - settings.clock())):
            return None
        try:
            if not host.wait_turn(settings.clock, settings.sleep, deadline):
                return None
            remaining = deadline - settings.clock()
            if remaining <= 0:
                return None
            timeout = min(settings.timeout, remaining)
            connection_class = (
                http.client.HTTPSConnection
                if parts.scheme == "https"
                else http.client.HTTPConnection
            )
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            with self._count_lock:
                self.requests += 1
            try:
                connection = connection_class(parts.hostname or "", parts.port, timeout=timeout)
                headers_out = {"User-Agent": settings.user_agent, "Accept": "text/html,*/*;q=0.8"}
                connection.request("GET", path, headers=headers_out)
                response = connection.getresponse()
                body = response.read(settings.max_body)
                headers = {k.lower(): v for k, v in response.getheaders()}
                connection.close()
            except TimeoutError:
                return CheckResult(url, Outcome.timeout, detail=f"no answer within {timeout:.0f} s")
            except socket.gaierror as error:
                # "No such host" is an answer; an unreachable resolver is a passing fault.
                if error.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
                    return CheckResult(
                        url, Outcome.broken, detail=f"DNS: no such host ({error.strerror})"
                    )
                return CheckResult(url, Outcome.error, detail=f"DNS failure ({error.strerror})")
            except ConnectionRefusedError:
                return CheckResult(url, Outcome.broken, detail="connection refused")
            except (OSError, http.client.HTTPException, ssl.SSLError) as error:
                return CheckResult(url, Outcome.error, detail=f"{type(error).__name__}: {error}")
        finally:
            host.slots.release()
        return _Page(response.status, headers, body)


def _retry_after(value: str | None, clock: Callable[[], float]) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
