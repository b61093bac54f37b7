"""The body of the weekly "broken links" issue, from ``link-report.json``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# What the weekly issue lists: confirmed problems only, never notes (blocked, transient, ...).
LISTED = {
    "sclero.link_broken",
    "sclero.link_anchor",
    "sclero.link_soft_404",
    "sclero.link_identifier",
    "sclero.link_refused",
}


def issue_body(report: dict[str, Any], source_prefix: str = "docs/") -> str:
    """Markdown: one line per occurrence of a broken link, grouped by URL."""
    rows = [r for r in report["occurrences"] if r["rule"] in LISTED]
    if not rows:
        return "The weekly link check found no broken links.\n"
    by_url: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_url.setdefault(str(row["url"]), []).append(row)
    out = [
        f"The weekly link check found {len(by_url)} broken link(s) ({len(rows)} occurrences).",
        "",
    ]
    for url, places in sorted(by_url.items()):
        detail = places[0]["detail"] or places[0]["status"]
        out.append(f"- {url} ({places[0]['outcome']}: {detail})")
        for place in places:
            out.append(f"  - `{source_prefix}{place['docname']}.md:{place['lineno']}`")
    return "\n".join(out) + "\n"


def main() -> int:
    """``python -m sclero.linkcheck.issue_body _build/html/link-report.json``; exit 1 if broken."""
    report = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    body = issue_body(report)
    sys.stdout.write(body)
    return 0 if body.startswith("The weekly link check found no") else 1


if __name__ == "__main__":
    sys.exit(main())
