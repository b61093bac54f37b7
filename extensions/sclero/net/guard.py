"""Where a request may connect: only to a global address, checked once and then used.

The route connects to the very address that was checked, on every redirect hop, so a second
DNS answer (DNS rebinding) cannot slip a private address in between check and connection.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..model.targets import CheckResult, Outcome, Target, TargetKind


@dataclass(frozen=True)
class Route:
    """Where a request's TCP connection goes: the checked address, or a proxy."""

    scheme: str
    connect_host: str
    connect_port: int
    host: str  # the name in the URL (SNI, certificate check, Host header)
    port: int
    proxy: bool


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


def _is_localhost(host: str) -> bool:
    """``localhost`` and ``*.localhost`` are loopback by definition (RFC 6761, 6.3)."""
    name = host.lower().rstrip(".")
    return name == "localhost" or name.endswith(".localhost")


def _name_refused(host: str, allowed: frozenset[str]) -> str | None:
    """Why ``host`` is refused by its name alone, whatever a resolver says of it."""
    if _is_localhost(host) and host not in allowed:
        return f"{host} is a loopback name (RFC 6761), not a global address"
    return None


def _first_refused(host: str, addresses: list[str], allowed: frozenset[str]) -> str | None:
    """Why the first address of ``host`` that is neither global nor allowed is refused."""
    if host in allowed:
        return None
    for address in addresses:
        reason = non_global_reason(address)
        if reason and address not in allowed:
            return _refusal(host, address, reason)
    return None


def _resolve(host: str, port: int | None) -> list[str]:
    """The distinct addresses of ``host``, in the resolver's order (raises as getaddrinfo)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def host_refusal(host: str, allowed: frozenset[str]) -> str | None:
    """Why ``host`` may not be fetched (it resolves to a non-global address), else None.

    A name that does not resolve is left to the request, which reports it.
    """
    if host in allowed:
        return None
    if refused := _name_refused(host, allowed):
        return refused
    try:
        addresses = _resolve(host, None)
    except (socket.gaierror, UnicodeError):
        return None
    return _first_refused(host, addresses, allowed)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class Router:
    """Resolves, checks and routes each URL (through a proxy where the environment says)."""

    def __init__(self, allowed: frozenset[str], proxies: dict[str, str] | None) -> None:
        """``proxies`` maps scheme to proxy URL; None reads HTTP(S)_PROXY and NO_PROXY."""
        self.allowed = allowed
        self.proxies = proxies if proxies is not None else urllib.request.getproxies_environment()

    def route(self, url: str) -> Route | CheckResult:
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
        if refused := _name_refused(host, self.allowed):
            return CheckResult(target, Outcome.refused, detail=refused)
        proxy = self._proxy_for(scheme, host)
        try:
            addresses = _resolve(host, port)
        except (socket.gaierror, UnicodeError) as error:
            if proxy is not None and not _is_ip(host):
                addresses = []  # the proxy resolves the name; our resolver may not see it
            else:
                reason = getattr(error, "strerror", None) or str(error)
                return CheckResult(target, Outcome.unreachable, detail=f"DNS: {reason}")
        refused = _first_refused(host, addresses, self.allowed)
        if refused:
            return CheckResult(target, Outcome.refused, detail=refused)
        if proxy is not None:
            proxy_parts = urlsplit(proxy)
            return Route(
                scheme, proxy_parts.hostname or "", proxy_parts.port or 80, host, port, True
            )
        # Connect to the address just checked, so a second lookup cannot change it.
        return Route(scheme, addresses[0], port, host, port, False)

    def _proxy_for(self, scheme: str, host: str) -> str | None:
        proxy = self.proxies.get(scheme)
        # NO_PROXY decides, as every other client does (not in typeshed, documented since 3.0).
        bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
        if not proxy or bypass(host, self.proxies):
            return None
        return proxy
