"""``make cite ID=… [PAGE=…] [SECTION=…] [SUMMARY=…] [FORCE=1]``: a citation from its record.

The entry is written from the record the registries hold (title, NLM journal, date, volume,
issue, pages, every identifier the record lists); nothing else is filled in. The summary is
the editor's sentence: without ``SUMMARY`` it stays empty and the build says so. Refused,
with the reason: an identifier already on the page, one that names nothing, identifiers of
one work that name different papers, a retracted paper or one under an expression of
concern (unless ``FORCE=1``), and any answer that did not come (nothing is written offline).

Arguments come from the environment (``make`` passes its variables there), so an editor's
text reaches this module as data, never through a shell.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..checks.journals import journal_key, load_catalogue
from ..model.identifier_input import IdentifierInputError, parse_identifiers
from ..model.myst_source import citation_source
from ..model.records import TEXT_FIELDS
from ..model.registry_record import NOTICE_INFO, NoticeKind, Record, source_rank
from ..model.targets import Outcome, Target, TargetKind
from ..model.titles import titles_match
from ..reporting.terminal import one_line
from .page_text import cited, insert, insertion_point, page_problem
from .registry import Answers, listed, registries, unreachable


class RefusedError(Exception):
    """What a careful editor would not write; the message says why, on one line."""


@dataclass(frozen=True)
class Work:
    """One paper: the identifiers given for it, and the records that describe it."""

    given: tuple[Target, ...]
    records: tuple[Record, ...]

    @property
    def identifiers(self) -> set[Target]:
        """Given and listed by its records."""
        return set(self.given) | {t for r in self.records for t in listed(r)}


def resolve(given: list[Target], answers: Answers) -> Work:
    """The paper ``given`` names, or RefusedError: nothing found, or two different papers."""
    records: list[Record] = []
    for target in given:
        result = answers.results.get(target)
        if result is not None and result.outcome is Outcome.broken:
            raise RefusedError(f"{target} names nothing: {result.detail or 'no such record'}")
        record = answers.records.get(target)
        if record is None:
            raise RefusedError(f"{target}: the registry sent no record to write the entry from")
        records.append(record)
    first, first_target = records[0], given[0]
    for target, record in zip(given[1:], records[1:], strict=True):
        agree = titles_match(first.title, record.title) and not _contradicts(first, record)
        if not agree:
            raise RefusedError(
                f"{first_target} and {target} name different papers: {first.title!r} "
                f"({first.source}) and {record.title!r} ({record.source})"
            )
    # The records the given ones list (a PMID's DOI at Crossref), where they agree.
    for target in {t for r in records for t in listed(r)} - set(given):
        extra = answers.records.get(target)
        if extra is not None and titles_match(first.title, extra.title) and extra not in records:
            records.append(extra)
    ordered = sorted(records, key=source_rank)
    return Work(tuple(given), tuple(dict.fromkeys(ordered)))


def _contradicts(a: Record, b: Record) -> bool:
    """Two records that give different values for one kind of identifier."""
    return any(x and y and x.lower() != y.lower() for x, y in
               ((a.pmid, b.pmid), (a.pmcid, b.pmcid), (a.doi, b.doi)))  # fmt: skip


def notices(work: Work) -> list[str]:
    """Retractions and expressions of concern the records carry, one line each."""
    lines = []
    for record in work.records:
        if record.retracted:
            lines.append(f"{record.source} marks {record.identifier} as retracted")
        for notice in record.notices:
            if notice.kind in (NoticeKind.retraction, NoticeKind.concern):
                where = f" ({notice.url})" if notice.url else ""
                lines.append(
                    f"{NOTICE_INFO[notice.kind].title}: {notice.label}{where}, from {notice.source}"
                )
    return list(dict.fromkeys(lines))


def entry_fields(work: Work) -> tuple[str, list[tuple[str, str]]]:
    """The title and fields of the entry, from the paper's first record; nothing invented."""
    record = work.records[0]
    title = record.title.removesuffix(".") if record.title.endswith(".") else record.title
    ids = {t.kind.value: t.value for t in sorted(work.identifiers, key=str)}
    for kind in (TargetKind.pmid, TargetKind.pmcid):
        ids.setdefault(kind.value, "")
    ids["pmcid"] = ids["pmcid"].upper()
    values = {
        # Where the editor found it: PubMed, or PubMed Central for a PMC record alone.
        "outlet": {"PubMed": "PubMed", "PMC": "PubMed Central"}.get(record.source, ""),
        "authors": next((r.nlm_authors() for r in work.records if r.authors), ""),
        "journal": nlm_journal(record),
        "date": record.date,
        "volume": record.volume,
        "issue": record.issue,
        "pages": record.pages,
        **{name: ids.get(name, "") for name in ("pmid", "pmcid", "doi")},
    }
    # A DOI as the record writes it (registries keep case; the target is lower-cased).
    values["doi"] = next((r.doi for r in work.records if r.doi), values["doi"])
    return title, [(name, values[name]) for name in TEXT_FIELDS if values.get(name)]


def nlm_journal(record: Record) -> str:
    """The journal as its NLM abbreviation: PubMed's own, else the catalogue's for Crossref's.

    Crossref's short title is the publisher's ("PLoS ONE"); the NLM catalogue names the same
    journal "PLoS One". A title the catalogue does not know is written as the record has it,
    and the build reports it if it is no NLM abbreviation.
    """
    if record.source != "Crossref":
        return record.journal
    catalogue = load_catalogue()
    for name in (record.journal, record.journal_full):
        if name and (abbreviation := catalogue.by_key.get(journal_key(name))):
            return abbreviation
    return record.journal


def write(works: list[Work], summary: str) -> str:
    """The entries' MyST source, one after another."""
    return "\n".join(citation_source(*entry_fields(w), summary) for w in works)


@dataclass(frozen=True)
class Request:
    """What the editor asked for (``make``'s variables, read from the environment)."""

    ids: str
    page: Path | None
    section: str | None
    summary: str
    force: bool

    @classmethod
    def from_environment(cls) -> Request:
        """ID, PAGE, SECTION, SUMMARY and FORCE as ``make cite`` passes them."""
        page = os.environ.get("PAGE", "").strip()
        section = os.environ.get("SECTION", "").strip()
        return cls(
            ids=os.environ.get("ID", ""),
            page=Path(page) if page else None,
            section=" ".join(section.split()) or None,
            summary=" ".join(os.environ.get("SUMMARY", "").split()),
            force=os.environ.get("FORCE", "") not in ("", "0"),
        )


def run(request: Request, project: Path) -> tuple[int, list[str]]:
    """Exit status and the lines to print: the entries written (or printed), or why not."""
    try:
        groups = parse_identifiers(request.ids)
    except IdentifierInputError as error:
        return 2, [f"ID: {error}"]
    lines: list[str] = []
    page_lines: list[str] = []
    if request.page is not None:
        if problem := page_problem(project, request.page):
            return 2, [problem]
        try:
            page_lines = request.page.read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError) as error:
            return 2, [f"{request.page}: cannot be read ({error})"]
        if insertion_point(page_lines, request.section) is None:
            return 2, [f"{request.page}: no section {request.section!r} (SECTION is a heading)"]
    on_page = cited(page_lines)
    with registries(project) as registry:
        answers = registry.ask(t for group in groups for t in group)
    faults = unreachable(answers, (t for group in groups for t in group))
    if faults:
        detail = "; ".join(f"{r.target}: {r.detail}" for r in faults[:3])
        return 1, [f"the registries could not be reached ({detail}); nothing was written: try "
                   "again online"]  # fmt: skip
    works: list[Work] = []
    status = 0
    for group in groups:
        try:
            work = resolve(group, answers)
            _refuse_repeats(work, on_page, request.page, works)
            warned = notices(work)
            if warned and not request.force:
                raise RefusedError(
                    f"{work.given[0]}: {'; '.join(warned)}; not written (FORCE=1 writes it, and "
                    "the page shows the notice)"
                )
            lines += [f"{work.given[0]}: {line} (written with FORCE=1)" for line in warned]
            works.append(work)
        except RefusedError as error:
            lines.append(f"refused: {error}")
            status = 1
    if not works:
        return status, lines
    text = write(works, request.summary)
    if request.page is None:
        return status, [*lines, text]
    at = insertion_point(page_lines, request.section)
    assert at is not None  # checked above
    request.page.write_text("\n".join(insert(page_lines, at, text)), encoding="utf-8")
    where = f" under {request.section!r}" if request.section else ""
    todo = "" if request.summary else "; write its summary (SUMMARY=…)"
    count = "1 entry" if len(works) == 1 else f"{len(works)} entries"
    lines.append(f"wrote {count} to {request.page}{where}{todo}")
    return status, lines


def _refuse_repeats(
    work: Work, on_page: dict[Target, int], page: Path | None, earlier: list[Work]
) -> None:
    for target in sorted(work.identifiers, key=str):
        if target in on_page:
            where = f"{page}:{on_page[target]}"
            if target in work.given:
                raise RefusedError(f"{target} is already cited at {where}")
            raise RefusedError(f"{work.given[0]} is {target}, already cited at {where}")
    for other in earlier:
        if work.identifiers & other.identifiers:
            raise RefusedError(f"{work.given[0]} names the same paper as {other.given[0]}")


def main() -> int:
    """Run with the environment's request; print each line on one line."""
    status, lines = run(Request.from_environment(), Path.cwd())
    for line in lines:
        # An entry is several lines of MyST; every other message is made one line.
        if line.startswith("```"):
            sys.stdout.write(line + "\n")
        else:
            failed = status == 2 or line.startswith(("refused:", "the registries"))
            (sys.stderr if failed else sys.stdout).write(one_line(line) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
