"""Typed records the domain keeps per document: citations, topics, topic references, findings."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from .kinds import Kind
from .rules import Subtype

# The fields a citation directive can carry, in the order the contributor guide lists them.
TEXT_FIELDS: tuple[str, ...] = (
    "authors",
    "outlet",
    "journal",
    "date",
    "volume",
    "issue",
    "pages",
    "pmid",
    "pmcid",
    "doi",
    "issn",
    "isbn",
    "url",
)


@dataclass(frozen=True)
class Citation:
    """One annotated citation as written in a page (values stripped, never corrected)."""

    docname: str
    lineno: int
    anchor: str
    kind: Kind
    title: str
    summary: str
    fields: tuple[tuple[str, str], ...]
    also_see: tuple[str, ...] = ()
    waivers: tuple[tuple[Subtype, str], ...] = ()
    field_lines: tuple[tuple[str, int], ...] = ()
    # What the legacy page printed where this entry differs from it: (field, printed, why).
    legacy: tuple[tuple[str, str, str], ...] = ()

    @cached_property
    def _by_name(self) -> dict[str, str]:
        return dict(self.fields)

    def __reduce__(self) -> tuple[Callable[..., Citation], tuple[object, ...]]:
        """Pickled as its field values only, without the cached lookup table.

        The environment holds every citation of the site and is read back on every build.
        """
        values = self.__dict__
        return _citation, tuple([values[name] for name in _CITATION_FIELDS])

    def get(self, name: str) -> str | None:
        """The value of field ``name`` as written, or None when the field is absent."""
        return self._by_name.get(name)

    def line_of(self, name: str) -> int:
        """The source line of field ``name``, or the directive's line when it is unknown."""
        return dict(self.field_lines).get(name, self.lineno)


_CITATION_FIELDS = tuple(f.name for f in dataclasses.fields(Citation))


def _citation(*values: object) -> Citation:
    """A citation unpickled: its values set directly (a frozen init sets them one by one)."""
    citation = object.__new__(Citation)
    citation.__dict__.update(zip(_CITATION_FIELDS, values, strict=True))
    return citation


class PageTally(NamedTuple):
    """A page's entries counted as it is read (the report's counts, without reading them)."""

    citations: int
    with_pmid: int
    with_doi: int
    with_neither: int
    with_waivers: int

    @classmethod
    def of(cls, citations: Sequence[Citation]) -> PageTally:
        """Count a page's entries."""
        pmid = [bool(c.get("pmid")) for c in citations]
        doi = [bool(c.get("doi")) for c in citations]
        return cls(
            len(citations),
            sum(pmid),
            sum(doi),
            sum(1 for p, d in zip(pmid, doi, strict=True) if not p and not d),
            sum(1 for c in citations if c.waivers),
        )


@dataclass(frozen=True)
class Topic:
    """A topic page: its docname, stable slug, extra names and title."""

    docname: str
    slug: str
    title: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class TopicRef:
    """One reference from a page to a topic, by the name the contributor wrote."""

    docname: str
    lineno: int
    target: str

    def __reduce__(self) -> tuple[Callable[[str, int, str], TopicRef], tuple[str, int, str]]:
        """Pickled as its values (the environment holds every reference of the site)."""
        return _topic_ref, (self.docname, self.lineno, self.target)


def _topic_ref(docname: str, lineno: int, target: str) -> TopicRef:
    """A reference unpickled: its values set directly (a frozen init sets them one by one)."""
    ref = object.__new__(TopicRef)
    ref.__dict__.update(docname=docname, lineno=lineno, target=target)
    return ref


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in a page, located at a line, with the rule that found it."""

    docname: str
    lineno: int
    subtype: Subtype
    message: str
    citation: str = dataclasses.field(default="", compare=False)
    field: str = dataclasses.field(default="", compare=False)
    # For a finding about a file that is no page (the link cache): its path; docname is "".
    path: str = dataclasses.field(default="", compare=False)

    def to_json(self) -> list[object]:
        """The finding as kept between builds (net/memo.py)."""
        return [self.docname, self.lineno, self.subtype.value, self.message, self.citation,
                self.field, self.path]  # fmt: skip

    @classmethod
    def from_json(cls, data: list[object]) -> Finding:
        """A finding read back (``to_json``'s order)."""
        docname, lineno, subtype, message, citation, field, path = data
        return cls(str(docname), int(str(lineno)), Subtype(str(subtype)), str(message),
                   str(citation), str(field), str(path))  # fmt: skip
