"""Polite HTTP through urllib3: per-host limits and one deadline per request.

The deadline covers connect, headers and body; the address guard connects only to the global
address it checked, on every redirect hop (so DNS rebinding cannot slip through).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.client import HTTPException, RemoteDisconnected
from urllib.parse import urlsplit

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import HTTPError as Urllib3Error

from ..model.link_parsing import redact
from ..model.targets import CheckResult, Outcome, Target, TargetKind
from .watchdog import Watchdog

# Requests leave 5% further apart than the rate allows: connection set-up and thread
# scheduling (a build busy writing pages holds the GIL) jitter by tens of milliseconds, and
# the host must never see rate + 1 requests inside one second of its own clock.
SPACING_MARGIN = 1.05
_CHUNK = 65_536


class _StaleConnectionError(Exception):
    """A kept-alive connection turned out closed before the request reached the server."""


@dataclass(frozen=True)
class HostProfile:
    """How hard one host may be asked: requests per second and requests at once."""

    rate: float = 1.0
    concurrency: int = 2


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


def non_global_reason(address: str) -> str | None:
    """Why ``address`` may not be fetched, or None when it is a global unicast address.

    ``is_global`` is the IANA special-purpose registry (private, shared 100.64/10,
    benchmarking, documentation ...); an IPv4-mapped IPv6 address is judged as its IPv4.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        return "not a global address"
    return None


def _refusal(host: str, address: str, reason: str) -> str:
    """``10.0.0.1 is not a global address`` or ``x.org resolves to 10.0.0.1, not ...``."""
    if host == address:
        return f"{address} is {reason}"
    return f"{host} resolves to {address}, {reason}"


def host_refusal(host: str, settings: FetchSettings) -> str | None:
    """Why ``host`` may not be fetched (it resolves to a non-global address), else None.

    A name that does not resolve is left to the request, which reports it.
    """
    if host in settings.allowed_hosts:
        return None
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return None
    for address in dict.fromkeys(str(info[4][0]) for info in infos):
        reason = non_global_reason(address)
        if reason and address not in settings.allowed_hosts:
            return _refusal(host, address, reason)
    return None


@dataclass
class Page:
    """One complete HTTP answer (the body possibly capped at ``max_body``)."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class _Route:
    """Where a request's TCP connection goes: the checked address, or a proxy."""

    scheme: str
    connect_host: str
    connect_port: int
    host: str  # the name in the URL (SNI, certificate check, Host header)
    port: int
    proxy: bool


class Fetcher:
    """Checks and fetches URLs politely; one instance per build."""

    def __init__(self, settings: FetchSettings) -> None:
        """Per-host gates and idle connections are made on first use."""
        self.settings = settings
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()
        self._idle: dict[_Route, list[HTTPConnection]] = {}
        self._stopped = threading.Event()
        self._watchdog = Watchdog(settings.clock)
        env_proxies = urllib.request.getproxies_environment()
        self._proxies = settings.proxies if settings.proxies is not None else env_proxies
        self.requests = 0

    def stop(self) -> None:
        """Send no further request (the build failed); requests under way finish."""
        self._stopped.set()

    def close(self) -> None:
        """Close idle connections and the watchdog."""
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection in connections:
                connection.close()
        self._watchdog.close()

    def host(self, name: str) -> _Host:
        """The gate of host ``name``, made on first use from its profile."""
        with self._lock:
            if name not in self._hosts:
                profile = self.settings.profiles.get(name, self.settings.default_profile)
                self._hosts[name] = _Host(profile)
            return self._hosts[name]

    # -- one request, with the retries a passing fault deserves ------------------------

    def get(
        self, url: str, deadline: float, accept: str = "text/html,*/*;q=0.8"
    ) -> Page | CheckResult | None:
        """GET ``url`` (no redirects followed); 429 and 5xx retried within the Retry-After cap.

        A failure comes back as a ``CheckResult`` whose target is the URL; None means the
        deadline came first (or the build stopped).
        """
        settings = self.settings
        attempt = 0
        while True:
            answer = self._request(url, deadline, accept)
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

    def _route(self, url: str) -> _Route | CheckResult:
        """Resolve and check the host; the route to connect to, or why not."""
        target = Target(TargetKind.url, url)
        parts = urlsplit(url)
        scheme, host = parts.scheme, parts.hostname or ""
        port = parts.port or (443 if scheme == "https" else 80)
        if scheme not in ("http", "https") or not host:
            return CheckResult(target, Outcome.refused, detail=f"not an http(s) URL: {url!r}")
        if parts.username is not None or parts.password is not None:
            detail = "the URL carries credentials; they are never sent"
            return CheckResult(target, Outcome.refused, detail=detail)
        proxy = self._proxy_for(scheme, host)
        allowed = host in self.settings.allowed_hosts
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            if proxy is not None and not _is_ip(host):
                infos = []  # the proxy resolves the name; our resolver may not see it
            else:
                reason = getattr(error, "strerror", None) or str(error)
                return CheckResult(target, Outcome.unreachable, detail=f"DNS: {reason}")
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        for address in addresses:
            reason = non_global_reason(address)
            if reason and not allowed and address not in self.settings.allowed_hosts:
                detail = _refusal(host, address, reason)
                return CheckResult(target, Outcome.refused, detail=detail)
        if proxy is not None:
            proxy_parts = urlsplit(proxy)
            return _Route(
                scheme, proxy_parts.hostname or "", proxy_parts.port or 80, host, port, True
            )
        # Connect to the address just checked, so a second lookup cannot change it.
        return _Route(scheme, addresses[0], port, host, port, False)

    def _proxy_for(self, scheme: str, host: str) -> str | None:
        proxy = self._proxies.get(scheme)
        # NO_PROXY decides, as every other client does (not in typeshed, documented since 3.0).
        bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
        if not proxy or bypass(host, self._proxies):
            return None
        return proxy

    def _request(self, url: str, deadline: float, accept: str) -> Page | CheckResult | None:
        """One GET, gated by the host's limits, bounded in total by the request's end time."""
        settings = self.settings
        target = Target(TargetKind.url, url)
        route = self._route(url)
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
                return self._exchange(route, url, end, accept)
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

    def _exchange(self, route: _Route, url: str, end: float, accept: str) -> Page:
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
            return self._send(route, request_target, headers, end, fresh=False)
        except _StaleConnectionError:
            # A kept-alive connection the server had closed meanwhile: the request never
            # reached it, so it goes once more on a new connection (as every HTTP client
            # does). A new connection failing is an answer and is never sent again.
            return self._send(route, request_target, headers, end, fresh=True)

    def _send(
        self, route: _Route, target: str, headers: dict[str, str], end: float, fresh: bool
    ) -> Page:
        """One request on one connection; the whole answer read before ``end``."""
        with self._connection(route, end, fresh) as (connection, reused):
            remaining = max(0.001, end - self.settings.clock())
            connection.timeout = remaining
            try:
                connection.request("GET", target, headers=headers, preload_content=False)
                response = connection.getresponse()
            except (RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # Not the watchdog cutting a slow answer (that is a timeout), and not a new
                # connection: only then was the request lost before the server read it.
                if reused and self.settings.clock() < end:
                    raise _StaleConnectionError from None
                raise
            body = bytearray()
            complete = False
            while len(body) < self.settings.max_body:
                if self.settings.clock() >= end:
                    raise TimeoutError
                chunk = response.read1(_CHUNK)
                if not chunk:
                    complete = True
                    break
                body += chunk
            if self.settings.clock() >= end:
                raise TimeoutError  # the last bytes came too late: not a complete answer
            if not complete:
                connection.close()  # capped: the rest of the body is not wanted
            answer = Page(
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                bytes(body[: self.settings.max_body]),
            )
            return answer

    @contextmanager
    def _connection(
        self, route: _Route, end: float, fresh: bool
    ) -> Iterator[tuple[HTTPConnection, bool]]:
        """An idle connection of ``route`` (unless ``fresh``) or a new one, watched until end.

        Yields the connection and whether it was reused (kept alive from an earlier request).
        """
        connection = None
        if not fresh:
            with self._lock:
                idle = self._idle.get(route)
                connection = idle.pop() if idle else None
        reused = connection is not None
        if connection is None:
            connection = self._connect(route)
        self._watchdog.watch(connection, end)
        reusable = False
        try:
            yield connection, reused
            reusable = connection.sock is not None
        finally:
            self._watchdog.unwatch(connection)
            if reusable:
                with self._lock:
                    self._idle.setdefault(route, []).append(connection)
            else:
                connection.close()

    def _connect(self, route: _Route) -> HTTPConnection:
        connection: HTTPConnection
        if route.scheme == "https":
            connection = HTTPSConnection(
                route.connect_host,
                route.connect_port,
                server_hostname=route.host,
                assert_hostname=route.host,
            )
            if route.proxy:
                connection.set_tunnel(route.host, route.port)
        else:
            connection = HTTPConnection(route.connect_host, route.connect_port)
        return connection


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


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
