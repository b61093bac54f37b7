"""One scoring rule for every link checker: each tool's own output read into the same verdicts.

A URL is *dead* when the tool itself says so: a 404 or 410, or (only we detect it) a soft
404. Timeouts, 429 and 403/401 are counted in their own columns for every tool, never as
dead. The readers below follow each tool's documented output format:

- ours: ``link-report.json`` (one row per occurrence, ``outcome`` and ``status``);
- Sphinx linkcheck: ``output.json``, one JSON object per line: ``filename``, ``lineno``,
  ``status`` (working, broken, redirected, timeout, rate-limited, ignored, unchecked),
  ``code``, ``uri``, ``info`` (for an HTTP error, requests' message "404 Client Error: ...");
  a rate-limited link is written again when it is retried, so the last line wins;
- lychee: ``--format json``: ``error_map``/``timeout_map``/``success_map`` by input file,
  each item with ``url``, ``status`` {``text``, ``code``} and ``span`` {``line``};
- LinkChecker: ``-o csv`` (``;``-separated, ``#`` comments): ``urlname``, ``parentname``,
  ``result``, ``valid``, ``line``; a 429 is valid=True with a warning, a timeout is
  ``ReadTimeout: ...`` with valid=False.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from corpus import DEAD_KINDS, SOFT_KINDS, Truth
from sclero.model.report_schema import LinkReportJSON

VERDICTS = ("dead", "timeout", "rate_limited", "blocked", "other", "ok", "ignored")


@dataclass(frozen=True)
class Reported:
    """What a tool said of one URL, and where (file relative to the site, line; or none)."""

    url: str
    verdict: str
    file: str = ""
    line: int = 0


def _by_code(code: int) -> str:
    if code in (404, 410):
        return "dead"
    if code in (401, 403):
        return "blocked"
    if code == 429:
        return "rate_limited"
    return "other"


def read_ours(report: LinkReportJSON) -> list[Reported]:
    """Our ``link-report.json``."""
    outcomes = {
        "working": "ok",
        "redirected": "ok",
        "soft_404": "dead",
        "timeout": "timeout",
        "rate_limited": "rate_limited",
        "blocked": "blocked",
        "ignored": "ignored",
        "unchecked": "ignored",
        "pending": "ignored",
    }
    found = []
    for row in report["occurrences"]:
        if row["checked"]["kind"] != "url":
            continue  # identifiers are scored apart (run.py): no peer verifies them
        outcome = row["outcome"]
        verdict = outcomes.get(outcome, "other")
        if outcome == "broken":
            verdict = _by_code(int(row["status"]))
        found.append(Reported(row["url"], verdict, f"docs/{row['docname']}.md", row["lineno"]))
    return found


_CODE = re.compile(r"^([0-9]{3}) ")


def read_sphinx(output_json: str, srcdir: str = "docs") -> list[Reported]:
    """Sphinx's ``output.json`` (the last line per link and place wins)."""
    last: dict[tuple[str, str, int], dict[str, Any]] = {}
    for line in output_json.splitlines():
        if line.strip():
            item = json.loads(line)
            last[(item["uri"], item["filename"], item["lineno"])] = item
    found = []
    for (uri, filename, lineno), item in last.items():
        status = item["status"]
        if status == "broken":
            match = _CODE.match(str(item["info"]))
            verdict = _by_code(int(match.group(1))) if match else "other"
            if str(item["info"]) == "unauthorized":
                verdict = "blocked"
        else:
            verdict = {
                "working": "ok",
                "redirected": "ok",
                "timeout": "timeout",
                "rate-limited": "rate_limited",
            }.get(status, "ignored")
        found.append(Reported(uri, verdict, f"{srcdir}/{filename}", int(lineno)))
    return found


def read_lychee(stdout: str, root: str) -> list[Reported]:
    """lychee's JSON; files named relative to ``root``."""
    data = json.loads(stdout) if stdout.strip() else {}
    found = []
    for key, default in (("error_map", "other"), ("timeout_map", "timeout"), ("success_map", "ok")):
        for file, items in (data.get(key) or {}).items():
            relative = _relative(file, root)
            for item in items:
                status = item.get("status") or {}
                code = status.get("code")
                verdict = default
                if key == "error_map":
                    if isinstance(code, int):
                        verdict = _by_code(code)
                    elif "timeout" in str(status.get("text", "")).lower():
                        verdict = "timeout"
                span = item.get("span") or {}
                found.append(Reported(item["url"], verdict, relative, int(span.get("line") or 0)))
    return found


def read_linkchecker(csv_text: str, root: str) -> list[Reported]:
    """LinkChecker's CSV; a Markdown parent is located at its line, an HTML one is not."""
    lines = [line for line in csv_text.splitlines() if line and not line.startswith("#")]
    found = []
    for row in csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"):
        url, result = row.get("urlname") or "", row.get("result") or ""
        if not url.startswith(("http://", "https://")):
            continue
        valid = row.get("valid") == "True"
        match = _CODE.match(result)
        if match and (not valid or int(match.group(1)) == 429):
            verdict = _by_code(int(match.group(1)))
        elif "timeout" in result.lower():
            verdict = "timeout"
        else:
            verdict = "ok" if valid else "other"
        parent = row.get("parentname") or ""
        file, line = "", 0
        if parent.endswith(".md") and (row.get("line") or "").isdigit():
            file, line = _relative(unquote(urlsplit(parent).path), root), int(row["line"])
        found.append(Reported(url, verdict, file, line))
    return found


def _relative(path: str, root: str) -> str:
    pure, base = PurePosixPath(path), PurePosixPath(root)
    return pure.relative_to(base).as_posix() if pure.is_relative_to(base) else pure.as_posix()


def score(
    reported: Iterable[Reported], truth: Truth, lines_of: Callable[[str, str], set[int]]
) -> dict[str, Any]:
    """Precision and recall of "dead", recall per kind, the other columns, and located share.

    ``lines_of(file, url)`` gives the lines where ``url`` is written in ``file`` in the
    variant the tool read.
    """
    reported = list(reported)
    verdicts: dict[str, set[str]] = {v: set() for v in VERDICTS}
    for item in reported:
        verdicts[item.verdict].add(item.url)
    dead = truth.dead
    predicted = verdicts["dead"]
    hits = predicted & dead
    kinds = {"missing (404)": ("missing",), "gone (410)": ("gone",), "soft 404": SOFT_KINDS}
    decoys = {u for u, k in truth.link_kinds.items() if k.startswith("decoy")}
    wanted = [(f, u) for f, _, u in truth.link_occurrences if u in dead]
    places = {(r.file, r.line, r.url) for r in reported if r.verdict == "dead" and r.file}
    located = sum(any((f, n, u) in places for n in lines_of(f, u)) for f, u in wanted)
    return {
        "dead_predicted": len(predicted),
        "precision": len(hits) / len(predicted) if predicted else 1.0,
        "recall": len(hits) / len(dead) if dead else 1.0,
        "recall_by_kind": {
            label: _share(predicted, {u for u, k in truth.link_kinds.items() if k in group})
            for label, group in kinds.items()
        },
        "decoys_called_dead": len(predicted & decoys),
        "missed": sorted(truth.link_kinds[u] for u in dead - predicted),
        "timeouts": len(verdicts["timeout"]),
        "rate_limited": len(verdicts["rate_limited"]),
        "blocked": len(verdicts["blocked"]),
        "located_share": located / len(wanted) if wanted else 1.0,
    }


def _share(predicted: set[str], group: set[str]) -> float:
    return len(predicted & group) / len(group) if group else 1.0


__all__ = [
    "DEAD_KINDS",
    "Reported",
    "read_linkchecker",
    "read_lychee",
    "read_ours",
    "read_sphinx",
    "score",
]
