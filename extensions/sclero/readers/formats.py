"""Citations as RIS, BibTeX, CSL-JSON and COinS, typed alike in all four, for reference managers.

One kind of outlet is one type everywhere: a journal article is JOUR / @article /
article-journal / a journal ContextObject; a news story is an article in a newspaper (NEWS /
@article / article-newspaper / a journal ContextObject); a web page is ELEC / @misc / webpage /
a Dublin Core ContextObject. A database or platform named as the outlet (PubMed, Wiley Online
Library) is where the record was found, never the publisher. Authors are only ever the verified
record's, marked as such; retractions and other notices travel with the entry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..checks.journals import PLATFORMS, journal_key
from ..model.evidence import STUDY_KINDS, StudyKind
from ..model.fields import date_parts, page_range
from ..model.identifiers import (
    EXPORT_ORDER,
    first_url,
    pmc_url,
    safe_url,
)
from ..model.kinds import KIND_INFO
from ..model.records import Citation
from ..model.registry_record import MORE_AUTHORS, NOTICE_INFO, author_names

if TYPE_CHECKING:
    from ..model.verification import Verification

# A word a reference manager must not re-case: an acronym (COPD, TNF-α, ABL-SC) or a word
# with a capital after its first letter (dSSc, PubMed).
_ACRONYM = re.compile(r"\S*[A-Z]\S*[A-Z]\S*|\S+[A-Z]\S*")


@dataclass(frozen=True)
class Exported:
    """A citation with what its verification adds (authors from the record, notices)."""

    citation: Citation
    verification: Verification | None = None

    @property
    def notices(self) -> list[str]:
        """``Retracted: https://...`` for each notice the registries record."""
        if self.verification is None:
            return []
        return [
            f"{NOTICE_INFO[n.kind].title}: {n.url or n.label}" for n in self.verification.notices
        ]

    @property
    def authors(self) -> list[tuple[str, str]]:
        """(family name, initials) of each author the matched record names, in its order.

        Only from a record that describes the entry's paper (the verification keeps no
        others); a name without initials (a group) is its family part alone.
        """
        v = self.verification
        if v is None or not (v.author_names or v.authors):
            # No record's names: the entry's own :authors:, as its editor wrote them.
            written, _ = author_names(self.citation.get("authors") or "")
            names: tuple[str, ...] = tuple(written)
        else:
            names = v.author_names or (v.authors.removesuffix(" et al."),)
        split = [name.rpartition(" ") for name in names if name != MORE_AUTHORS]
        return [(family, initials) if family else (initials, "") for family, _, initials in split]

    @property
    def more_authors(self) -> bool:
        """The record names more authors than are kept (or, from an earlier version, than one)."""
        v = self.verification
        if v is None or not (v.author_names or v.authors):
            return author_names(self.citation.get("authors") or "")[1]
        if v.author_names:
            return v.author_names[-1] == MORE_AUTHORS
        return v.authors.endswith("et al.")

    @property
    def study(self) -> str:
        """The kind of study the record's indexing names ("Systematic review"), or ""."""
        v = self.verification
        return STUDY_KINDS[StudyKind(v.study)].label if v is not None and v.study else ""

    @property
    def authors_note(self) -> str:
        """Where the authors came from, said in the export as on the page."""
        v = self.verification
        if v is None or not v.authors:
            return ""
        return f"Authors from the {v.authors_from} record, checked {v.on}."


def collapse_space(text: str) -> str:
    """Collapse white space: a line break would start a new RIS tag or BibTeX field."""
    return " ".join(text.split())


def is_database(outlet: str | None) -> bool:
    """PubMed, Wiley Online Library ...: where a record was found, not who published it."""
    return bool(outlet) and journal_key(outlet or "") in PLATFORMS


def container(citation: Citation) -> str | None:
    """The journal, or for news and web pages the outlet (unless it is a database)."""
    if citation.get("journal"):
        return citation.get("journal")
    outlet = citation.get("outlet")
    return None if is_database(outlet) else outlet


def to_ris(entries: list[Exported]) -> str:
    """RIS records, one per citation, each ending ``ER  -``."""
    lines: list[str] = []
    for entry in entries:
        c = entry.citation
        outlet = c.get("outlet")
        tags: list[tuple[str, str | None]] = [("TY", KIND_INFO[c.kind].ris), ("TI", c.title)]
        tags += [("AU", f"{family}, {initials}".rstrip(", ")) for family, initials in entry.authors]
        tags += [
            ("T2", container(c)),
            ("JO", c.get("journal")),
            ("DP", outlet if is_database(outlet) else None),
            ("VL", c.get("volume")),
            ("IS", c.get("issue")),
        ]
        if parts := date_parts(c.get("date")):
            month, day = [*parts[1:], 0, 0][:2]
            # RIS dates are YYYY/MM/DD/ with unknown parts left empty.
            tags += [
                ("PY", str(parts[0])),
                ("DA", f"{parts[0]}/{f'{month:02d}' if month else ''}/"
                       f"{f'{day:02d}' if day else ''}/"),
            ]  # fmt: skip
        if span := page_range(c.get("pages")):
            tags += [("SP", span[0]), ("EP", span[1])]
        elif c.get("pages"):
            tags.append(("SP", c.get("pages")))
        tags += [
            ("DO", c.get("doi")),
            ("SN", c.get("issn") or c.get("isbn")),
            ("AN", f"PMID:{c.get('pmid')}" if c.get("pmid") else None),
            # EndNote's convention: Custom 2 holds the PMCID.
            ("C2", f"PMCID: {c.get('pmcid')}" if c.get("pmcid") else None),
            ("UR", first_url(c, EXPORT_ORDER)),
            ("N1", c.summary),
            *(("N1", notice) for notice in entry.notices),
            *(("KW", "Retracted publication") for _ in entry.notices[:1] if _retracted(entry)),
            ("N1", entry.authors_note or None),
            ("M3", entry.study or None),
            ("ID", c.anchor),
        ]
        lines += [f"{tag}  - {collapse_space(value)}" for tag, value in tags if value]
        lines += ["ER  - ", ""]
    return "\n".join(lines)


def _retracted(entry: Exported) -> bool:
    return entry.verification is not None and entry.verification.retracted


# One translation table: a character-by-character join cost a large site a second per build.
_BIBTEX_SPECIAL = str.maketrans({
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$",
    "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}",
})  # fmt: skip


def bibtex_escape(text: str) -> str:
    """Escape LaTeX's special characters, so a value can neither break nor extend its field."""
    return collapse_space(text).translate(_BIBTEX_SPECIAL)


def bibtex_title(title: str) -> str:
    """The escaped title with acronyms in braces, so styles that re-case titles keep them."""
    words = collapse_space(title).split(" ")
    return " ".join(
        f"{{{bibtex_escape(w)}}}" if _ACRONYM.fullmatch(w) else bibtex_escape(w) for w in words
    )


def bibtex_key(anchor: str) -> str:
    """The entry's BibTeX key: its anchor, any character a key may not hold made a hyphen."""
    return re.sub(r"[^A-Za-z0-9:_-]", "-", anchor)


def to_bibtex(entries: list[Exported]) -> str:
    """BibTeX entries (``@article`` or ``@misc``), keyed by the entry's anchor."""
    out: list[str] = []
    for entry in entries:
        c = entry.citation
        kind = KIND_INFO[c.kind].bibtex
        parts = date_parts(c.get("date"))
        names = [f"{family}, {initials}".rstrip(", ") for family, initials in entry.authors]
        notes = [c.summary, *entry.notices, entry.authors_note]
        fields: list[tuple[str, str | None]] = [
            ("author", " and ".join([*names, *(["others"] if entry.more_authors else [])]) or None),
            ("journal" if KIND_INFO[c.kind].journal_like else "howpublished", container(c)),
            ("year", str(parts[0]) if parts else None),
            ("month", str(parts[1]) if len(parts) > 1 else None),
            ("volume", c.get("volume")),
            ("number", c.get("issue")),
            ("pages", (c.get("pages") or "").replace("-", "--") or None),
            ("doi", c.get("doi")),
            ("pmid", c.get("pmid")),
            ("pmcid", c.get("pmcid")),
            ("issn", c.get("issn")),
            ("isbn", c.get("isbn")),
            ("url", first_url(c, EXPORT_ORDER)),
            ("keywords", "Retracted publication" if _retracted(entry) else None),
            ("note", " ".join(n for n in notes if n) or None),
        ]  # fmt: skip
        body = [f"  title = {{{bibtex_title(c.title)}}}"]
        body += [f"  {k} = {{{bibtex_escape(v)}}}" for k, v in fields if v]
        out.append(f"@{kind}{{{bibtex_key(c.anchor)},\n" + ",\n".join(body) + "\n}\n")
    return "\n".join(out)


def to_csl(entries: list[Exported]) -> list[dict[str, Any]]:
    """CSL-JSON items (the format citeproc, Zotero and pandoc read)."""
    items: list[dict[str, Any]] = []
    for entry in entries:
        c = entry.citation
        outlet = c.get("outlet")
        item: dict[str, Any] = {
            "id": c.anchor,
            "type": KIND_INFO[c.kind].csl,
            "title": collapse_space(c.title),
        }
        if entry.authors:
            item["author"] = [{"family": f, "given": i} for f, i in entry.authors]
            if entry.more_authors:
                item["author"].append({"literal": "et al."})
        notes = [collapse_space(c.summary), *entry.notices, entry.authors_note]
        optional = {
            "container-title": container(c),
            "source": outlet if is_database(outlet) else None,
            "volume": c.get("volume"),
            "issue": c.get("issue"),
            "page": c.get("pages"),
            "DOI": c.get("doi"),
            "PMID": c.get("pmid"),
            "PMCID": c.get("pmcid"),
            "ISSN": c.get("issn"),
            "ISBN": c.get("isbn"),
            "URL": first_url(c, EXPORT_ORDER),
            "note": " ".join(n for n in notes if n) or None,
            "genre": entry.study or None,
        }
        item.update({k: collapse_space(v) for k, v in optional.items() if v})
        if parts := date_parts(c.get("date")):
            item["issued"] = {"date-parts": [parts]}
        items.append(item)
    return items


def to_csl_json(entries: list[Exported]) -> str:
    """CSL-JSON as text, an item a line (``indent=`` would use the slow pure-Python encoder)."""
    items = ",\n".join(json.dumps(item, ensure_ascii=False) for item in to_csl(entries))
    return f"[\n{items}\n]\n" if items else "[]\n"


def kev_pairs(entry: Exported) -> list[tuple[str, str]]:
    """COinS: the OpenURL 1.0 key/value pairs (journal format for articles and news, else DC)."""
    c = entry.citation
    get = c.get
    # A ContextObject has no field for a notice; the title says it, as journals' own do.
    title = ("[Retracted] " if _retracted(entry) else "") + collapse_space(c.title)
    pairs: list[tuple[str, str]] = [("ctx_ver", "Z39.88-2004")]
    if KIND_INFO[c.kind].journal_like:
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"), ("rft.genre", "article")]
        pairs += [("rft.atitle", title)]
        if journal := container(c):
            pairs.append(("rft.jtitle", journal))
        for key in ("volume", "issue", "issn"):
            if get(key):
                pairs.append((f"rft.{key}", get(key) or ""))
        if span := page_range(get("pages")):
            pairs += [("rft.spage", span[0]), ("rft.epage", span[1])]
        elif get("pages"):
            pairs.append(("rft.pages", get("pages") or ""))
    else:
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"), ("rft.type", "webpage")]
        pairs += [("rft.title", title)]
        if get("outlet"):
            pairs.append(("rft.source", get("outlet") or ""))
    # OpenURL: the first author in parts, every author (the first too) as rft.au.
    if entry.authors:
        family, initials = entry.authors[0]
        pairs += [("rft.aulast", family), ("rft.auinit", initials)]
        pairs += [("rft.au", f"{f} {i}".strip()) for f, i in entry.authors]
    if date_parts(get("date")):
        pairs.append(("rft.date", get("date") or ""))
    for key, scheme in (("pmid", "info:pmid/"), ("doi", "info:doi/")):
        if get(key):
            pairs.append(("rft_id", scheme + (get(key) or "")))
    # No info: namespace exists for PMC: its address carries the PMCID.
    for url in (pmc_url(get("pmcid")), safe_url(get("url"))):
        if url:
            pairs.append(("rft_id", url))
    return pairs


FORMATS = {"ris": to_ris, "bib": to_bibtex, "json": to_csl_json}
