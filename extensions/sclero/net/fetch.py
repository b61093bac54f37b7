"""Polite HTTP through urllib3: one request, its retries, and the answer read in full.

The pieces are separate modules: ``guard`` (where a request may connect), ``gates`` (per-host
rates), ``pool`` (kept-alive connections) and ``deadline`` (one end time per request).
Redirects and what an answer means are the link check's business (``linkcheck/urls.py``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.client import HTTPException, RemoteDisconnected
from urllib.parse import urlsplit

from urllib3.exceptions import HTTPError as Urllib3Error

from ..model.link_parsing import redact
from ..model.targets import CheckResult, Outcome, Target, TargetKind
from .deadline import Watchdog, read_body
from .gates import Gates, HostGate, HostProfile
from .guard import Route, Router
from .pool import Pool, StaleConnectionError


@dataclass
class FetchSettings:
    """Everything the fetcher needs; tests inject the clock and sleep."""

    user_agent: str
    timeout: float = 10.0  # per request: connect, headers and the whole body
    retry_after_cap: float = 30.0
    retries: int = 2
    backoff: float = 1.0
    max_redirects: int = 10
    max_body: int = 1_000_000
    workers: int = 32  # a cap on threads; each mostly waits on the network
    profiles: dict[str, HostProfile] = field(default_factory=dict)
    default_profile: HostProfile = field(default_factory=HostProfile)
    allowed_hosts: frozenset[str] = frozenset()
    # Scheme -> proxy URL; None reads HTTP(S)_PROXY and NO_PROXY from the environment.
    proxies: dict[str, str] | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


@dataclass
class Page:
    """One HTTP answer, its body capped at the request's limit (``complete`` says if it was)."""

    status: int
    headers: dict[str, str]
    body: bytes
    complete: bool = True


class Fetcher:
    """Fetches URLs politely; one instance per build."""

    def __init__(self, settings: FetchSettings) -> None:
        """Per-host gates and idle connections are made on first use."""
        self.settings = settings
        self.host: Callable[[str], HostGate] = Gates(settings.profiles, settings.default_profile)
        self._router = Router(settings.allowed_hosts, settings.proxies)
        self._watchdog = Watchdog(settings.clock)
        self._pool = Pool(self._watchdog)
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self.requests = 0

    def stop(self) -> None:
        """Send no further request (the build failed); requests under way finish."""
        self._stopped.set()

    def close(self) -> None:
        """Close idle connections and the watchdog."""
        self._pool.close()
        self._watchdog.close()

    # -- one request, with the retries a passing fault deserves ------------------------

    def get(
        self,
        url: str,
        deadline: float,
        accept: str = "text/html,*/*;q=0.8",
        limit: int | None = None,
    ) -> Page | CheckResult | None:
        """GET ``url`` (no redirects followed); 429 and 5xx retried within the Retry-After cap.

        ``limit`` caps the body (``max_body`` by default). A failure comes back as a
        ``CheckResult`` whose target is the URL; None means the deadline came first (or the
        build stopped).
        """
        settings = self.settings
        attempt = 0
        while True:
            answer = self._request(url, deadline, accept, limit or settings.max_body)
            if not isinstance(answer, Page) or not (answer.status == 429 or answer.status >= 500):
                return answer
            if answer.headers.get("cf-mitigated") == "challenge" or attempt >= settings.retries:
                return answer
            attempt += 1
            wait = settings.backoff * (2 ** (attempt - 1))
            retry_after = retry_after_seconds(answer.headers.get("retry-after"))
            if retry_after is not None:
                if retry_after > settings.retry_after_cap:
                    return answer  # the host asks for longer than we may wait
                wait = max(wait, retry_after)
                self.host(urlsplit(url).hostname or "").back_off_until(settings.clock() + wait)
            if settings.clock() + wait >= deadline:
                return answer
            settings.sleep(wait)

    def _request(
        self, url: str, deadline: float, accept: str, limit: int
    ) -> Page | CheckResult | None:
        """One GET, gated by the host's limits, bounded in total by the request's end time."""
        settings = self.settings
        target = Target(TargetKind.url, url)
        route = self._router.route(url)
        if isinstance(route, CheckResult):
            return route
        gate = self.host(route.host)
        if self._stopped.is_set():
            return None
        # A connection slot first, then the host's turn: both bounded by the deadline.
        if not gate.slots.acquire(timeout=max(0.0, deadline - settings.clock())):
            return None
        try:
            if not gate.wait_turn(settings.clock, settings.sleep, deadline):
                return None
            start = settings.clock()
            end = min(start + settings.timeout, deadline)
            if end <= start:
                return None
            with self._lock:
                self.requests += 1
            try:
                return self._exchange(route, url, end, accept, limit)
            except TimeoutError:
                detail = f"no complete answer within {end - start:.0f} s"
                return CheckResult(target, Outcome.timeout, detail=detail)
            except ConnectionRefusedError:
                return CheckResult(target, Outcome.unreachable, detail="connection refused")
            except (OSError, HTTPException, Urllib3Error, ValueError) as error:
                if settings.clock() >= end:  # the watchdog cut a slow answer off
                    detail = f"no complete answer within {end - start:.0f} s"
                    return CheckResult(target, Outcome.timeout, detail=detail)
                return CheckResult(target, Outcome.error, detail=_describe(error))
        finally:
            gate.slots.release()

    def _exchange(self, route: Route, url: str, end: float, accept: str, limit: int) -> Page:
        """Send the request and read the whole answer before ``end`` (or raise)."""
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        default = 443 if route.scheme == "https" else 80
        host_header = route.host if route.port == default else f"{route.host}:{route.port}"
        if ":" in route.host:
            host_header = f"[{route.host}]" + host_header[len(route.host) :]
        headers = {
            "Host": host_header,
            "User-Agent": self.settings.user_agent,
            "Accept": accept,
            "Accept-Encoding": "identity",
        }
        request_target = url if route.proxy and route.scheme == "http" else path
        try:
            return self._send(route, request_target, headers, end, limit, fresh=False)
        except StaleConnectionError:
            # A kept-alive connection the server had closed meanwhile: the request never
            # reached it, so it goes once more on a new connection (as every HTTP client
            # does). A new connection failing is an answer and is never sent again.
            return self._send(route, request_target, headers, end, limit, fresh=True)

    def _send(
        self,
        route: Route,
        target: str,
        headers: dict[str, str],
        end: float,
        limit: int,
        fresh: bool,
    ) -> Page:
        """One request on one connection; the whole answer read before ``end``."""
        with self._pool.connection(route, end, fresh) as (connection, reused):
            connection.timeout = max(0.001, end - self.settings.clock())
            try:
                connection.request("GET", target, headers=headers, preload_content=False)
                response = connection.getresponse()
            except (RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # Not the watchdog cutting a slow answer (that is a timeout), and not a new
                # connection: only then was the request lost before the server read it.
                if reused and self.settings.clock() < end:
                    raise StaleConnectionError from None
                raise
            body, complete = read_body(response, end, self.settings.clock, limit)
            if not complete:
                connection.close()  # capped: the rest of the body is not wanted
            headers = {k.lower(): v for k, v in response.headers.items()}
            return Page(response.status, headers, body, complete)


def header_text(value: str) -> str:
    """A header as the server meant it (UTF-8 bytes that http.client decoded as Latin-1).

    A UTF-8 ``Location: /café`` arrives as ``/cafÃ©``; undone when the bytes are UTF-8.
    """
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def _describe(error: BaseException) -> str:
    """A one-line description of a transport error, without any URL credentials."""
    text = " ".join(str(error).split())
    return redact(f"{type(error).__name__}: {text}" if text else type(error).__name__)[:200]


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value[:9])
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, OverflowError):
        return None
