"""Required fields per kind of citation, and fields given with no value."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.kinds import KIND_INFO
from ..model.records import Citation, Finding
from ..model.rules import Subtype
from ..model.titles import clip
from .context import CheckContext, finding


def check_required(citation: Citation, ctx: CheckContext) -> Iterator[Finding]:
    """An empty field is reported at its line; a missing one at the directive's."""
    for name, value in citation.fields:
        if not value.strip():
            yield finding(citation, name, Subtype.empty, f"field :{name}: is empty")
    info = KIND_INFO[citation.kind]
    missing = [n for n in info.required if citation.get(n) is None]
    if missing:
        needs = ", ".join(("title", *info.required))
        yield finding(
            citation,
            "title",
            Subtype.required,
            f"{clip(citation.title, 60)!r} has no {', '.join(f':{n}:' for n in missing)} "
            f"({info.named} citation "
            f"needs {needs})",
        )
