"""A topic page's citations as RIS, BibTeX and CSL-JSON, for reference managers."""

from __future__ import annotations

import json
import re
from typing import Any

from .links import doi_url, pubmed_url, safe_url
from .records import Citation

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_RANGE = re.compile(r"([A-Za-z]{0,2}\d+)-([A-Za-z]{0,2}\d+)")
RIS_TYPES = {"article": "JOUR", "news": "NEWS", "web": "ELEC"}
CSL_TYPES = {"article": "article-journal", "news": "article-newspaper", "web": "webpage"}


def _one_line(text: str) -> str:
    """Collapse white space: a newline in a value would start a new RIS tag or BibTeX field."""
    return " ".join(text.split())


def _date_parts(citation: Citation) -> list[int]:
    match = _ISO.fullmatch(citation.get("date") or "")
    return [int(g) for g in match.groups() if g] if match else []


def _link(citation: Citation) -> str | None:
    return (
        safe_url(citation.get("url"))
        or pubmed_url(citation.get("pmid"))
        or doi_url(citation.get("doi"))
    )


def to_ris(citations: list[Citation]) -> str:
    """RIS records, one per citation, each ending ``ER  -``."""
    lines: list[str] = []
    for c in citations:
        tags: list[tuple[str, str | None]] = [
            ("TY", RIS_TYPES.get(c.kind, "GEN")),
            ("TI", c.title),
            ("T2", c.get("journal") or c.get("outlet")),
            ("JO", c.get("journal")),
            ("PB", c.get("outlet") if c.get("journal") else None),
            ("VL", c.get("volume")),
            ("IS", c.get("issue")),
        ]
        parts = _date_parts(c)
        if parts:
            tags.append(("PY", str(parts[0])))
            month, day = [*parts[1:], 0, 0][:2]
            # RIS dates are YYYY/MM/DD/ with unknown parts left empty.
            tags.append(
                (
                    "DA",
                    f"{parts[0]}/{f'{month:02d}' if month else ''}/{f'{day:02d}' if day else ''}/",
                )
            )
        pages = c.get("pages") or ""
        if match := _RANGE.fullmatch(pages):
            tags += [("SP", match.group(1)), ("EP", match.group(2))]
        elif pages:
            tags.append(("SP", pages))
        tags += [
            ("DO", c.get("doi")),
            ("SN", c.get("issn") or c.get("isbn")),
            ("AN", f"PMID:{c.get('pmid')}" if c.get("pmid") else None),
            ("UR", _link(c)),
            ("N1", c.summary),
            ("ID", c.anchor),
        ]
        lines += [f"{tag}  - {_one_line(value)}" for tag, value in tags if value]
        lines.append("ER  - ")
        lines.append("")
    return "\n".join(lines)


_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$",
    "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}",
}  # fmt: skip


def bibtex_escape(text: str) -> str:
    """Escape LaTeX's special characters, so a value can neither break nor extend its field."""
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in _one_line(text))


def to_bibtex(citations: list[Citation]) -> str:
    """BibTeX entries (``@article`` or ``@misc``), keyed by the entry's anchor."""
    out: list[str] = []
    for c in citations:
        kind = "article" if c.kind == "article" else "misc"
        parts = _date_parts(c)
        fields: list[tuple[str, str | None]] = [
            ("title", c.title),
            (
                "journal" if kind == "article" else "howpublished",
                c.get("journal") or c.get("outlet"),
            ),
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
            ("url", _link(c)),
            ("note", c.summary),
        ]
        body = ",\n".join(f"  {k} = {{{bibtex_escape(v)}}}" for k, v in fields if v)
        key = re.sub(r"[^A-Za-z0-9:_-]", "-", c.anchor)
        out.append(f"@{kind}{{{key},\n{body}\n}}\n")
    return "\n".join(out)


def to_csl(citations: list[Citation]) -> list[dict[str, Any]]:
    """CSL-JSON items (the format citeproc, Zotero and pandoc read)."""
    items: list[dict[str, Any]] = []
    for c in citations:
        item: dict[str, Any] = {
            "id": c.anchor,
            "type": CSL_TYPES.get(c.kind, "document"),
            "title": c.title,
        }
        optional = {
            "container-title": c.get("journal") or c.get("outlet"),
            "publisher": c.get("outlet") if c.get("journal") else None,
            "volume": c.get("volume"),
            "issue": c.get("issue"),
            "page": c.get("pages"),
            "DOI": c.get("doi"),
            "PMID": c.get("pmid"),
            "PMCID": c.get("pmcid"),
            "ISSN": c.get("issn"),
            "ISBN": c.get("isbn"),
            "URL": _link(c),
            "note": c.summary or None,
        }
        item.update({k: v for k, v in optional.items() if v})
        if parts := _date_parts(c):
            item["issued"] = {"date-parts": [parts]}
        items.append(item)
    return items


def to_csl_json(citations: list[Citation]) -> str:
    """CSL-JSON as text."""
    return json.dumps(to_csl(citations), indent=2, ensure_ascii=False) + "\n"


FORMATS = {"ris": to_ris, "bib": to_bibtex, "json": to_csl_json}
