"""Registry answers are untrusted input: wrong types, deep or huge bodies never crash a build.

A stand-in E-utilities and Crossref on 127.0.0.1 answers with what a compromised or broken
registry (or a captive portal) might send. Every such answer means "not verified", said in
one located line; nothing from it reaches a reader's page unescaped or as a link.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sclero.model.registry_shapes import MAX_JSON_DEPTH, json_depth, parse_answer

from .conftest import BuildPages, citation
from .registry_data import PUBMED, crossref_records

PMID = "29898932"
DOI = "10.1016/s0140-6736(97)11096-0"
TITLE = "Management of bone health in patients with celiac disease: Practical guide for clinicians"


class Answers:
    """What the stand-in registry answers next: a body for esummary and one for /works."""

    def __init__(self) -> None:
        self.esummary = b""
        self.works = b""


def _serve(answers: Answers) -> tuple[ThreadingHTTPServer, int]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:
            body = answers.esummary if "esummary" in self.path else answers.works
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the client stops reading at its cap
                self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


@pytest.fixture(scope="module")
def registry() -> Iterator[tuple[Answers, int]]:
    answers = Answers()
    server, port = _serve(answers)
    yield answers, port
    server.shutdown()


def _esummary(**changes: object) -> bytes:
    doc = {**PUBMED[PMID], **changes}
    return json.dumps({"result": {"uids": [PMID], PMID: doc}}).encode()


def _works(**changes: object) -> bytes:
    work = {**crossref_records()[DOI], **changes}
    return json.dumps({"status": "ok", "message": {"items": [work]}}).encode()


def _conf(port: int, tmp_path: Path) -> str:
    base = f"http://127.0.0.1:{port}/"
    values = {
        "sclero_linkcheck_mode": "budget",
        "sclero_linkcheck_allowed_hosts": ["127.0.0.1"],
        "sclero_linkcheck_profiles": {"127.0.0.1": (50, 4)},
        "sclero_linkcheck_cache": str(tmp_path / "cache.sqlite3"),
        "sclero_linkcheck_timeout": 5.0,
        "sclero_eutils": base,
        "sclero_crossref": base,
        "sclero_doi_api": base + "api/handles/",
        "suppress_warnings": ["sclero.link_unchecked"],
    }
    return "\n" + "\n".join(f"{k} = {v!r}" for k, v in values.items()) + "\n"


def _page(**fields: str) -> dict[str, str]:
    entry = citation(
        TITLE,
        "Patients need calcium and vitamin D.",
        journal="Can Fam Physician",
        date="2018-06",
        **fields,
    )
    return {
        "index": "# Home\n\n```{toctree}\n:glob:\n\ntopics/*\n```\n",
        "topics/celiac": f"# Celiac\n\n{entry}",
    }


# What a broken or hostile esummary answer says, and the reason the build gives for it.
ESUMMARY_CASES = {
    "title is a list": (_esummary(title=["a", "b"]), "result.29898932.title is a list, not text"),
    "authors is text": (
        _esummary(authors="Smith J"),
        "result.29898932.authors is text, not a list",
    ),
    "pubtype is an object": (
        _esummary(pubtype={"a": 1}),
        "result.29898932.pubtype is an object, not a list",
    ),
    "articleids is text": (
        _esummary(articleids="pmc"),
        "result.29898932.articleids is text, not a list",
    ),
    "pubdate is a number": (
        _esummary(pubdate=2018),
        "result.29898932.pubdate is a number, not text",
    ),
    "references is a number": (
        _esummary(references=3),
        "result.29898932.references is a number, not a list",
    ),
    "an author's name is a number": (
        _esummary(authors=[{"name": 7, "authtype": "Author"}]),
        "result.29898932.authors[0].name is a number, not text",
    ),
    "result is a list": (b'{"result": []}', "answer.result is a list, not an object"),
    "deep JSON": (b"[" * 100_000 + b"]" * 100_000, f"nested deeper than {MAX_JSON_DEPTH} levels"),
    "truncated JSON": (
        _esummary()[:-40],
        "not JSON (Expecting property name enclosed in double quotes)",
    ),
    "not UTF-8": (b'{"result": {"uids": ["\xff"]}}', "not UTF-8"),
    "30 MB": (b'{"result": "' + b"x" * 30_000_000 + b'"}', "larger than 8 MB"),
    "a captive portal": (b"<html><body>Please log in</body></html>", "not JSON (Expecting value)"),
}


CROSSREF_CASES = {
    "title is text": (_works(title="A title"), "answer.message.items[0].title is text, not a list"),
    "author is an object": (
        _works(author={"family": "X"}),
        "answer.message.items[0].author is an object, not a list",
    ),
    "a date part is text": (
        _works(issued={"date-parts": [["2018"]]}),
        "answer.message.items[0].issued.date-parts[0][0] is text, not a number or null",
    ),
    "items is text": (
        b'{"status": "ok", "message": {"items": "10.1016/x"}}',
        "answer.message.items is text, not a list",
    ),
    "a work without its DOI": (
        json.dumps({"message": {"items": [{"title": ["A title"]}]}}).encode(),
        "answer.message.items[0] has no DOI",
    ),
    "updated-by is a number": (
        _works(**{"updated-by": 5}),
        "answer.message.items[0].updated-by is a number, not a list",
    ),
}


# Each case: which answer is broken, the identifier field that reaches it, and the reason.
CASES = {
    **{
        f"esummary, {k}": ("esummary", body, "pmid", why)
        for k, (body, why) in ESUMMARY_CASES.items()
    },
    **{f"crossref, {k}": ("works", body, "doi", why) for k, (body, why) in CROSSREF_CASES.items()},
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_broken_registry_answer_means_not_verified(
    case: str,
    registry: tuple[Answers, int],
    build_pages: BuildPages,
    tmp_path: Path,
) -> None:
    answers, port = registry
    answer, body, field, reason = CASES[case]
    setattr(answers, answer, body)
    label, value, source = (
        ("PMID", PMID, "E-utilities") if field == "pmid" else ("DOI", DOI, "Crossref")
    )
    started = time.monotonic()
    built = build_pages(_page(**{field: value}), conf=_conf(port, tmp_path))
    assert time.monotonic() - started < 20
    assert built.warnings == []
    notes = [line for line in built.status.splitlines() if "note:" in line]
    assert notes == [
        f"topics/celiac.md:6: note: {label} {value} not verified: {source}: its answer could "
        f"not be read ({reason}) [sclero.unverified]"
    ]
    assert "Traceback" not in built.status


def test_markup_and_script_links_from_a_registry_never_reach_the_page(
    registry: tuple[Answers, int], build_pages: BuildPages, tmp_path: Path
) -> None:
    """A record that matches the entry, with markup in its authors and a hostile notice link."""
    answers, port = registry
    answers.esummary = _esummary(
        authors=[{"name": "<script>alert(1)</script>", "authtype": "Author"}],
        references=[{"reftype": "Retraction in", "pmid": "javascript:alert(1)"}],
    )
    built = build_pages(_page(pmid=PMID), conf=_conf(port, tmp_path))
    html = built.html("topics/celiac")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text, escaped
    soup = BeautifulSoup(html, "html.parser")
    hrefs = [a.get("href", "") for a in soup.find_all("a")]
    assert not [h for h in hrefs if "javascript" in str(h).lower()]


def test_hostile_bodies_are_read_in_linear_time() -> None:
    """Unterminated escapes, deep brackets, brackets inside strings: each read in one pass.

    Not a timing assertion: a quadratic reading of these (a regex that restarts at every
    quote took 75 s on the first) takes minutes; one pass takes well under a second, and the
    bound leaves two orders of magnitude.
    """
    bodies = [
        b'"' + b'\\"' * 400_000,  # a string that never closes, made of escaped quotes
        b"[" * 500_000,
        b'["' + b"[{" * 250_000 + b'"]',
        b"[" * 31 + b"]" * 31,
    ]
    started = time.monotonic()
    outcomes = []
    for body in bodies:
        try:
            parse_answer(body)
            outcomes.append("read")
        except ValueError as error:
            outcomes.append(str(error))
    assert time.monotonic() - started < 10
    assert outcomes == [
        "not JSON (Unterminated string starting at)",
        f"nested deeper than {MAX_JSON_DEPTH} levels",
        "read",
        "read",
    ]
    assert json_depth(json.loads(b"[" * 33 + b"]" * 33)) == 33


def test_record_text_never_starts_a_workflow_command(
    registry: tuple[Answers, int], build_pages: BuildPages, tmp_path: Path
) -> None:
    """A record's title with a line break and ``::error::`` is quoted on the finding's line."""
    answers, port = registry
    answers.esummary = _esummary(title="Another paper\n::error::pwned\x1b[31m")
    built = build_pages(_page(pmid=PMID), conf=_conf(port, tmp_path))
    lines = (built.status + "\n".join(built.warnings)).splitlines()
    assert not [line for line in lines if line.lstrip().startswith("::")]
    assert not [line for line in lines if "\x1b[31m" in line]
    assert built.warnings == [
        f'topics/celiac.md:6: WARNING: PMID {PMID} is "Another paper ::error::pwned\\x1b[31m" '
        f'(PubMed), not this entry\'s title "{TITLE}" [sclero.record_title]'
    ]
