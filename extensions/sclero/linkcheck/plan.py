"""What a build must check: every occurrence's target, and which of them are due."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..model.targets import Keyed, Target, TargetKind
from ..net.store import Store


@dataclass
class Plan:
    """Every page's links, and the targets to check: new ones first, then the longest expired."""

    # docname -> the page's links, kept packed: an offline build reads only the pages it
    # judges again (net/memo.py keeps the others' verdicts).
    pages: Mapping[str, Sequence[Keyed]]
    # sclero_linkcheck_ignore, compiled.
    patterns: tuple[re.Pattern[str], ...] = ()
    urls: list[Target] = field(default_factory=list)
    identifiers: list[Target] = field(default_factory=list)
    fragments: dict[Target, set[str]] = field(default_factory=dict)

    def ignored(self, target: Target) -> bool:
        """Whether the contributor's settings exclude ``target`` from the link check."""
        return target.kind is TargetKind.url and any(p.search(target.value) for p in self.patterns)


def plan(
    pages: Mapping[str, Sequence[Keyed]],
    cache: Store,
    ignored: tuple[str, ...] = (),
    checking: bool = True,
) -> Plan:
    """Targets without a fresh result, new first (a budget spends itself where it matters).

    ``ignored`` are regular expressions searched anywhere in a URL (``sclero_linkcheck_ignore``);
    Sphinx's ``linkcheck_ignore`` matches from the start, which silently misses a pattern
    written without its scheme. An offline build (``checking=False``) checks nothing, so it
    does not look for what is due, and reads no page's links here.
    """
    result = Plan(pages, tuple(re.compile(p) for p in ignored))
    if not checking:
        return result
    fragments = result.fragments
    for docname in sorted(pages):
        for item in pages[docname]:
            fragments.setdefault(item.target, set())
            if item.fragment:
                fragments[item.target].add(item.fragment)
    now = cache.clock()
    due: list[tuple[int, float, Target]] = []
    for target in fragments:
        if result.ignored(target):
            continue
        cached = cache.get(target)
        if cached is None:
            due.append((0, 0.0, target))
        elif not cached.fresh(now):
            due.append((1, cached.checked_at, target))
    due.sort()
    for _, _, target in due:
        (result.identifiers if target.is_identifier else result.urls).append(target)
    return result
