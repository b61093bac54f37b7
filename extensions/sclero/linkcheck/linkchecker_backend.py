"""LinkChecker as a backend in its own process (its timeout, signals and GPL code stay apart)."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..model.targets import CheckResult, Outcome, Target, TargetKind
from ..net.fetch import FetchSettings
from ..net.guard import host_refusal
from .urls import Anchors, Results

_STATUS = re.compile(r"^(\d{3})\b")
_REDIRECT = re.compile(r"Redirected to `([^']+)'")


@dataclass(frozen=True)
class CrawlRow:
    """One line of LinkChecker's CSV: the link, the page it is on, and LinkChecker's verdict."""

    url: str
    parent: str
    line: int
    result: str
    info: str
    valid: bool


def linkchecker_command() -> list[str]:
    """LinkChecker from this interpreter's environment."""
    return [str(Path(sys.executable).with_name("linkchecker"))]


def run_linkchecker(
    targets: Iterable[str], settings: FetchSettings, timeout: float, extra: Iterable[str] = ()
) -> list[CrawlRow]:
    """Run LinkChecker over ``targets`` and parse every row it logs (``-v``: valid ones too)."""
    rate = settings.default_profile.rate
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "linkcheckerrc"
        # Its per-host pace, from our default profile (LinkChecker has one setting for all).
        config.write_text(f"[checking]\nmaxrequestspersecond={rate:g}\n", encoding="utf-8")
        command = [
            *linkchecker_command(), "-f", str(config), "--no-status", "-v", "-o", "csv",
            # LinkChecker takes whole seconds only (a fraction makes it refuse to start).
            "--timeout", str(max(1, round(settings.timeout))), "--user-agent", settings.user_agent,
            *extra, *targets,
        ]  # fmt: skip
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=max(1.0, timeout), check=False
            )
        except subprocess.TimeoutExpired as expired:
            output = expired.stdout if isinstance(expired.stdout, str) else ""
        else:
            output = done.stdout
    lines = [line for line in output.splitlines() if line and not line.startswith("#")]
    rows: list[CrawlRow] = []
    for record in csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"):
        line = record.get("line") or ""
        rows.append(
            CrawlRow(
                url=record.get("urlname") or "",
                parent=record.get("parentname") or "",
                line=int(line) if line.isdigit() else 0,
                result=record.get("result") or "",
                info=record.get("infostring") or "",
                valid=record.get("valid") == "True",
            )
        )
    return rows


def classify(row: CrawlRow, target: Target | None = None) -> CheckResult:
    """LinkChecker's verdict in our classes (it counts 429 and robots-blocked URLs as valid).

    A failed connection or name lookup is a network fault to us ("not verified"), never a
    broken link, whatever LinkChecker calls it.
    """
    target = target or Target(TargetKind.url, row.url)
    match = _STATUS.match(row.result)
    status = int(match.group(1)) if match else 0
    if "robots.txt" in row.info:
        return CheckResult(target, Outcome.blocked, status, "robots.txt forbids checking")
    if status == 429:
        return CheckResult(target, Outcome.rate_limited, status, "429 Too Many Requests")
    if status in (401, 403, 418, 999):
        return CheckResult(target, Outcome.blocked, status, f"{status}: refuses automated checks")
    if status in (404, 410):
        return CheckResult(target, Outcome.broken, status, str(status))
    if status >= 500:
        return CheckResult(target, Outcome.server_error, status, str(status))
    if "timed out" in row.result.lower() or "timeout" in row.result.lower():
        return CheckResult(target, Outcome.timeout, 0, row.result)
    if row.valid and (redirect := _REDIRECT.search(row.info)):
        return CheckResult(target, Outcome.redirected, status, "redirected", redirect.group(1))
    if row.valid:
        return CheckResult(target, Outcome.working, status)
    outcome = (
        Outcome.unreachable
        if "ConnectionError" in row.result or "nodename" in row.result
        else Outcome.error
    )
    return CheckResult(target, outcome, status, " ".join(row.result.split())[:120])


class LinkCheckerBackend:
    """The plain-URL half of the check, done by LinkChecker; same interface as ``Fetcher``."""

    def __init__(self, settings: FetchSettings) -> None:
        """Keep the settings; LinkChecker is started per batch."""
        self.settings = settings
        self.requests = 0

    def check_all(
        self, targets: Iterable[Target], deadline: float, anchors: Anchors = None
    ) -> Results:
        """One LinkChecker run over the batch; refused hosts never reach it."""
        results: dict[Target, CheckResult] = {}
        allowed: dict[str, Target] = {}
        for target in targets:
            host = urlsplit(target.value).hostname or ""
            reason = host_refusal(host, self.settings.allowed_hosts)
            if reason is None:
                allowed[target.value] = target
            else:
                results[target] = CheckResult(target, Outcome.refused, detail=reason)
        if not allowed:
            return results
        # LinkChecker follows redirects itself, so non-global addresses on a redirect hop
        # cannot be refused here; the built-in fetcher can, and is the default.
        rows = run_linkchecker(
            list(allowed), self.settings, deadline - time.monotonic(), ["-r", "0", "--check-extern"]
        )
        self.requests += len(rows)
        for row in rows:
            if row.url in allowed:
                results[allowed[row.url]] = classify(row, allowed[row.url])
        return results
