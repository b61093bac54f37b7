"""Plain URLs checked: redirects followed hop by hop, each answer judged, hosts drained apart."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Set
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol
from urllib.parse import urljoin, urlsplit

from ..model.link_parsing import UnusableURLError, to_uri
from ..model.targets import CheckResult, Outcome, Target
from ..net.fetch import Fetcher, header_text
from .judge import classify

# What a batch check takes and gives: the anchors wanted per URL; a result per checked URL.
Anchors = dict[Target, set[str]] | None
Results = dict[Target, CheckResult]


class PlainChecker(Protocol):
    """What checks plain URLs: ours (``URLChecker``) or LinkChecker in its own process."""

    def check_all(
        self, targets: Iterable[Target], deadline: float, anchors: Anchors = None
    ) -> Results:
        """Check URL ``targets`` until ``deadline``; unchecked ones are absent."""
        ...


class URLChecker:
    """Our own checker of plain URLs, over the polite client."""

    def __init__(self, fetcher: Fetcher) -> None:
        """Check through ``fetcher`` (its hosts' rates, guard and deadline)."""
        self.fetcher = fetcher

    def check_all(
        self, targets: Iterable[Target], deadline: float, anchors: Anchors = None
    ) -> Results:
        """Check URL ``targets`` until ``deadline``; unchecked ones are absent from the result.

        Each host is drained by its own ``concurrency`` threads, so a host that hangs or
        asks to wait holds up only itself, never a shared pool the other hosts need.
        """
        queues: dict[str, deque[Target]] = {}
        for target in targets:
            queues.setdefault(urlsplit(target.value).hostname or "", deque()).append(target)
        wanted = anchors or {}

        def drain(queue: deque[Target]) -> dict[Target, CheckResult]:
            found: dict[Target, CheckResult] = {}
            while True:
                try:
                    target = queue.popleft()  # atomic: the host's threads share the queue
                except IndexError:
                    return found
                result = self.check(target, deadline, wanted.get(target, set()))
                if result is not None:
                    found[target] = result

        # Round-robin by host, so that under the worker cap every host gets a first thread.
        per_host = [
            [queue] * min(len(queue), self.fetcher.host(name).profile.concurrency)
            for name, queue in queues.items()
        ]
        jobs = [q for round_ in itertools.zip_longest(*per_host) for q in round_ if q is not None]
        results: dict[Target, CheckResult] = {}
        if not jobs:
            return results
        with ThreadPoolExecutor(max_workers=min(len(jobs), self.fetcher.settings.workers)) as pool:
            for future in [pool.submit(drain, queue) for queue in jobs]:
                results |= future.result()
        return results

    def check(
        self, target: Target, deadline: float, fragments: Set[str] = frozenset()
    ) -> CheckResult | None:
        """One URL, redirects followed hop by hop; None when the deadline came first."""
        current, permanent, seen = target.value, True, {target.value}
        original_path = urlsplit(target.value).path or "/"
        for _ in range(self.fetcher.settings.max_redirects + 1):
            answer = self.fetcher.get(current, deadline)
            if answer is None:
                return None
            if isinstance(answer, CheckResult):
                return CheckResult(target, answer.outcome, answer.status, answer.detail)
            location = answer.headers.get("location")
            if 300 <= answer.status < 400 and answer.status != 304 and location:
                permanent = permanent and answer.status in (301, 308)
                try:
                    current = to_uri(urljoin(current, header_text(location)))
                except UnusableURLError as error:
                    detail = f"redirect to an unusable address ({error})"
                    return CheckResult(target, Outcome.error, answer.status, detail)
                if current in seen:
                    return CheckResult(target, Outcome.error, answer.status, "redirect loop")
                seen.add(current)
                continue
            return classify(target, current, permanent, original_path, answer, fragments)
        return CheckResult(target, Outcome.error, detail="too many redirects")
