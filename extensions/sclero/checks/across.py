"""Rules across citations: duplicates on a page, disagreement across pages, unknown topics."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

from ..model.records import Citation, Finding, TopicRef
from ..model.rules import Subtype
from ..model.titles import title_key
from ..model.topics import TopicIndex
from ..model.works import WORK_IDENTIFIERS, work_keys
from .context import finding


def _distinct(a: Citation, b: Citation) -> bool:
    """Two entries that share a title but name different works (identifiers or journals).

    Two reviews both titled "Raynaud's phenomenon" in different journals are two papers.
    """
    for name in (*WORK_IDENTIFIERS, "url", "journal", "outlet"):
        x, y = a.get(name), b.get(name)
        if x and y and x.strip().lower() != y.strip().lower():
            return True
    return False


def check_duplicates_on_page(citations: list[Citation]) -> Iterator[Finding]:
    """The same PMID, DOI, PMCID or URL twice on one page, or the same title for one work."""
    first: dict[tuple[str, str], Citation] = {}
    for citation in citations:
        for key in work_keys(citation):
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
        for key in work_keys(citation)[:-1]:  # identifiers only: titles may repeat
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


def check_topic_refs(
    topic_refs: Mapping[str, list[TopicRef]], topics: TopicIndex
) -> Iterator[Finding]:
    """Every topic reference names an existing topic; suggest the closest names."""
    for docname, refs in topic_refs.items():
        for ref in refs:
            if topics.find(ref.target) is not None:
                continue
            close = topics.suggest(ref.target)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            yield Finding(
                docname,
                ref.lineno,
                Subtype.topic_unknown,
                f"unknown topic {ref.target!r}{hint}",
            )


def check_across(
    citations: Mapping[str, list[Citation]],
    topic_refs: Mapping[str, list[TopicRef]],
    topics: TopicIndex,
) -> list[Finding]:
    """All findings that need more than one page (each build: any page may change them)."""
    found: list[Finding] = list(check_topic_refs(topic_refs, topics))
    everything = [c for docname in sorted(citations) for c in citations[docname]]
    found.extend(check_conflicts(everything))
    return found


def check_home_cards(topics: Iterable[str], carded: list[str] | None, home: str) -> list[Finding]:
    """Topics the home page has no card for, when it lists topics as cards at all."""
    if not carded:
        return []  # a home page without cards (a plain list, a test site) lists them otherwise
    listed = set(carded)
    return [
        Finding(
            docname,
            1,
            Subtype.no_card,
            f"no card on the home page ({home}) links this topic, so readers cannot find it "
            "there; add one",
        )
        for docname in sorted(topics)
        if docname not in listed
    ]


def check_export_collisions(slugs: Mapping[str, str]) -> list[Finding]:
    """Topics (docname -> slug) whose files would be one file where case is ignored."""
    seen: dict[str, str] = {}
    found = []
    for docname in sorted(slugs):
        key = slugs[docname].casefold()
        if key in seen:
            found.append(
                Finding(
                    docname,
                    1,
                    Subtype.export_collision,
                    f"this page's citation files would overwrite those of {seen[key]!r} on a file "
                    "system that ignores case; rename one page",
                )
            )
        else:
            seen[key] = docname
    return found
