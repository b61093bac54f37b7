"""`make linkcheck`, second half: LinkChecker crawls the built HTML; failures map to sources."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..model.targets import Outcome
from ..net.fetch import FetchSettings
from ..net.gates import HostProfile
from .linkchecker_backend import CrawlRow, classify, run_linkchecker

FAILURES = frozenset({Outcome.broken, Outcome.anchor, Outcome.soft_404, Outcome.error})


def source_location(row: CrawlRow, html_root: Path, source_root: Path) -> tuple[str, int]:
    """The source file and line a crawled link comes from (its text searched in the source)."""
    parent = Path(unquote(urlsplit(row.parent).path))
    try:
        docname = parent.relative_to(html_root.resolve()).with_suffix("").as_posix()
    except ValueError:
        return row.parent, row.line
    source = source_root / f"{docname}.md"
    if not source.exists():
        return str(parent), row.line
    needles = [row.url]
    parts = urlsplit(row.url)
    if parts.scheme == "file" or not parts.scheme:
        # Internal links appear in the source as a target name, not as the output path.
        needles.append(Path(parts.path).stem)
    for number, text in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if any(needle and needle in text for needle in needles):
            return str(source), number
    return str(source), 0


def crawl(
    html_root: Path, source_root: Path, timeout: float, external: bool, ignore: tuple[str, ...] = ()
) -> list[str]:
    """Crawl from index.html; return one located line per failing link."""
    settings = FetchSettings(
        user_agent="SCLERO-topics-linkcheck/1.0 (crawl)",
        timeout=10.0,
        default_profile=HostProfile(2.0, 2),
    )
    extra = ["--check-extern"] if external else []
    for pattern in ignore:
        extra += ["--ignore-url", pattern]
    rows = run_linkchecker([str((html_root / "index.html").resolve())], settings, timeout, extra)
    if not rows:
        # LinkChecker checked nothing (unreadable files as "nobody", a crash): never a pass.
        return [f"{html_root}: LinkChecker reported no links at all; is the tree world-readable?"]
    problems: list[str] = []
    for row in rows:
        result = classify(row)
        if result.outcome in FAILURES:
            path, line = source_location(row, html_root, source_root)
            where = f"{path}:{line}" if line else path
            problems.append(f"{where}: {row.url}: {result.outcome.value} ({row.result})")
    return sorted(set(problems))


def main(argv: list[str] | None = None) -> int:
    """``python -m sclero.linkcheck.crawl _build/html docs``: exit 1 when a link fails."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("html", type=Path)
    parser.add_argument("sources", type=Path)
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--external", action="store_true", help="also check external links")
    parser.add_argument("--json", type=Path, help="write the failures here as JSON")
    parser.add_argument("--ignore", action="append", default=[], help="URL regex not to check")
    args = parser.parse_args(argv)
    problems = crawl(args.html, args.sources, args.timeout, args.external, tuple(args.ignore))
    if args.json:
        args.json.write_text(json.dumps(problems, indent=2) + "\n", encoding="utf-8")
    for problem in problems:
        sys.stderr.write(problem + "\n")
    sys.stderr.write(f"crawl: {len(problems)} failing links\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
