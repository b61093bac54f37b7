"""What a link check can conclude, and how long each conclusion stays true."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Outcome(enum.StrEnum):
    """The class of one checked URL (not just pass/fail)."""

    working = "working"
    redirected = "redirected"  # permanent redirect: the new URL is the fix
    broken = "broken"  # 404, 410, DNS failure, refused connection
    anchor = "anchor"  # the page works but has no element with the linked #fragment
    soft_404 = "soft_404"  # a 200 "not found" page, or a redirect to a home/search page
    blocked = "blocked"  # 403, 418, 999, a bot wall: unverifiable, not broken
    rate_limited = "rate_limited"  # 429 beyond the Retry-After cap
    timeout = "timeout"
    server_error = "server_error"  # 5xx
    refused = "refused"  # private/loopback/link-local target (SSRF guard) or unsafe scheme
    error = "error"  # anything else (TLS failure, malformed response)


# Outcomes that may be a passing fault: they never fail a build on a first occurrence.
TRANSIENT = frozenset({Outcome.rate_limited, Outcome.timeout, Outcome.server_error, Outcome.error})
# Outcomes that are a problem once confirmed (twice, some hours apart).
FAILING = frozenset({Outcome.broken, Outcome.anchor, Outcome.soft_404}) | TRANSIENT

HOUR = 3600.0
DAY = 24 * HOUR
# How long a result stays fresh before it is checked again.
TTL: dict[Outcome, float] = {
    Outcome.working: 21 * DAY,
    Outcome.redirected: 7 * DAY,
    Outcome.blocked: 7 * DAY,
    Outcome.refused: 30 * DAY,
    Outcome.broken: 12 * HOUR,
    Outcome.anchor: 12 * HOUR,
    Outcome.soft_404: 12 * HOUR,
    Outcome.rate_limited: 1 * HOUR,
    Outcome.timeout: 1 * HOUR,
    Outcome.server_error: 1 * HOUR,
    Outcome.error: 1 * HOUR,
}


@dataclass(frozen=True)
class CheckResult:
    """The result of checking one (normalised) URL."""

    url: str
    outcome: Outcome
    status: int = 0
    detail: str = ""
    new_url: str = ""


@dataclass(frozen=True)
class Occurrence:
    """One place a URL is written: file, line and, inside a citation, its anchor."""

    url: str
    docname: str
    lineno: int
    citation: str = ""
