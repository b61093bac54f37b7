"""``make import SRC=legacy/page.txt SLUG=osteoporosis``: write docs/topics/<slug>.md."""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from pathlib import Path

from ..model.legacy_grammar import parse_entry
from ..model.topics import TOPIC_PREFIX, slug_problem
from ..reporting.terminal import one_line
from .blocks import Classifier, LegacyPage, paragraphs_of_text
from .html import import_html
from .topics import read_topic_index
from .writer import ImportOptions, write_page


def import_page(source: Path, options: ImportOptions) -> tuple[LegacyPage, str]:
    """The page read from ``source`` (.html/.htm or text), and its MyST text."""
    raw = source.read_bytes().decode("utf-8", errors="replace")
    if source.suffix.lower() in (".html", ".htm"):
        classifier, body = import_html(raw, options.topics)
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', raw)
        if not options.legacy_url and canonical:
            options = dataclasses.replace(options, legacy_url=canonical.group(1))
        page = classifier.page
        return page, write_page(page, options, body)
    paragraphs = paragraphs_of_text(raw)
    classifier = Classifier([parse_entry(t).date_text for _, t in paragraphs])
    for line, text in paragraphs:
        classifier.add(line, text)
    page = classifier.page
    return page, write_page(page, options)


def report(page: LegacyPage, source: str) -> list[str]:
    """Located lines in line order: every defect and every block left for review."""
    located = [
        (d.line, f"{source}:{d.line}: WARNING: {d.message} [sclero.{d.subtype.value}]")
        for d in page.defects
    ]
    located += [
        (b.line, f"{source}:{b.line}: to review: {b.reason}: '{b.text[:60]}…'")
        for b in page.blocks
        if b.kind == "review"
    ]
    return [one_line(text) for _, text in sorted(located, key=lambda item: item[0])]


def main(argv: list[str] | None = None) -> int:
    """Import one page; print its findings; refuse to overwrite a page unless told to."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path)
    parser.add_argument("slug")
    parser.add_argument("--docs", type=Path, default=Path("docs"))
    parser.add_argument("--legacy-url", default="")
    parser.add_argument("--as-of", default="", help="the year the legacy copy is from")
    parser.add_argument("--force", action="store_true", help="overwrite an existing page")
    args = parser.parse_args(argv)
    if not str(args.source).strip() or args.source == Path():
        sys.stderr.write("SRC: which legacy page? make import SRC=legacy/page.html SLUG=name\n")
        return 2
    if problem := slug_problem(args.slug):
        sys.stderr.write(problem + "\n")
        return 2
    try:
        topics = read_topic_index(args.docs / TOPIC_PREFIX)
        options = ImportOptions(topics, args.legacy_url, args.as_of)
        page, text = import_page(args.source, options)
    except OSError as error:
        sys.stderr.write(f"{args.source}: cannot be read ({error.strerror})\n")
        return 2
    out = args.docs / TOPIC_PREFIX / f"{args.slug}.md"
    if out.exists() and not args.force:
        sys.stderr.write(f"{out} exists already (--force overwrites it)\n")
        return 2
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        sys.stderr.write(f"{out}: cannot be written ({error.strerror})\n")
        return 2
    for line in report(page, str(args.source)):
        sys.stdout.write(line + "\n")
    if not options.legacy_url:
        sys.stdout.write(
            f"{args.source}: no legacy-url written (a text copy names no address); give "
            "LEGACY_URL=… (make) or --legacy-url to record where the page came from\n"
        )
    entries = sum(1 for b in page.blocks if b.kind == "entry")
    reviews = sum(1 for b in page.blocks if b.kind == "review")
    sys.stdout.write(
        f"wrote {out}: {entries} citations, {len(page.defects)} legacy defects, {reviews} "
        f"block(s) to review, {page.dropped} chrome paragraph(s) dropped. Candidate PMIDs for "
        "entries without identifiers are looked up by make suggest-ids (it needs the network; "
        "an offline import skips it).\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
