"""The bench's one scoring rule, on small fixed outputs in each tool's own format."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from corpus import Truth  # noqa: E402
from scoring import (  # noqa: E402
    Reported,
    read_linkchecker,
    read_lychee,
    read_ours,
    read_sphinx,
    score,
)

H = "http://127.0.0.1:9"
TRUTH = Truth(
    link_kinds={
        f"{H}/missing/1": "missing",
        f"{H}/gone/2": "gone",
        f"{H}/soft_title/3": "soft_title",
        f"{H}/blocked/4": "blocked",
        f"{H}/hang/5": "hang",
        f"{H}/limited/6": "limited",
        f"{H}/decoy_title/7": "decoy_title",
        f"{H}/ok/8": "ok",
    },
    link_occurrences=[
        ("docs/topics/t0.md", 5, f"{H}/missing/1"),
        ("docs/topics/t0.md", 9, f"{H}/gone/2"),
        ("docs/topics/t1.md", 3, f"{H}/soft_title/3"),
    ],
)


def lines(file: str, url: str) -> set[int]:
    return {n for f, n, u in TRUTH.link_occurrences if (f, u) == (file, url)}


def test_ours_reads_outcomes_and_leaves_identifiers_to_their_own_score() -> None:
    def row(url: str, outcome: str, status: int, line: int, kind: str = "url") -> dict:
        return {
            "url": url,
            "docname": "topics/t0",
            "lineno": line,
            "outcome": outcome,
            "status": status,
            "checked": {"kind": kind, "value": url},
        }

    report = {
        "occurrences": [
            row(f"{H}/missing/1", "broken", 404, 5),
            row(f"{H}/gone/2", "broken", 410, 8),  # the wrong line
            row(f"{H}/soft_title/3", "soft_404", 200, 3),
            row(f"{H}/decoy_title/7", "working", 200, 1),
            row(f"{H}/blocked/4", "blocked", 403, 2),
            row(f"{H}/hang/5", "timeout", 0, 4),
            row("https://pubmed.ncbi.nlm.nih.gov/1/", "broken", 404, 6, kind="pmid"),
        ]
    }
    reported = read_ours(report)
    assert Reported(f"{H}/missing/1", "dead", "docs/topics/t0.md", 5) in reported
    assert all("pubmed" not in r.url for r in reported)
    result = score(reported, TRUTH, lines)
    assert result == {
        "dead_predicted": 3,
        "precision": 1.0,
        "recall": 1.0,
        "recall_by_kind": {"missing (404)": 1.0, "gone (410)": 1.0, "soft 404": 1.0},
        "decoys_called_dead": 0,
        "missed": [],
        "timeouts": 1,
        "rate_limited": 0,
        "blocked": 1,
        # t1's soft 404 was reported in t0 here; the 410 at line 8, written at line 9.
        "located_share": 1 / 3,
    }


def test_sphinx_output_json_last_line_wins_and_codes_come_from_the_message() -> None:
    items = [
        {
            "filename": "topics/t0.md",
            "lineno": 5,
            "status": "broken",
            "code": 0,
            "uri": f"{H}/missing/1",
            "info": f"404 Client Error: Not Found for url: {H}/missing/1",
        },
        {
            "filename": "topics/t0.md",
            "lineno": 9,
            "status": "broken",
            "code": 0,
            "uri": f"{H}/gone/2",
            "info": "410 Client Error: Gone for url",
        },
        {
            "filename": "topics/t1.md",
            "lineno": 3,
            "status": "working",
            "code": 0,
            "uri": f"{H}/soft_title/3",
            "info": "",
        },
        {
            "filename": "topics/t0.md",
            "lineno": 2,
            "status": "broken",
            "code": 0,
            "uri": f"{H}/blocked/4",
            "info": "403 Client Error: Forbidden for url",
        },
        {
            "filename": "topics/t0.md",
            "lineno": 4,
            "status": "timeout",
            "code": 0,
            "uri": f"{H}/hang/5",
            "info": "Read timed out. (read timeout=5)",
        },
        {
            "filename": "topics/t0.md",
            "lineno": 6,
            "status": "rate-limited",
            "code": 0,
            "uri": f"{H}/limited/6",
            "info": "",
        },
        {
            "filename": "topics/t0.md",
            "lineno": 6,
            "status": "working",
            "code": 0,
            "uri": f"{H}/limited/6",
            "info": "",
        },
        {
            "filename": "topics/t0.md",
            "lineno": 7,
            "status": "broken",
            "code": 0,
            "uri": f"{H}/decoy_title/7",
            "info": "HTTPConnectionPool: Connection refused",
        },
    ]
    reported = read_sphinx("\n".join(json.dumps(i) for i in items) + "\n")
    assert Reported(f"{H}/limited/6", "ok", "docs/topics/t0.md", 6) in reported
    result = score(reported, TRUTH, lines)
    assert (result["dead_predicted"], result["precision"], result["recall"]) == (2, 1.0, 2 / 3)
    assert result["recall_by_kind"]["soft 404"] == 0.0
    assert result["missed"] == ["soft_title"]
    assert (result["timeouts"], result["rate_limited"], result["blocked"]) == (1, 0, 1)
    assert result["decoys_called_dead"] == 0  # a refused connection is "other", not dead
    assert result["located_share"] == 2 / 3


def test_lychee_error_and_timeout_maps() -> None:
    root = "/work/plain"
    data = {
        "error_map": {
            f"{root}/docs/topics/t0.md": [
                {
                    "url": f"{H}/missing/1",
                    "status": {"text": "Rejected status code: 404 Not Found", "code": 404},
                    "span": {"line": 5, "column": 3},
                },
                {
                    "url": f"{H}/gone/2",
                    "status": {"text": "Rejected status code: 410 Gone", "code": 410},
                    "span": {"line": 9, "column": 3},
                },
                {
                    "url": f"{H}/blocked/4",
                    "status": {"text": "Rejected status code: 403 Forbidden", "code": 403},
                    "span": {"line": 2},
                },
                {
                    "url": f"{H}/limited/6",
                    "status": {"text": "Rejected status code: 429 Too Many Requests", "code": 429},
                    "span": {"line": 6},
                },
            ]
        },
        "timeout_map": {
            f"{root}/docs/topics/t0.md": [
                {
                    "url": f"{H}/hang/5",
                    "status": {"text": "Timeout", "details": "timed out"},
                    "span": {"line": 4},
                }
            ]
        },
        "success_map": {
            f"{root}/docs/topics/t1.md": [
                {
                    "url": f"{H}/soft_title/3",
                    "status": {"text": "200 OK", "code": 200},
                    "span": {"line": 3},
                }
            ]
        },
    }
    result = score(read_lychee(json.dumps(data), root), TRUTH, lines)
    assert (result["dead_predicted"], result["precision"], result["recall"]) == (2, 1.0, 2 / 3)
    assert (result["timeouts"], result["rate_limited"], result["blocked"]) == (1, 1, 1)
    assert result["located_share"] == 2 / 3


def test_linkchecker_csv_markdown_parent_located_html_parent_not() -> None:
    root = "/work/plain"
    header = (
        "urlname;parentname;base;result;warningstring;infostring;valid;url;line;column;name;"
        "dltime;size;checktime;cached;level;modified"
    )
    md = f"file://{root}/docs/topics/t0.md"
    html = f"file://{root}/builds/html/topics/t1.html"
    rows = [
        f"{H}/missing/1;{md};;404 Not Found;;;False;{H}/missing/1;5;12;;;;;;;",
        f"{H}/gone/2;{html};;410 Gone;;;False;{H}/gone/2;40;3;;;;;;;",
        f"{H}/limited/6;{md};;429 Too Many Requests;Rate limited;;True;{H}/limited/6;6;1;;;;;;;",
        f"{H}/hang/5;{md};;ReadTimeout: read timed out;;;False;{H}/hang/5;4;1;;;;;;;",
        f"{H}/blocked/4;{md};;403 Forbidden;;;False;{H}/blocked/4;2;1;;;;;;;",
        f"{H}/soft_title/3;{html};;200 OK;;;True;{H}/soft_title/3;7;1;;;;;;;",
    ]
    text = "# LinkChecker CSV output\n" + "\n".join([header, *rows]) + "\n# end\n"
    reported = read_linkchecker(text, root)
    assert Reported(f"{H}/gone/2", "dead") in reported  # an HTML parent: no source line
    result = score(reported, TRUTH, lines)
    assert (result["dead_predicted"], result["precision"], result["recall"]) == (2, 1.0, 2 / 3)
    assert (result["timeouts"], result["rate_limited"], result["blocked"]) == (1, 1, 1)
    assert result["located_share"] == 1 / 3


def test_scale_growth_target_when_ours_costs_nothing_over_the_floor_at_the_small_size() -> None:
    """Our own cost not positive at 100 pages has no power fit: ours is set against the floor."""
    from scale import growth, targets

    def size(pages: int, ours: float, floor: float) -> dict[str, object]:
        seconds = {"ours-full": ours, "paragraphs-full": floor, "plain-full": floor}
        seconds |= {
            f"{v}-{b}": 1.0 for v in ("ours", "paragraphs", "plain") for b in ("j2", "incremental")
        }
        return {"pages": pages, "build": {"seconds": seconds}}

    small, large = size(100, 30.0, 32.0), size(1000, 390.0, 380.0)
    fitted = growth(small, large)
    assert "own-full" not in fitted  # 30 - 32 < 0 at 100 pages
    verification = {"per_1000": 1.0, "seconds": 1.0, "bound": 1.0, "warm_requests": 0,
                    "wrong_identifier": {"precision": 1.0, "recall": 1.0},
                    "retracted": {"precision": 1.0, "recall": 1.0}}  # fmt: skip
    large |= {
        "verification": verification,
        "size": {"ours": {"files": 1000}, "paragraphs": {"files": 100}},
        "build": {**large["build"], "peak_rss_mib": {"ours-full": 1.0, "paragraphs-full": 1.0},
                  "ratios": {"ours/paragraphs full": 1.0, "ours/paragraphs incremental": 1.0}},
    }  # fmt: skip
    rows = targets({"large": large, "growth": fitted})
    _, measured, met = next(r for r in rows if r[0].startswith("Our per-page cost"))
    expected = (
        f"{fitted['ours-full']['exponent']:.2f} vs {fitted['paragraphs-full']['exponent']:.2f}"
    )
    assert (measured, met) == (expected, False)  # ours grows a little faster than the floor


def test_scale_own_cost_is_taken_over_the_tuned_floor_when_the_run_has_it() -> None:
    """With the tuned floor measured, our own cost is ours minus it, not minus stock paragraphs."""
    from scale import growth

    def size(pages: int, ours: float, paragraphs: float, tuned: float) -> dict[str, object]:
        seconds = {f"{v}-{b}": 1.0 for v in ("ours", "paragraphs", "tuned", "plain")
                   for b in ("j2", "incremental")}  # fmt: skip
        seconds |= {"ours-full": ours, "paragraphs-full": paragraphs, "tuned-full": tuned,
                    "plain-full": paragraphs}  # fmt: skip
        return {"pages": pages, "build": {"seconds": seconds}}

    # Ours is under stock paragraphs at 1,000 pages, but 20 s over the tuned floor there.
    fitted = growth(size(100, 7.0, 5.0, 4.0), size(1000, 270.0, 320.0, 250.0))
    assert fitted["own-full"]["exponent"] == pytest.approx(math.log(20.0 / 3.0) / math.log(10))
