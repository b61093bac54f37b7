"""What one HTTP answer means for a link: working, moved, blocked, a soft 404, a missing anchor.

``classify`` turns an answer into an outcome; ``checks/links.py`` turns the stored outcome
into the finding (if any) of each occurrence.
"""

from __future__ import annotations

import re
from collections.abc import Set
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..model.targets import CheckResult, Outcome, Target

if TYPE_CHECKING:
    from ..net.fetch import Page

BLOCKED = frozenset({401, 403, 418, 999})
# Error pages answered with 200: a title part that is *only* one of these phrases. A whole
# title is never searched for "404" or "not found": "404 patients ..." is an article.
_NOT_FOUND_TITLE = re.compile(
    r"(?:error\s*)?(?:404|410)(?:\s*(?:error|[-:])?\s*(?:page\s+|file\s+)?"
    r"(?:not\s+found|gone))?"
    r"|(?:(?:the\s+)?(?:page|file|article|document|content|resource)\s+(?:was\s+|is\s+)?)?"
    r"(?:not\s+found|no\s+longer\s+(?:exists|available)|does(?:n't|\s+not)\s+exist)"
    r"|(?:oops!?\s*)?(?:that\s+)?page\s+(?:can(?:not|'t)\s+be\s+found|isn't\s+available)"
    # German, French, Spanish, Portuguese, Italian, Dutch: the wordings sites ship.
    r"|seite\s+nicht\s+gefunden|page\s+introuvable|p[aá]gina\s+no\s+encontrada"
    r"|p[aá]gina\s+n[aã]o\s+encontrada|pagina\s+non\s+trovata|pagina\s+niet\s+gevonden",
    re.IGNORECASE,
)
_SEARCH_TITLE = re.compile(r"search(?:\s+results)?(?:\s+for\b.*)?", re.IGNORECASE)
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·»]+\s+")


class _PageFacts(HTMLParser):
    """The ids (and names) a page defines, and its title (the first h1 if it has none)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.title = ""
        self.h1 = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
        if tag in ("title", "h1"):
            self._in = tag

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "h1" and not self.h1:
            self.h1 += data

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None


def says_not_found(title: str) -> bool:
    """A title whose part (split at " | ", " - " ...) is only a "not found" phrase."""
    parts = _TITLE_SEPARATORS.split(" ".join(title.split()))
    return any(_NOT_FOUND_TITLE.fullmatch(part.strip(" .!")) for part in parts if part)


def classify(
    target: Target,
    final: str,
    permanent: bool,
    original_path: str,
    page: Page,
    fragments: Set[str],
) -> CheckResult:
    """The outcome of the last answer of a redirect chain that started at ``target``."""
    status, headers = page.status, page.headers
    if status == 429:
        return CheckResult(target, Outcome.rate_limited, status, "429 Too Many Requests")
    if headers.get("cf-mitigated") == "challenge" or status in BLOCKED:
        return CheckResult(target, Outcome.blocked, status, f"{status}: refuses automated checks")
    if status in (404, 410):
        return CheckResult(target, Outcome.broken, status, f"{status}")
    if status >= 500:
        return CheckResult(target, Outcome.server_error, status, f"{status}")
    if not 200 <= status < 300:
        return CheckResult(target, Outcome.error, status, f"unexpected {status}")
    final_path = urlsplit(final).path
    moved = final != target.value
    if (
        moved
        and original_path not in ("", "/")
        and (final_path in ("", "/") or "search" in final_path.lower())
    ):
        return CheckResult(target, Outcome.soft_404, status, f"redirects to {final}")
    facts = _PageFacts()
    if "html" in headers.get("content-type", ""):
        facts.feed(page.body.decode("utf-8", "replace"))
        title = " ".join((facts.title or facts.h1).split())
        if says_not_found(title) or (
            _SEARCH_TITLE.fullmatch(title) and "search" not in original_path.lower()
        ):
            return CheckResult(target, Outcome.soft_404, status, f"page says {title[:60]!r}")
    missing = frozenset(f for f in fragments if f not in facts.ids)
    if missing:
        detail = "no element with id " + ", ".join(f"#{m}" for m in sorted(missing))
        return CheckResult(target, Outcome.anchor, status, detail, missing_anchors=missing)
    if moved and permanent:
        return CheckResult(target, Outcome.redirected, status, "moved permanently", final)
    return CheckResult(target, Outcome.working, status)
