"""``make cite-fill PAGE=…``: fill the empty fields of a page's entries from their records.

Citation bot's rule: only a field that is missing or empty is filled, only from a record that
describes the entry's paper (its title matches), and a field a person wrote is never changed.
Each filled field is printed as a diff.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from ..model.identifier_input import IdentifierInputError, parse_identifier
from ..model.registry_record import Record, source_rank
from ..model.targets import Target
from ..model.titles import titles_match
from ..reporting.terminal import one_line
from .page_text import IDENTIFIER_FIELDS, Entry, entries, page_problem
from .registry import Answers, listed, registries, unreachable

# The fields a record can fill, in the order the contributor guide lists them.
FILLED = ("journal", "date", "volume", "issue", "pages", "pmid", "pmcid", "doi")


def record_values(record: Record) -> dict[str, str]:
    """What a record says for each fillable field (empty where it says nothing)."""
    ids = {t.kind.value: t.value for t in listed(record)}
    return {
        "journal": record.journal,
        "date": record.date,
        "volume": record.volume,
        "issue": record.issue,
        "pages": record.pages,
        "pmid": ids.get("pmid", ""),
        "pmcid": record.pmcid,
        "doi": record.doi,
    }


def fill_entry(lines: list[str], entry: Entry, values: Mapping[str, str]) -> list[str]:
    """``lines`` with ``entry``'s missing or empty fields filled from ``values``; nothing else."""
    out = list(lines)
    present = {name: (index, value) for index, name, value in entry.options}
    added = []
    for name in FILLED:
        value = " ".join(values.get(name, "").split())
        if not value:
            continue
        if name not in present:
            added.append(f":{name}: {value}")
        elif not present[name][1]:
            out[present[name][0]] = f":{name}: {value}"
    end = entry.options[-1][0] + 1 if entry.options else entry.block.start + 1
    return out[:end] + added + out[end:]


def _identifiers(entry: Entry) -> list[Target]:
    found = []
    for _, name, value in entry.options:
        if name in IDENTIFIER_FIELDS and value:
            try:
                found.append(parse_identifier(f"{name}:{value}"))
            except IdentifierInputError:
                continue  # the build reports a malformed identifier; nothing is filled from it
    return found


def matched_record(entry: Entry, answers: Answers) -> Record | None:
    """The first record (PubMed, Crossref, PMC) of the entry's identifiers that is its paper."""
    records = [r for t in _identifiers(entry) if (r := answers.records.get(t)) is not None]
    records.sort(key=source_rank)
    return next((r for r in records if titles_match(entry.title, r.title)), None)


def run(page: Path, project: Path) -> tuple[int, list[str]]:
    """Exit status and what to print: the diff of the filled fields, or why nothing was."""
    if problem := page_problem(project, page):
        return 2, [problem]
    try:
        lines = page.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as error:
        return 2, [f"{page}: cannot be read ({error})"]
    found = [e for e in entries(lines) if _identifiers(e)]
    targets = [t for e in found for t in _identifiers(e)]
    if not targets:
        return 0, [f"{page}: no entry with a PMID, PMCID or DOI to fill"]
    with registries(project) as registry:
        answers = registry.ask(targets)
    if faults := unreachable(answers, targets):
        return 1, [f"the registries could not be reached ({faults[0].target}: "
                   f"{faults[0].detail}); nothing was filled: try again online"]  # fmt: skip
    filled = list(lines)
    for entry in reversed(found):  # from the end, so earlier entries keep their lines
        record = matched_record(entry, answers)
        if record is not None:
            filled = fill_entry(filled, entry, record_values(record))
    if filled == lines:
        return 0, [f"{page}: every field a record could fill is filled already"]
    page.write_text("\n".join(filled), encoding="utf-8")
    diff = difflib.unified_diff(lines, filled, str(page), str(page), lineterm="", n=1)
    return 0, list(diff)


def main() -> int:
    """Fill the page the environment names (``PAGE``); print the diff, each line on one line."""
    page = os.environ.get("PAGE", "").strip()
    if not page:
        sys.stderr.write("PAGE: which page? make cite-fill PAGE=docs/topics/x.md\n")
        return 2
    status, lines = run(Path(page), Path.cwd())
    for line in lines:
        (sys.stdout if status == 0 else sys.stderr).write(one_line(line) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
