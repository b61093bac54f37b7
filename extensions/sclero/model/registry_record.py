"""The record an identifier names, as PubMed, PMC or Crossref hold it, with its notices.

Records are read from the registries' documented JSON (E-utilities esummary 2.0, Crossref's
``/works``) into one typed shape, stored in the link cache as JSON, and compared with the
entry by ``checks/record.py``. Nothing in a record is ever written into a page.
"""

from __future__ import annotations

import enum
import re
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from .fields import MONTHS
from .identifiers import doi_url, pubmed_url
from .registry_shapes import CrossrefDate, CrossrefWork, EsummaryDoc
from .targets import Target
from .titles import differs_by_parentheticals, titles_match


class NoticeKind(enum.StrEnum):
    """What a notice says about the article (severity follows: see model/rules.py)."""

    retraction = "retraction"  # retracted or withdrawn: an error
    concern = "concern"  # an expression of concern: a warning
    correction = "correction"  # an erratum or correction: a note


@dataclass(frozen=True)
class NoticeInfo:
    """What a notice kind is called on the page, in exports and in findings."""

    title: str  # the banner's title, and the word exports note it with
    text: str  # the banner's sentence for readers
    finding: str  # "this article <finding> according to ..."


NOTICE_INFO = {
    NoticeKind.retraction: NoticeInfo(
        "Retracted",
        "This article was retracted. Its findings should not be relied on.",
        "was retracted",
    ),
    NoticeKind.concern: NoticeInfo(
        "Expression of concern",
        "The journal has published an expression of concern about this article.",
        "is the subject of an expression of concern",
    ),
    NoticeKind.correction: NoticeInfo(
        "Corrected", "A correction to this article was published.", "has a published correction"
    ),
}


# PubMed's CommentsCorrections types (esummary "references") that concern the article itself.
PUBMED_NOTICES = {
    "retraction in": NoticeKind.retraction,
    "expression of concern in": NoticeKind.concern,
    "erratum in": NoticeKind.correction,
    "corrected and republished in": NoticeKind.correction,
}
# Crossref update types (``updated-by``), including those Retraction Watch contributes.
CROSSREF_NOTICES = {
    "retraction": NoticeKind.retraction,
    "withdrawal": NoticeKind.retraction,
    "removal": NoticeKind.retraction,
    "partial_retraction": NoticeKind.retraction,
    "expression_of_concern": NoticeKind.concern,
    "correction": NoticeKind.correction,
    "erratum": NoticeKind.correction,
    "corrigendum": NoticeKind.correction,
}


@dataclass(frozen=True)
class Notice:
    """A retraction, expression of concern or correction, and where to read it."""

    kind: NoticeKind
    label: str  # as the registry words it: "Retraction in", "Expression of concern"
    pmid: str = ""
    doi: str = ""
    date: str = ""  # ISO, when the registry gives one
    source: str = ""  # "PubMed", "Crossref", "Retraction Watch"

    @property
    def url(self) -> str | None:
        """Where readers find the notice."""
        return pubmed_url(self.pmid) or doi_url(self.doi)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Notice:
        """A notice read back from its ``asdict`` form (ValueError for a wrong type)."""
        if not all(isinstance(v, str) for v in data.values()):
            raise ValueError("a stored notice of another shape")
        return cls(**{**data, "kind": NoticeKind(data["kind"])})


# NLM's Citing Medicine lists the first six authors, then "et al.".
NLM_AUTHORS = 6
# Kept for exports (a consortium paper may list thousands; reference managers need a few).
MAX_AUTHORS = 100
MORE_AUTHORS = "et al."  # the last kept name, when the record names more


@dataclass(frozen=True)
class Record:
    """What a registry holds for one identifier (empty strings where it says nothing)."""

    source: str  # "PubMed", "PMC" or "Crossref"
    identifier: str  # as fetched: "29898932", "PMC5999247", "10.1016/..."
    title: str
    journal: str  # NLM abbreviation (PubMed, PMC) or Crossref's short title
    journal_full: str = ""
    date: str = ""  # ISO date of the print issue (or the only date given)
    epub_date: str = ""  # ISO date of electronic publication
    volume: str = ""
    issue: str = ""
    pages: str = ""
    authors: tuple[str, ...] = ()
    pmid: str = ""
    pmcid: str = ""
    doi: str = ""
    retracted: bool = False  # the registry marks the article itself as retracted
    notices: tuple[Notice, ...] = field(default_factory=tuple)
    types: tuple[str, ...] = ()  # PubMed's publication types, or Crossref's work type

    def years(self) -> set[int]:
        """The years of print and electronic publication."""
        return {int(d[:4]) for d in (self.date, self.epub_date) if d[:4].isdigit()}

    def first_author(self) -> str:
        """``Duerksen D et al.`` (or the only author), as the record names them."""
        if not self.authors:
            return ""
        return self.authors[0] + (" et al." if len(self.authors) > 1 else "")

    def nlm_authors(self) -> str:
        """The authors as PubMed and NLM list them: up to six, then "et al."."""
        shown = ", ".join(self.authors[:NLM_AUTHORS])
        return shown + (", et al." if len(self.authors) > NLM_AUTHORS else "")

    def to_json(self) -> dict[str, Any]:
        """The record as stored in the cache."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        """A record read back from the store; ValueError when a value has the wrong type.

        The store is a file another tool (or a bad disk) may have changed: a title that is a
        number must not reach the checks, nor "no" read as a retraction.
        """
        values = dict(data)
        authors = values.get("authors", [])
        notices = values.get("notices", [])
        types = values.get("types", [])
        lists = ("authors", "notices", "retracted", "types")
        texts = [v for k, v in values.items() if k not in lists]
        if not (
            all(isinstance(v, str) for v in texts)
            and isinstance(values.get("retracted", False), bool)
            and isinstance(authors, list)
            and all(isinstance(a, str) for a in authors)
            and isinstance(notices, list)
            and all(isinstance(n, dict) for n in notices)
            and isinstance(types, list)
            and all(isinstance(t, str) for t in types)
        ):
            raise ValueError("a stored record of another shape")
        values["authors"] = tuple(authors)
        values["types"] = tuple(types)
        values["notices"] = tuple(Notice.from_json(n) for n in notices)
        return cls(**values)


def _text(value: object) -> str:
    """Text on one line (a checked answer's text, or a number such as a reference's PMID)."""
    return " ".join(str(value).split()) if isinstance(value, (str, int)) else ""


def nlm_date(value: str) -> str:
    """E-utilities' ``2018 Jun 5`` / ``2018 Jun`` / ``2018 Jun-Jul`` / ``2018`` as ISO."""
    match = re.match(
        r"([0-9]{4})(?:\s+([A-Z][a-z]{2})(?:[-/][A-Z][a-z]{2})?(?:\s+([0-9]{1,2}))?)?", value
    )
    if not match:
        return ""
    year, month, day = match.groups()
    # "2018 Jun-Jul" spans two months: only the year is certain.
    spans = bool(re.match(r"[0-9]{4}\s+[A-Z][a-z]{2}[-/]", value))
    if not month or month not in MONTHS or spans:
        return year
    text = f"{year}-{MONTHS.index(month) + 1:02d}"
    return f"{text}-{int(day):02d}" if day else text


def from_esummary(entry: EsummaryDoc, source: str) -> Record:
    """A PubMed or PMC esummary (JSON 2.0) document summary, its shape checked, as a record."""
    ids: dict[str, str] = {}
    for article_id in entry.get("articleids", []):
        ids.setdefault(_text(article_id.get("idtype", "")).lower(), _text(article_id.get("value")))
    notices: list[Notice] = []
    for reference in entry.get("references", []):
        label = _text(reference.get("reftype"))
        kind = PUBMED_NOTICES.get(label.lower())
        if kind is not None:
            notices.append(Notice(kind, label, pmid=_text(reference.get("pmid")), source="PubMed"))
    pubtypes = {_text(t).lower() for t in entry.get("pubtype", [])}
    pmcid = ids.get("pmc", "") or ids.get("pmcid", "").removeprefix("pmc-id: ").rstrip(";")
    uid = _text(entry.get("uid"))
    if source == "PMC":
        pmcid = pmcid or f"PMC{uid}"
    authors = tuple(
        _text(a["name"])
        for a in entry.get("authors", [])
        if (a.get("authtype") or "Author") == "Author" and a.get("name")
    )
    return Record(
        source=source,
        identifier=pmcid if source == "PMC" else uid,
        title=_text(entry.get("title")),
        journal=_text(entry.get("source")),
        journal_full=_text(entry.get("fulljournalname")),
        date=nlm_date(_text(entry.get("pubdate"))),
        epub_date=nlm_date(_text(entry.get("epubdate"))),
        volume=_text(entry.get("volume")),
        issue=_text(entry.get("issue")),
        pages=_text(entry.get("pages")),
        authors=authors,
        # PMC lists the PMID as idtype "pmid"; PubMed's own record is its uid.
        pmid=ids.get("pmid", "") or ids.get("pubmed", "") if source == "PMC" else uid,
        pmcid=pmcid if pmcid.upper().startswith("PMC") else "",
        doi=ids.get("doi", ""),
        retracted="retracted publication" in pubtypes,
        notices=_capped(notices),
        types=tuple(_text(t) for t in entry.get("pubtype", []))[:20],
    )


# More notices than any paper has had: a registry answer with thousands must not become
# thousands of findings and banners.
MAX_NOTICES = 10


def _capped(notices: list[Notice]) -> tuple[Notice, ...]:
    """The distinct notices, at most ``MAX_NOTICES``."""
    return tuple(dict.fromkeys(notices))[:MAX_NOTICES]


def author_names(text: str) -> tuple[list[str], bool]:
    """An ``:authors:`` value as names, and whether it ends with "et al." (more follow)."""
    names = [" ".join(n.split()) for n in text.split(",") if n.strip()]
    more = bool(names) and names[-1].lower().rstrip(".") == "et al"
    return (names[:-1] if more else names), more


def _crossref_date(value: CrossrefDate | None) -> str:
    parts = (value or {}).get("date-parts") or [[]]
    numbers = [p for p in (parts[0] if parts else []) if p is not None]
    if not numbers:
        return ""
    return "-".join([f"{numbers[0]:04d}", *(f"{n:02d}" for n in numbers[1:3])])


def _first(values: list[str] | None) -> str:
    return _text(values[0]) if values else ""


def from_crossref(message: CrossrefWork) -> Record:
    """A Crossref ``/works/{doi}`` message, its shape checked, as a record (with notices)."""
    notices = []
    for update in message.get("updated-by", []):
        kind = CROSSREF_NOTICES.get(_text(update.get("type")).lower())
        if kind is None:
            continue
        origin = _text(update.get("source")).lower()
        notices.append(
            Notice(
                kind,
                _text(update.get("label")) or _text(update.get("type")).replace("_", " "),
                doi=_text(update.get("DOI")),
                date=_crossref_date(update.get("updated")),
                source="Retraction Watch" if origin == "retraction-watch" else "Crossref",
            )
        )
    authors = []
    for author in message.get("author", []):
        family, given = _text(author.get("family")), _text(author.get("given"))
        initials = "".join(part[0] for part in re.split(r"[\s.-]+", given) if part)
        if family:
            authors.append(f"{family} {initials}".strip())
        elif name := _text(author.get("name")):
            authors.append(name)
    print_date = _crossref_date(message.get("published-print")) or _crossref_date(
        message.get("issued")
    )
    return Record(
        source="Crossref",
        identifier=_text(message.get("DOI")),
        title=_first(message.get("title")),
        journal=_first(message.get("short-container-title")),
        journal_full=_first(message.get("container-title")),
        date=print_date,
        epub_date=_crossref_date(message.get("published-online")),
        volume=_text(message.get("volume")),
        issue=_text(message.get("issue")),
        pages=_text(message.get("page")),
        authors=tuple(authors),
        doi=_text(message.get("DOI")),
        notices=_capped(notices),
        types=(_text(message.get("type")),) if message.get("type") else (),
    )


def source_rank(record: Record) -> int:
    """PubMed's record first, then Crossref's, then PMC's: the order records are trusted in."""
    order = ("PubMed", "Crossref", "PMC")
    return order.index(record.source) if record.source in order else len(order)


@dataclass(frozen=True)
class Identified:
    """What is known of one identifier of an entry."""

    field: str  # pmid, pmcid or doi
    target: Target
    record: Record | None = None  # the registry's record, when one was fetched in time
    verified_at: float = 0.0
    exists: bool = False  # the registry confirmed it (with or without a record)
    missing: bool = False  # the registry says there is no such identifier
    confirmed_by: str = ""  # "in the PubMed record 123" when another record confirmed it
    unverified: str = ""  # why it is not verified (a passing fault, or not checked yet)


@dataclass(frozen=True)
class CitationRecords:
    """The entry's identifiers and what the registries hold for each."""

    identifiers: tuple[Identified, ...] = field(default_factory=tuple)
    pubmed: Record | None = None  # the PubMed record reached through a PMCID, if any
    title: str = ""  # the entry's title

    def get(self, name: str) -> Identified | None:
        """The identifier in field ``name``."""
        return next((i for i in self.identifiers if i.field == name), None)

    @property
    def records(self) -> list[tuple[Identified, Record]]:
        """Each identifier that has a record, with it."""
        return [(i, i.record) for i in self.identifiers if i.record is not None]

    def describes(self, record: Record) -> bool:
        """Whether ``record`` is the entry's paper: its title matches (see titles.py).

        Only such records are compared further, give notices and authors: a PMID of another
        paper must not bring that paper's retraction onto this entry.
        """
        return (
            not record.title
            or titles_match(self.title, record.title)
            or (differs_by_parentheticals(self.title, record.title))
        )

    @cached_property
    def matching(self) -> tuple[Record, ...]:
        """The records (PubMed's first, then Crossref's, then PMC's) of the entry's paper.

        Kept once computed (the records never change): every check, the notices and the
        reader's line ask for it, and each asking compares titles again.
        """
        records = [r for _, r in self.records] + ([self.pubmed] if self.pubmed else [])
        return tuple(sorted((r for r in records if self.describes(r)), key=source_rank))
