"""Rules across citations: duplicates on a page, disagreement across pages, unknown topics."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set

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


def check_duplicates_on_page(citations: Sequence[Citation]) -> Iterator[Finding]:
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


WorkKey = tuple[str, str]


def shared_keys(citation: Citation) -> list[WorkKey]:
    """The keys under which entries on different pages are one work: identifiers and URL.

    Titles may repeat across works, so they do not make two entries one work here.
    """
    return work_keys(citation)[:-1]


def conflicts_of(key: WorkKey, group: Sequence[Citation]) -> list[Finding]:
    """One work's entries (in page order) that disagree in title, journal or date.

    Each entry is set against the first entry of another page. An entry may be reported
    under several keys here; ``first_per_place`` keeps the first.
    """
    if len({c.docname for c in group}) < 2:
        return []
    label, value = key
    found: list[Finding] = []
    for name in ("title", "journal", "date"):
        values = {(title_key(c.title) if name == "title" else c.get(name)) for c in group}
        if len(values) < 2:
            continue
        for citation in group:
            other = next(c for c in group if c.docname != citation.docname)
            theirs = other.title if name == "title" else other.get(name)
            found.append(
                finding(
                    citation,
                    name,
                    Subtype.conflict,
                    f"{label.upper()} {value} is also cited in {other.docname} "
                    f"(line {other.lineno}) with {name} {theirs!r}",
                )
            )
    return found


def first_per_place(by_key: Mapping[WorkKey, list[Finding]]) -> list[Finding]:
    """Each entry's disagreement in one field once, under its first key in sorted order."""
    reported: set[tuple[str, int, str]] = set()
    kept: list[Finding] = []
    for key in sorted(by_key):
        for found in by_key[key]:
            # An entry's field has its own line: (page, line, field) is one entry's field.
            place = (found.docname, found.lineno, found.field)
            if place not in reported:
                reported.add(place)
                kept.append(found)
    return kept


def update_conflicts(
    kept: dict[WorkKey, list[Finding]],
    changed: Set[WorkKey],
    page_keys: Mapping[str, Sequence[WorkKey]],
    pages: Mapping[str, Sequence[Citation]],
) -> None:
    """Compare again, in ``kept``, the works of ``changed`` keys; the others stand.

    Only the pages that cite a changed work are read, and each of their entries once.
    """
    # Each work's entries in page order, then line order: the order conflicts_of reports in.
    groups: dict[WorkKey, list[Citation]] = defaultdict(list)
    for docname in sorted(page_keys):
        wanted = set(page_keys[docname]) & changed
        if not wanted:
            continue
        for citation in pages.get(docname, ()):
            for key in wanted.intersection(shared_keys(citation)):
                groups[key].append(citation)
    for key in changed:
        found = conflicts_of(key, groups.get(key, []))
        if found:
            kept[key] = found
        else:
            kept.pop(key, None)


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
    conflicts: list[Finding],
    topic_refs: Mapping[str, list[TopicRef]],
    topics: TopicIndex,
) -> list[Finding]:
    """All findings that need more than one page (each build: any page may change them).

    ``conflicts``: ``first_per_place`` of what ``update_conflicts`` keeps between builds.
    """
    return [*check_topic_refs(topic_refs, topics), *conflicts]


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
