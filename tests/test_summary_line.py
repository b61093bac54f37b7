"""The one line every build command ends with: what failed, and what was not verified."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import REPO, BuildPages, citation

CONF = 'sclero_linkcheck_mode = "offline"\nsuppress_warnings = []\n'
HOME = "# Home\n\n```{toctree}\n:glob:\n\ntopics/*\n```\n"


def _summary(html: Path) -> str:
    run = subprocess.run(
        [sys.executable, "-m", "sclero.reporting.summary", str(html)],
        env={"PYTHONPATH": str(REPO / "extensions")},
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout.strip()


def test_offline_no_problems_says_what_was_not_verified(build_pages: BuildPages) -> None:
    page = "# Bones\n\n" + citation(journal="Chest", date="2019", pmid="29898932")
    page += "\nSee [a page](https://example.org/a).\n"
    built = build_pages({"index": HOME, "topics/bones": page}, conf=CONF)
    # The PMID's PubMed link and the page's link; the PMID against its record.
    assert _summary(Path(built.app.outdir)) == (
        "No problems (0 notes; see citation-report.json); not verified: 2 links, 1 identifier "
        "(make check verifies them online)"
    )


def test_articles_not_searched_for_a_pmid_are_said_apart(build_pages: BuildPages) -> None:
    """A journal article without identifiers owes a search, which make suggest-ids runs."""
    page = "# Bones\n\n" + citation(journal="Chest", date="2019", volume="156", pages="1-9")
    built = build_pages({"index": HOME, "topics/bones": page}, conf=CONF)
    assert _summary(Path(built.app.outdir)) == (
        "No problems (0 notes; see citation-report.json); 1 article not searched for a PMID "
        "(make suggest-ids searches)"
    )


def test_one_problem_is_singular(build_pages: BuildPages) -> None:
    page = "# Bones\n\n" + citation(journal="Chest", date="2019-13", pmid="29898932")
    built = build_pages({"index": HOME, "topics/bones": page}, conf=CONF)
    assert _summary(Path(built.app.outdir)).startswith("1 problem; make check fails on it (")


def test_a_malformed_pmid_is_one_finding_not_also_unverified(build_pages: BuildPages) -> None:
    page = "# Bones\n\n" + citation(journal="Chest", date="2019", pmid="3142O815")
    built = build_pages({"index": HOME, "topics/bones": page}, conf=CONF)
    about = [line for line in built.warnings + built.status.splitlines() if "3142O815" in line]
    assert len(about) == 1 and "[sclero.pmid]" in about[0], about
    assert "identifier" not in _summary(Path(built.app.outdir))
