"""What a build must check: every occurrence's target, and which of them are due."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model.targets import Keyed, Target, TargetKind
from ..net.store import Store


@dataclass
class Plan:
    """Targets to check, new ones first, then the longest expired."""

    keyed: list[Keyed]
    urls: list[Target] = field(default_factory=list)
    identifiers: list[Target] = field(default_factory=list)
    fragments: dict[Target, set[str]] = field(default_factory=dict)
    ignored: set[Target] = field(default_factory=set)


def plan(
    keyed: list[Keyed], cache: Store, ignored: tuple[str, ...] = (), checking: bool = True
) -> Plan:
    """Targets without a fresh result, new first (a budget spends itself where it matters).

    ``ignored`` are regular expressions searched anywhere in a URL (``sclero_linkcheck_ignore``);
    Sphinx's ``linkcheck_ignore`` matches from the start, which silently misses a pattern
    written without its scheme. An offline build (``checking=False``) checks nothing, so it
    does not look for what is due.
    """
    patterns = [re.compile(p) for p in ignored]
    fragments: dict[Target, set[str]] = {}
    for item in keyed:
        fragments.setdefault(item.target, set())
        if item.fragment:
            fragments[item.target].add(item.fragment)
    now = cache.clock()
    result = Plan(keyed, fragments=fragments)
    due: list[tuple[int, float, Target]] = []
    for target in fragments:
        if target.kind is TargetKind.url and any(p.search(target.value) for p in patterns):
            result.ignored.add(target)
            continue
        if not checking:
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
