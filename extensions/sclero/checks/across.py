"""Rules across citations: duplicates on a page, disagreement across pages, unknown topics."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..content.domain import ScleroDomain, sclero_domain
from ..model.records import Citation, Finding
from ..model.rules import Subtype
from ..model.titles import title_key
from .context import finding

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

IDENTIFYING = ("pmid", "doi", "pmcid", "url")


def identity_keys(citation: Citation) -> list[tuple[str, str]]:
    """The keys under which two citations are the same work."""
    keys = [(label, value.strip().lower()) for label in IDENTIFYING
            if (value := citation.get(label))]  # fmt: skip
    keys.append(("title", title_key(citation.title)))
    return keys


def _distinct(a: Citation, b: Citation) -> bool:
    """Two entries that share a title but name different works (identifiers or journals).

    Two reviews both titled "Raynaud's phenomenon" in different journals are two papers.
    """
    for name in (*IDENTIFYING, "journal", "outlet"):
        x, y = a.get(name), b.get(name)
        if x and y and x.strip().lower() != y.strip().lower():
            return True
    return False


def check_duplicates_on_page(citations: list[Citation]) -> Iterator[Finding]:
    """The same PMID, DOI, PMCID or URL twice on one page, or the same title for one work."""
    first: dict[tuple[str, str], Citation] = {}
    for citation in citations:
        for key in identity_keys(citation):
            earlier = first.setdefault(key, citation)
            if earlier is not citation and key[0] == "title" and _distinct(earlier, citation):
                continue
            if earlier is not citation:
                field = key[0]
                yield finding(
                    citation,
                    field,
                    Subtype.duplicate,
                    f"{'title' if field == 'title' else field.upper()} {key[1]!r} is already "
                    f"cited at line {earlier.lineno} of this page",
                )
                break


def check_conflicts(citations: list[Citation]) -> Iterator[Finding]:
    """A work cited on several pages must have the same title, journal and date everywhere."""
    groups: dict[tuple[str, str], list[Citation]] = defaultdict(list)
    for citation in citations:
        for key in identity_keys(citation)[:-1]:  # identifiers only: titles may repeat
            groups[key].append(citation)
    reported: set[tuple[str, int, str]] = set()
    for (label, value), group in sorted(groups.items()):
        if len({c.docname for c in group}) < 2:
            continue
        for name in ("title", "journal", "date"):
            values = {(title_key(c.title) if name == "title" else c.get(name)) for c in group}
            if len(values) < 2:
                continue
            for citation in group:
                others = [c for c in group if c.docname != citation.docname]
                other = others[0]
                place = (citation.docname, citation.lineno, name)
                if place in reported:
                    continue
                reported.add(place)
                theirs = other.title if name == "title" else other.get(name)
                yield finding(
                    citation,
                    name,
                    Subtype.conflict,
                    f"{label.upper()} {value} is also cited in {other.docname} "
                    f"(line {other.lineno}) with {name} {theirs!r}",
                )


def check_topic_refs(domain: ScleroDomain) -> Iterator[Finding]:
    """Every topic reference names an existing topic; suggest the closest names."""
    for docname, refs in domain.topic_refs.items():
        for ref in refs:
            if domain.find_topic(ref.target) is not None:
                continue
            close = domain.suggest_topics(ref.target)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            yield Finding(
                docname,
                ref.lineno,
                Subtype.topic_unknown,
                f"unknown topic {ref.target!r}{hint}",
            )


def note_duplicates(app: Sphinx, doctree: nodes.document) -> None:
    """Duplicates on the page just read (doctree-read), kept with the page's findings."""
    domain = sclero_domain(app.env)
    for found in check_duplicates_on_page(domain.citations.get(app.env.docname, [])):
        domain.add_finding(found)


def check_across(domain: ScleroDomain) -> list[Finding]:
    """All findings that need more than one page (each build: any page may change them)."""
    found: list[Finding] = list(check_topic_refs(domain))
    everything = [c for docname in sorted(domain.citations) for c in domain.citations[docname]]
    found.extend(check_conflicts(everything))
    return found
