"""What a link check looks at (typed targets), what it can conclude, and for how long."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field


class LinkMode(enum.StrEnum):
    """How much of the network a build may use for links and identifiers."""

    offline = "offline"  # results from the store only (make html, make check-offline)
    budget = "budget"  # new or expired targets within sclero_linkcheck_budget (make check)
    full = "full"  # every expired target, no budget (make linkcheck)


class TargetKind(enum.StrEnum):
    """What is checked: a plain URL, or an identifier at its registry."""

    url = "url"
    pmid = "pmid"
    pmcid = "pmcid"
    doi = "doi"

    @property
    def label(self) -> str:
        """How the identifier is written in messages: PMID, PMCID, DOI (or URL)."""
        return self.value.upper()


IDENTIFIER_KINDS = frozenset({TargetKind.pmid, TargetKind.pmcid, TargetKind.doi})


@dataclass(frozen=True, order=True)
class Target:
    """One thing to check: a normalised URL (no fragment) or an identifier.

    DOIs are case-insensitive (the DOI Handbook, 3.4), so their value is kept lower-cased;
    comparing two targets never needs string surgery.
    """

    kind: TargetKind
    value: str

    @classmethod
    def identifier(cls, kind: TargetKind, value: str) -> Target:
        """The target of an identifier as written (DOIs compared without case)."""
        return cls(kind, value.lower() if kind is TargetKind.doi else value)

    @property
    def is_identifier(self) -> bool:
        """True for PMIDs, PMCIDs and DOIs."""
        return self.kind in IDENTIFIER_KINDS

    def __str__(self) -> str:
        """``PMID 123``, ``DOI 10.1/x`` or the URL itself, for messages."""
        return self.value if self.kind is TargetKind.url else f"{self.kind.label} {self.value}"


class Outcome(enum.StrEnum):
    """The class of one checked target (not just pass/fail)."""

    working = "working"
    redirected = "redirected"  # permanent redirect: the new URL is the fix
    broken = "broken"  # 404 or 410, or a registry's "no such identifier"
    anchor = "anchor"  # the page works but lacks an element the link's #fragment names
    soft_404 = "soft_404"  # a 200 "not found" page, or a redirect to a home/search page
    blocked = "blocked"  # 401, 403, 418, 999, a bot wall: unverifiable, not broken
    rate_limited = "rate_limited"  # 429 beyond the Retry-After cap
    timeout = "timeout"  # no complete answer (connect, headers and body) in time
    server_error = "server_error"  # 5xx
    unreachable = "unreachable"  # DNS failure or refused connection
    refused = "refused"  # we refused: not a global address, credentials, unsafe scheme
    error = "error"  # anything else (TLS failure, malformed response)


# "Not verified": a passing fault of the network or the server, never a verdict on the page.
# Such results never start or end a run of failures (see net/store.py).
TRANSIENT = frozenset(
    {
        Outcome.rate_limited,
        Outcome.timeout,
        Outcome.server_error,
        Outcome.unreachable,
        Outcome.error,
    }
)
# Verdicts against a link; each must be seen twice, some hours apart, before it counts.
FAILING = frozenset({Outcome.broken, Outcome.anchor, Outcome.soft_404})

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
    **dict.fromkeys(TRANSIENT, 1 * HOUR),
}
# An identifier's record is fetched again weekly: that is how a retraction is noticed.
IDENTIFIER_TTL = 7 * DAY


def time_to_live(target: Target, outcome: Outcome) -> float:
    """How long a result of ``target`` stays fresh."""
    if outcome is Outcome.working and target.is_identifier:
        return IDENTIFIER_TTL
    return TTL.get(outcome, 0.0)


@dataclass(frozen=True)
class CheckResult:
    """The result of checking one target.

    ``missing_anchors`` names the fragments the page lacks, as data: a link is judged by
    whether *its own* fragment is in the set, never by searching the message text.
    """

    target: Target
    outcome: Outcome
    status: int = 0
    detail: str = ""
    new_url: str = ""
    missing_anchors: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Occurrence:
    """One place a link is written: file, line and, inside a citation, its anchor."""

    url: str
    docname: str
    lineno: int
    citation: str = ""


@dataclass(frozen=True)
class Keyed:
    """An occurrence with the target it names and its fragment."""

    occurrence: Occurrence
    target: Target
    fragment: str

    def __reduce__(self) -> tuple[Callable[..., Keyed], tuple[str | int, ...]]:
        """Pickled flat: the environment holds thousands, and nested objects load slowly."""
        o, t = self.occurrence, self.target
        return _keyed, (o.url, o.docname, o.lineno, o.citation, t.kind.value, t.value,
                        self.fragment)  # fmt: skip


def _keyed(
    url: str, docname: str, lineno: int, citation: str, kind: str, value: str, fragment: str
) -> Keyed:
    return Keyed(Occurrence(url, docname, lineno, citation), Target(_KINDS[kind], value), fragment)


_KINDS = {kind.value: kind for kind in TargetKind}
