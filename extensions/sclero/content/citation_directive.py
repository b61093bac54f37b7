"""The ``citation`` directive: one annotated citation with structured, checkable fields."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from ..checks import check_citation
from ..checks.limits import check_limits, check_summary_directives, over_limit
from ..checks.placement import check_anchor_clash, check_placement, check_repeated_fields
from ..model.fences import Block, directive_blocks
from ..model.identifiers import DOI_SHAPE, PMCID_SHAPE, PMID_SHAPE
from ..model.kinds import Kind
from ..model.limits import ALSO_SEE, FIELD_LIMITS, TOPIC_NAME, WAIVER_REASON, WAIVERS
from ..model.records import TEXT_FIELDS, Citation, TopicRef
from ..model.rules import Subtype, parse_subtype
from ..model.titles import clip
from ..model.works import WORK_IDENTIFIERS
from .domain import is_topic, sclero_domain
from .entry import render_citation

if TYPE_CHECKING:
    from collections.abc import Callable


# Fields whose legacy wording an entry can disclose: :legacy-<field>: <as printed> (<why>).
LEGACY_FIELDS = ("title", "summary", "source", "date", "journal", "also-see")
# A field line in the option block: ":pmid: 123" (MyST/rST style) or "pmid: 123" (YAML style).
_FIELD_LINE = re.compile(r"^\s*:?([A-Za-z][\w-]*):(?:\s|$)")
# A journal or a paper identifier makes an entry without :kind: an article.
_ARTICLE_FIELDS = frozenset(("journal", *WORK_IDENTIFIERS))


def topic_list(value: str | None) -> tuple[str, ...]:
    """Option converter: comma- or line-separated topic names."""
    names = tuple(n.strip() for n in re.split(r"[,\n]", value or "") if n.strip())
    if not names:
        raise ValueError("expected one or more topic names separated by commas")
    if long := next((n for n in names if len(n) > TOPIC_NAME.most), None):
        raise ValueError(
            f"a topic name is {len(long):,} characters long ({clip(long, 40)!r}); at most "
            f"{TOPIC_NAME.most} are read"
        )
    return names


def kind_choice(value: str | None) -> Kind:
    """Option converter: one of the citation kinds (the value quoted short when it is not)."""
    text = (value or "").strip()
    if text not in tuple(Kind):
        raise ValueError(f"{clip(text, 40)!r} is not a kind: write {', '.join(Kind)}")
    return Kind(text)


def anchor_id(value: str | None) -> str:
    """Option converter: an anchor that is already a valid HTML id (lower case, digits, -)."""
    value = (value or "").strip()
    fixed = nodes.make_id(value)[:80]
    if not value or fixed != value:
        raise ValueError(f"{clip(value, 60)!r} is not a valid anchor; did you mean {fixed!r}?")
    return value


def legacy_value(value: str | None) -> tuple[str, str]:
    """Option converter: what the legacy page printed, then why it changed, in parentheses.

    ``07/25/2019 (probably the online-first date; the issue date is from the record)``.
    The reason is the last parenthesised group, so a printed value may hold parentheses.
    """
    text = " ".join((value or "").split())
    if not text.endswith(")"):
        raise ValueError("write what the legacy page printed, then why it changed in (...)")
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[index], 0)
        if depth == 0:
            printed, reason = text[:index].strip(), text[index + 1 : -1].strip()
            if printed and reason:
                return printed, reason
            break
    raise ValueError("write what the legacy page printed, then why it changed in (...)")


def waiver_list(value: str | None) -> tuple[tuple[Subtype, str], ...]:
    """Option converter: ``<rule>: <reason>``, several separated by ``;`` or new lines."""
    waivers: list[tuple[Subtype, str]] = []
    items = [item for item in re.split(r"[;\n]", value or "") if item.strip()]
    if len(items) > WAIVERS.most:
        raise ValueError(f"{len(items):,} waivers; at most {WAIVERS.most} are read: waive less")
    for item in items:
        if not item.strip():
            continue
        name, _, reason = item.partition(":")
        subtype = parse_subtype(name)
        if subtype is None:
            raise ValueError(f"{name.strip()!r} is not a rule name (see the contributor guide)")
        if len(reason) > WAIVER_REASON.most:
            raise ValueError(f"a waiver's reason is {len(reason):,} characters; at most "
                             f"{WAIVER_REASON.most} are read")  # fmt: skip
        if not reason.strip():
            raise ValueError(f"waiving {subtype.value!r} needs a reason: '{subtype.value}: <why>'")
        waivers.append((subtype, reason.strip()))
    if not waivers:
        raise ValueError("expected '<rule>: <reason>'")
    return tuple(waivers)


class CitationDirective(SphinxDirective):
    """Render one citation in house style and record it in the ``sclero`` domain."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {
        **dict.fromkeys(TEXT_FIELDS, directives.unchanged),
        "kind": kind_choice,
        "also-see": topic_list,
        "id": anchor_id,
        "waive": waiver_list,
        **{f"legacy-{name}": legacy_value for name in LEGACY_FIELDS},
    }

    def run(self) -> list[nodes.Node]:
        """Parse the summary, build the record, check it, and return the rendered entry."""
        domain = sclero_domain(self.env)
        docname = self.env.docname
        written = {k: self.options[k].strip() for k in TEXT_FIELDS if k in self.options}
        legacy = {
            f"legacy-{name}": self.options[f"legacy-{name}"]
            for name in LEGACY_FIELDS
            if f"legacy-{name}" in self.options
        }
        title = self.arguments[0].strip()
        # Values past their limit are not read further (each check is linear in its input,
        # and a pull request must not stall the build); the title keeps its start.
        over = over_limit({**written, **{k: "".join(v) for k, v in legacy.items()}, "title": title})
        over_summary = sum(len(line) + 1 for line in self.content)
        if over_summary > FIELD_LIMITS["summary"].most:
            over["summary"] = over_summary
        if "title" in over:
            title = title[: FIELD_LIMITS["title"].most].rstrip() + "…"
        fields = tuple((k, v) for k, v in written.items() if k not in over)
        present = {k for k, _ in fields}
        kind = self.options.get("kind") or (
            Kind.article if present & _ARTICLE_FIELDS else Kind.news
        )
        anchor, clash = self._anchor(dict(fields), title)
        summary, in_summary = self._summary("summary" in over)
        also_see = self.options.get("also-see", ())
        citation = Citation(
            docname=docname,
            lineno=self.lineno,
            anchor=anchor,
            kind=kind,
            title=title,
            summary=summary.astext().strip(),
            fields=fields,
            also_see=also_see[: ALSO_SEE.most],
            waivers=self.options.get("waive", ()),
            field_lines=tuple(self._field_lines().items()),
            legacy=tuple(
                (name.removeprefix("legacy-"), *value)
                for name, value in legacy.items()
                if name not in over
            ),
        )
        findings = check_limits(citation, over, len(also_see))
        findings += check_summary_directives(docname, self._content_line(), in_summary, anchor)
        findings += check_citation(citation, self.config)
        findings += check_repeated_fields(citation, self._option_lines())
        findings += check_placement(citation, self.lineno, is_topic(docname, self.config))
        # A derived anchor only clashes when the same work is cited twice, which the
        # duplicate rule reports; an explicit :id: clash is the contributor's to fix.
        if clash and "id" in self.options:
            findings += check_anchor_clash(citation, self.lineno, clash)
        domain.add_citation(citation, findings)
        also_see_line = citation.line_of("also-see")
        for target in citation.also_see:
            domain.add_topic_ref(TopicRef(docname, also_see_line, target))
        entry = render_citation(citation, summary)
        self.set_source_info(entry)
        # Registering the id lets the next citation on the page see the clash.
        self.state.document.ids[anchor] = entry
        return [entry]

    def _content_line(self) -> int:
        """The source line of the summary's first line (MyST counts from the directive)."""
        return self.lineno + self.content_offset + 1

    def _summary(self, too_long: bool) -> tuple[nodes.container, list[Block]]:
        """The parsed summary, and the directives written in it (left out of it).

        A summary past its limit is not parsed: its start is shown as plain text.
        """
        summary = nodes.container(classes=["sclero-citation-summary"])
        if too_long:
            text = "\n".join(self.content)[: FIELD_LIMITS["summary"].most].rstrip() + "…"
            summary += nodes.paragraph(text, text)
            return summary, []
        blocks = directive_blocks(list(self.content))
        content = self.content
        if blocks:
            # Blank lines keep every other line where it was (findings stay located).
            content = StringList(list(self.content), items=list(self.content.items))
            for block in blocks:
                for index in range(block.start, block.end + 1):
                    content[index] = ""
        self.state.nested_parse(content, self.content_offset, summary)
        return summary, blocks

    def _anchor(self, fields: dict[str, str], title: str) -> tuple[str, str | None]:
        """The entry's anchor (explicit, else from PMID/DOI/PMCID/title) and a clash, if any."""
        base = self.options.get("id") or _derived_anchor(fields, title)
        ids = self.state.document.ids
        if base not in ids:
            return base, None
        n = 2
        while f"{base}-{n}" in ids:
            n += 1
        return f"{base}-{n}", base

    def _option_lines(self) -> list[tuple[str, int]]:
        """Every option line of the block, in order, with its line number."""
        found = []
        for offset, line in enumerate(self.block_text.splitlines()[1:], start=1):
            if not line.strip():
                break
            match = _FIELD_LINE.match(line)
            if match and match.group(1) in self.option_spec:
                found.append((match.group(1), self.lineno + offset))
        return found

    def _field_lines(self) -> dict[str, int]:
        """The source line of each option, read from the directive's own text."""
        lines: dict[str, int] = {}
        # block_text starts at self.lineno (the fence line); options run to the first
        # blank line, which separates them from the summary (MyST's content_offset does
        # not give the summary's line, so it is counted here too).
        in_options = True
        for offset, line in enumerate(self.block_text.splitlines()[1:], start=1):
            if not line.strip():
                in_options = False
                continue
            if not in_options:
                lines["summary"] = self.lineno + offset
                break
            match = _FIELD_LINE.match(line)
            if match and match.group(1) in self.option_spec:
                lines.setdefault(match.group(1), self.lineno + offset)
        return lines


# An anchor is also a file name (the entry's Cite downloads): kept well under any limit.
MAX_ANCHOR = 80


def _derived_anchor(fields: dict[str, str], title: str) -> str:
    """A stable anchor from the strongest well-formed identifier, else from the title."""
    shapes = {"pmid": PMID_SHAPE, "doi": DOI_SHAPE, "pmcid": PMCID_SHAPE}
    for key in WORK_IDENTIFIERS:
        value = fields.get(key, "")
        shape = shapes[key]
        # make_id drops a leading digit run, so the key prefix must come first.
        anchor = nodes.make_id(f"{key}-{value}")[:MAX_ANCHOR].rstrip("-")
        if value and shape.fullmatch(value) and anchor != key:
            return anchor
    return nodes.make_id(" ".join(title.split()[:10]))[:MAX_ANCHOR].rstrip("-") or "citation"
