"""Required fields per kind of citation, and fields given with no value."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.records import Citation, Finding
from ..model.rules import Subtype
from .context import CheckContext, finding

REQUIRED: dict[str, tuple[str, ...]] = {
    "article": ("journal", "date"),
    "news": ("outlet", "date", "url"),
    "web": ("outlet", "url"),
}


def check_required(citation: Citation, ctx: CheckContext) -> Iterator[Finding]:
    """An empty field is reported at its line; a missing one at the directive's."""
    for name, value in citation.fields:
        if not value.strip():
            yield finding(citation, name, Subtype.empty, f"field :{name}: is empty")
    missing = [n for n in REQUIRED.get(citation.kind, ()) if citation.get(n) is None]
    if missing:
        needs = ", ".join(("title", *REQUIRED[citation.kind]))
        yield finding(
            citation,
            "title",
            Subtype.required,
            f"{citation.title[:60]!r} has no {', '.join(f':{n}:' for n in missing)} "
            f"({'an' if citation.kind == 'article' else 'a'} {citation.kind} citation "
            f"needs {needs})",
        )
