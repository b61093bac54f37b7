"""Rules on size: a field past its limit, directives in a summary or nested too deep.

The guards that act on these (leaving a value out, a directive out of a summary, a page out
of the site) are in ``content/``; the findings come from here.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..model.fences import Block
from ..model.limits import ALSO_SEE, HTML_NESTING, NESTING, limit_of
from ..model.records import Citation, Finding
from ..model.rules import Subtype
from .context import finding
from .legacy import Defect


def over_limit(values: Mapping[str, str]) -> dict[str, int]:
    """Field -> length, for each value longer than its limit."""
    over = {}
    for name, value in values.items():
        limit = limit_of(name)
        if limit is not None and len(value) > limit.most:
            over[name] = len(value)
    return over


def check_limits(citation: Citation, over: Mapping[str, int], also_see: int) -> list[Finding]:
    """One finding per field past its limit, at the field's line; what was kept is said."""
    found = []
    for name, length in over.items():
        limit = limit_of(name)
        assert limit is not None  # over_limit only names fields that have one
        kept = "only its start is shown" if name in ("title", "summary") else "it was left out"
        where = (
            "the title" if name == "title" else f"the {name}" if name == "summary" else f":{name}:"
        )
        found.append(
            finding(citation, name, Subtype.too_long,
                    f"{where} is {length:,} {limit.unit} long; at most {limit.most:,} are read "
                    f"(e.g. {limit.example}), so {kept}")
        )  # fmt: skip
    if also_see > ALSO_SEE.most:
        found.append(
            finding(citation, "also-see", Subtype.too_long,
                    f":also-see: names {also_see:,} topics; at most {ALSO_SEE.most} are read, "
                    "so the rest were left out")
        )  # fmt: skip
    return found


def check_summary_directives(
    docname: str, first_line: int, blocks: list[Block], anchor: str
) -> list[Finding]:
    """A directive written inside a summary (toctree, include, a citation ...), left out."""
    return [
        Finding(
            docname,
            first_line + block.start,
            Subtype.summary_directive,
            f"a summary is text: the {{{block.name}}} directive cannot be used in it, so it "
            "was left out",
            citation=anchor,
        )
        for block in blocks
        if block.depth == 1
    ]


def html_too_deep(line: int, depth: int) -> Defect:
    """Legacy HTML nested past the importer's limit: flattened, its text kept."""
    return Defect(
        line,
        Subtype.too_deep,
        f"the HTML nests {depth:,} {HTML_NESTING.unit} deep from here; tags past level "
        f"{HTML_NESTING.most} were flattened (their text is kept, their structure is not): "
        "check this part of the imported page",
    )


def check_nesting(docname: str, first: Block, depth: int) -> Finding:
    """A page whose directives nest past the limit, at the first level too many."""
    what = "line" if first.name == "indentation" else f"{{{first.name}}}"
    return Finding(
        docname,
        first.start + 1,
        Subtype.too_deep,
        f"directives nest {depth:,} {NESTING.unit} deep; at most {NESTING.most} are read and "
        f"this {what} is level {first.depth}, so the page is left out of the site until they "
        "nest less",
    )
