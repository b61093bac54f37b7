"""Contributor input past its limits: huge fields, directives in a summary, deep nesting.

Each case gives one located finding with its own rule, never a traceback or a stall. The
sizes are those a pull request could send (50,000 topic names, a 100,000-digit page range):
a check that is quadratic in them takes minutes, so the time bound per case (20 s for the
whole build) separates linear from quadratic by two orders of magnitude; it is not a timing
assertion on a fast path.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sclero.model.limits import (
    ALSO_SEE,
    FIELD_LIMITS,
    HTML_NESTING,
    NESTING,
    TOPIC_NAME,
    WAIVER_REASON,
    WAIVERS,
)

from .conftest import REPO, BuildPages, citation

HOME = "# Home\n\n```{toctree}\n:glob:\n\ntopics/*\n```\n"
CONF = 'suppress_warnings = ["sclero.link_unchecked", "sclero.unverified"]\n'


def _site(entry: str) -> dict[str, str]:
    return {"index": HOME, "topics/bones": f"# Bones\n\n## Studies\n\n{entry}"}


def _entry(body: str = "It found something.", **fields: str) -> str:
    values = {"journal": "Chest", "date": "2019-06", **fields}
    return citation("A study of bone density", body, **values)


def _timed(build_pages: BuildPages, pages: dict[str, str]) -> tuple[list[str], str]:
    started = time.monotonic()
    built = build_pages(pages, conf=CONF)
    assert time.monotonic() - started < 20
    assert "Traceback" not in built.status
    return built.warnings, built.html("topics/bones") if "topics/bones" in pages else ""


def test_fifty_thousand_topic_names(build_pages: BuildPages) -> None:
    names = ", ".join(f"Topic {i}" for i in range(50_000))
    warnings, _ = _timed(build_pages, _site(_entry(also_see=names)))
    limit = [w for w in warnings if "[sclero.too_long]" in w]
    assert limit == [
        "topics/bones.md:8: WARNING: :also-see: names 50,000 topics; at most "
        f"{ALSO_SEE.most} are read, so the rest were left out [sclero.too_long]"
    ]
    # Only the names read are checked: one unknown-topic finding each, not 50,000.
    assert len([w for w in warnings if "[sclero.topic_unknown]" in w]) == ALSO_SEE.most


def test_a_page_range_of_a_hundred_thousand_digits(build_pages: BuildPages) -> None:
    warnings, html = _timed(build_pages, _site(_entry(pages="1" * 100_000)))
    assert warnings == [
        "topics/bones.md:8: WARNING: :pages: is 100,000 characters long; at most "
        f"{FIELD_LIMITS['pages'].most} are read (e.g. 433-438), so it was left out "
        "[sclero.too_long]"
    ]
    assert "1" * 100 not in html


def test_a_title_past_its_limit_keeps_its_start(build_pages: BuildPages) -> None:
    entry = citation("Bone " * 20_000, "It found something.", journal="Chest", date="2019-06")
    warnings, html = _timed(build_pages, _site(entry))
    assert warnings == [
        "topics/bones.md:5: WARNING: the title is 99,999 characters long; at most "
        f"{FIELD_LIMITS['title'].most} are read (e.g. a PubMed title), so only its start is "
        "shown [sclero.too_long]"
    ]
    title = BeautifulSoup(html, "html.parser").select_one(".sclero-citation-title strong")
    assert title is not None and len(title.get_text()) <= FIELD_LIMITS["title"].most + 1


def test_a_summary_past_its_limit_is_shown_as_text_not_parsed(build_pages: BuildPages) -> None:
    body = "**Bold** " * 50_000 + "."
    warnings, html = _timed(build_pages, _site(_entry(body)))
    assert warnings == [
        "topics/bones.md:9: WARNING: the summary is 450,002 characters long; at most "
        f"{FIELD_LIMITS['summary'].most:,} are read (e.g. one or two sentences), so only its "
        "start is shown [sclero.too_long]"
    ]
    summary = BeautifulSoup(html, "html.parser").select_one(".sclero-citation-summary")
    assert summary is not None and summary.select("strong") == []  # not parsed as Markdown
    assert len(summary.get_text(strip=True)) <= FIELD_LIMITS["summary"].most + 1


SUMMARY_DIRECTIVES = {
    "fenced": (
        "It found something.\n\n"
        "```{toctree}\n:glob:\n\n*\n```\n\n"
        ":::{include} /etc/passwd\n:::\n\n"
        "```{raw} html\n<script>alert(1)</script>\n```\n\n"
        "````{citation} A nested citation\n:journal: Chest\n:date: 2019\n\nText.\n````\n",
        ((11, "toctree"), (17, "include"), (20, "raw"), (24, "citation")),
    ),
    "in a list item and a quote": (
        "It found something.\n\n- ```{toctree}\n  /index\n  ```\n\n"
        "> ```{citation} A nested citation\n> :journal: Chest\n>\n> Text.\n> ```\n",
        ((11, "toctree"), (15, "citation")),
    ),
}


@pytest.mark.parametrize("case", list(SUMMARY_DIRECTIVES))
def test_directives_in_a_summary_are_left_out_at_their_line(
    build_pages: BuildPages, case: str
) -> None:
    body, expected = SUMMARY_DIRECTIVES[case]
    # The entry's fence is longer than any fence inside it, as MyST needs for nesting.
    entry = _entry(body).replace("```{citation}", "`````{citation}", 1)
    entry = entry[: entry.rstrip().rfind("```")] + "`````\n"
    warnings, html = _timed(build_pages, _site(entry))
    assert warnings == [
        f"topics/bones.md:{line}: WARNING: a summary is text: the {{{name}}} directive cannot "
        "be used in it, so it was left out [sclero.summary_directive]"
        for line, name in expected
    ]
    assert "root:" not in html and "<script>alert" not in html
    assert len(BeautifulSoup(html, "html.parser").select(".sclero-citation")) == 1


def test_directives_nested_past_the_limit_leave_the_page_out(build_pages: BuildPages) -> None:
    depth = 400
    opening = "".join("`" * (3 + n) + "{note}\n" for n in range(depth, 0, -1))
    closing = "".join("`" * (3 + n) + "\n" for n in range(1, depth + 1))
    pages = {
        "index": HOME,
        "topics/ok": "# Ok\n",
        "topics/deep": f"# Deep\n\n{opening}Text.\n{closing}",
    }
    warnings, _ = _timed(build_pages, pages)
    assert warnings == [
        f"topics/deep.md:{3 + NESTING.most}: WARNING: directives nest 400 levels deep; at most "
        f"{NESTING.most} are read and this {{note}} is level {NESTING.most + 1}, so the page is "
        "left out of the site until they nest less [sclero.too_deep]"
    ]


def test_nesting_at_the_limit_is_read(build_pages: BuildPages) -> None:
    depth = NESTING.most
    opening = "".join("`" * (3 + n) + "{note}\n" for n in range(depth, 0, -1))
    closing = "".join("`" * (3 + n) + "\n" for n in range(1, depth + 1))
    pages = {"index": HOME, "topics/deep": f"# Deep\n\n{opening}Text.\n{closing}"}
    built = build_pages(pages, conf=CONF)
    assert built.warnings == []
    assert built.html("topics/deep").count('class="admonition note"') == depth


def test_the_contributor_guide_lists_every_limit() -> None:
    """The guide's limits table is the model's table, row for row."""
    guide = (REPO / "docs" / "contributing.md").read_text(encoding="utf-8")
    start = guide.index("% limits-table")
    rows = re.findall(r"^\| `([^`]+)` \| ([\d,]+) (\w+) \|", guide[start:], re.M)
    listed = {name: (int(most.replace(",", "")), unit) for name, most, unit in rows}
    expected = {name: (limit.most, limit.unit) for name, limit in FIELD_LIMITS.items()}
    extra = {
        "also-see": ALSO_SEE,
        "nesting": NESTING,
        "also-see name": TOPIC_NAME,
        "waive": WAIVERS,
        "waive reason": WAIVER_REASON,
        "legacy HTML nesting": HTML_NESTING,
    }
    expected |= {name: (limit.most, limit.unit) for name, limit in extra.items()}
    assert listed == expected


def test_limits_are_far_above_real_values() -> None:
    """Every field of every entry of the site's own pages is well within its limit."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "docs").rglob("*.md"))
    for name, limit in FIELD_LIMITS.items():
        values = re.findall(rf"^:{name}: (.*)$", text, re.M)
        assert all(len(v) <= limit.most // 2 for v in values), name


def test_a_page_cannot_publish_a_file_of_the_machine(
    build_pages: BuildPages, tmp_path: Path
) -> None:
    """include, literalinclude and images from outside docs/ read nothing into the site."""
    (tmp_path / "secret.txt").write_text("TOKEN-4f1c9e\n", encoding="utf-8")
    escape = "../secret.txt"  # the project is tmp_path/src
    page = (
        f"# Leak\n\n![x]({escape})\n\n```{{include}} {escape}\n```\n\n"
        f"```{{literalinclude}} {escape}\n```\n\n[get it]({escape})\n\n"
        f"{{download}}`this <{escape}>`\n"
    )
    built = build_pages({"index": page}, conf=CONF)
    assert built.warnings == [
        'index.md:5: WARNING: Directive "include" disabled. [docutils]',
        "index.md:8: WARNING: File insertion disabled [docutils]",
        f"index.md:3: WARNING: {escape!r} is outside the site's folder; only files under docs/ "
        "are shown, so it was left out [sclero.outside_file]",
        f"index.md:11: WARNING: {escape!r} is outside the site's folder; only files under "
        "docs/ are shown, so it was left out [sclero.outside_file]",
        f"index.md:13: WARNING: {escape!r} is outside the site's folder; only files under "
        "docs/ are shown, so it was left out [sclero.outside_file]",
    ]
    out = Path(built.app.outdir)
    assert "TOKEN-4f1c9e" not in built.html()
    assert not (out / "_images").exists() and not (out / "_downloads").exists()


def test_the_new_topic_templates_placeholders_are_findings(
    build_pages: BuildPages, tmp_path: Path
) -> None:
    """make new-topic's page, with its placeholder PMID deleted, fails on every placeholder."""
    docs = tmp_path / "made"
    (docs / "topics").mkdir(parents=True)
    subprocess.run(
        [sys.executable, "-m", "sclero.importer.new_topic", "--docs", str(docs), "lupus", "Lupus"],
        env={"PYTHONPATH": str(REPO / "extensions")},
        check=True,
        capture_output=True,
    )
    text = (docs / "topics" / "lupus.md").read_text(encoding="utf-8")
    text = text.replace(":pmid: digits from the PubMed page\n", "")
    built = build_pages({"index": HOME, "topics/lupus": text}, conf=CONF)
    placeholders = [w for w in built.warnings if "[sclero.placeholder]" in w]
    assert placeholders == [
        "topics/lupus.md:11: WARNING: the introduction is the template's placeholder: write an "
        "introduction to the topic [sclero.placeholder]",
        "topics/lupus.md:15: WARNING: title is the template's placeholder 'Title of the article, "
        "as on its PubMed page…': write the article's title from its PubMed page "
        "[sclero.placeholder]",
        "topics/lupus.md:17: WARNING: journal is the template's placeholder 'NLM abbreviation, "
        "e.g. Osteoporos Int': write the journal's NLM abbreviation [sclero.placeholder]",
        "topics/lupus.md:20: WARNING: summary is the template's placeholder 'One sentence on what "
        "the study found.': write one sentence on what this study found [sclero.placeholder]",
    ]


@pytest.mark.parametrize(
    ("name", "text", "line", "what"),
    [
        (
            "notes in list items",
            "".join("  " * n + "- :::{note}\n" for n in range(80)) + "Text.\n",
            19,
            "{note} is level 17",
        ),
        (
            "rST notes in eval-rst",
            "```{eval-rst}\n"
            + "".join("   " * n + ".. note::\n\n" for n in range(120))
            + "   " * 120
            + "Text.\n```\n",
            50,  # the 23rd note, indented 69 columns: 17 levels of 4
            "line is level 17",
        ),
    ],
)
def test_nesting_by_lists_quotes_or_indentation_leaves_the_page_out(
    build_pages: BuildPages, name: str, text: str, line: int, what: str
) -> None:
    pages = {"index": HOME, "topics/ok": "# Ok\n", "topics/deep": f"# Deep\n\n{text}"}
    warnings, _ = _timed(build_pages, pages)
    assert len(warnings) == 1 and warnings[0].startswith(f"topics/deep.md:{line}: WARNING: "), (
        warnings
    )
    assert f"this {what}" in warnings[0] and warnings[0].endswith("[sclero.too_deep]")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("also_see", "x" * 1_000_000, "a topic name is 1,000,000 characters long ('xxx"),
        ("waive", ";".join(["required: not found"] * 50_000), "50,000 waivers; at most 10"),
        ("kind", "k" * 1_000_000, "'kkk"),
        ("id", "I" * 1_000_000, "'III"),
    ],
)
def test_an_option_past_its_limit_is_quoted_short(
    build_pages: BuildPages, option: str, value: str, message: str
) -> None:
    """Each gets a located error; no log line quotes the megabyte whole."""
    warnings, _ = _timed(build_pages, _site(_entry(**{option: value})))
    assert len(warnings) == 1 and message in warnings[0], warnings
    assert len(warnings[0]) < 2_100  # docutils quotes the value: the log line is cut
