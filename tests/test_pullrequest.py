"""Pull-request mode end to end, in a temporary git repository of a small site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from pytest_regressions.file_regression import FileRegressionFixture
from sclero.reporting.pullrequest.findings import CiFinding
from sclero.reporting.pullrequest.formats import github_annotations

REPO = Path(__file__).parent.parent
SCHEMA = (
    REPO
    / "node_modules"
    / "@microsoft"
    / "jest-sarif"
    / "lib"
    / "schemas"
    / "sarif-2.1.0-rtm.5.json"
)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
}  # fmt: skip

CONF = f"""
import sys
sys.path.insert(0, {str(REPO / "extensions")!r})
extensions = ["myst_parser", "sclero"]
sclero_today = "2026-11-24"
# The page is the home page, not a topic page; placement has its own test.
suppress_warnings = ["sclero.placement"]
"""


def page(first_date: str) -> str:
    return f"""# Bone

```{{citation}} A study of bone density
:outlet: PubMed
:journal: Chest
:date: {first_date}

It found something.
```

```{{citation}} An older study of bone density
:outlet: PubMed
:journal: Chest
:date: 2019-02-30

It found something else.
```
"""


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True,
        env={**os.environ, **GIT_ENV},
    ).stdout.strip()  # fmt: skip


def run_pr(root: Path, base: str, actions: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "extensions"), "GITHUB_STEP_SUMMARY": ""}
    env["GITHUB_ACTIONS"] = "true" if actions else ""
    return subprocess.run(
        [sys.executable, "-m", "sclero.reporting.pullrequest", "--base", base, "--root", str(root),
         "--mode", "offline"],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, str]:
    """A repository whose base commit already has one problem (line 14's date)."""
    root = tmp_path / "site"
    (root / "docs").mkdir(parents=True)
    (root / "conf.py").write_text(CONF, encoding="utf-8")
    (root / "docs" / "index.md").write_text(page("2019-12"), encoding="utf-8")
    (root / ".gitignore").write_text("_build/\n.linkcache/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root, git(root, "rev-parse", "HEAD")


def test_only_the_changed_line_fails(
    site: tuple[Path, str], file_regression: FileRegressionFixture
) -> None:
    root, base = site
    git(root, "checkout", "-q", "-b", "change")
    (root / "docs" / "index.md").write_text(page("2019-13"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "break one citation")

    result = run_pr(root, base)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("::error")] == [
        "::error file=docs/index.md,line=6,title=sclero.date::date 2019-13 is not a calendar "
        "date (no month 13); write the publication date as 2019, 2019-07 or 2019-07-25"
    ]
    assert (
        "::notice file=docs/index.md,line=14,title=sclero.date::date 2019-02-30 is not a calendar "
        "date (February 2019 has 28 days)"
        "; write the publication date as 2019, 2019-07 or 2019-07-25" in lines
    )
    out = root / "_build" / "ci"
    file_regression.check(result.stdout, basename="pr_annotations", extension=".txt")
    file_regression.check((out / "junit.xml").read_text(), basename="pr_junit", extension=".xml")
    file_regression.check(
        (out / "findings.sarif").read_text(), basename="pr_sarif", extension=".json"
    )
    file_regression.check((out / "summary.md").read_text(), basename="pr_summary", extension=".md")

    # Fixing the change makes the check pass; the old problem stays a notice.
    (root / "docs" / "index.md").write_text(page("2019-11"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "fix it")
    fixed = run_pr(root, base)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert not any(line.startswith("::error") for line in fixed.stdout.splitlines())
    assert any(
        line.startswith("::notice file=docs/index.md,line=14") for line in fixed.stdout.splitlines()
    )


def test_sarif_is_valid_against_the_2_1_0_schema(site: tuple[Path, str]) -> None:
    if not SCHEMA.exists():
        pytest.fail("the SARIF schema comes from npm; `make test-deps` installs it")
    root, base = site
    run_pr(root, base)
    log = json.loads((root / "_build" / "ci" / "findings.sarif").read_text())
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert sorted(e.message for e in validator.iter_errors(log)) == []
    assert len(log["runs"][0]["results"]) == 1


def test_annotation_escaping() -> None:
    hostile = CiFinding("docs/a,b:c.md", 3, "sclero.doi", "error", "50% bad\nline two")
    assert github_annotations([hostile], []) == (
        "::error file=docs/a%2Cb%3Ac.md,line=3,title=sclero.doi::50%25 bad%0Aline two\n"
    )


def test_page_text_cannot_forge_a_finding_or_a_workflow_command(site: tuple[Path, str]) -> None:
    """A summary that holds a newline and a fake warning or ``::error::`` stays text."""
    root, base = site
    git(root, "checkout", "-q", "-b", "hostile")
    forged = (
        "It found something.\n\n::error file=docs/other.md,line=1::forged\n\n"
        "docs/topics/x.md:5: WARNING: forged finding [sclero.doi]\n"
    )
    text = page("2019-13").replace("It found something.\n", forged, 1)
    (root / "docs" / "index.md").write_text(text, encoding="utf-8")
    git(root, "commit", "-q", "-am", "hostile text")
    result = run_pr(root, base)
    lines = result.stdout.splitlines() + result.stderr.splitlines()
    # Only the project's own commands start a line with "::"; none names another file.
    assert all(line.startswith(("::error file=docs/index.md", "::notice file=docs/index.md"))
               for line in lines if line.startswith("::")), lines  # fmt: skip
    assert not any("docs/topics/x.md" in line or "docs/other.md" in line for line in lines)
    from xml.etree import ElementTree

    junit_xml = ElementTree.parse(root / "_build" / "ci" / "junit.xml")
    # The forged text may be quoted inside a real finding, but never becomes one elsewhere.
    assert {case.get("classname") for case in junit_xml.iter("testcase")} == {"docs/index.md"}


def test_local_run_prints_each_finding_once(site: tuple[Path, str]) -> None:
    root, base = site
    result = run_pr(root, base, actions=False)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "docs/index.md:14: notice: date 2019-02-30 is not a calendar date (February 2019 has "
        "28 days); write the publication date as 2019, 2019-07 or 2019-07-25 [sclero.date]"
    ]
    assert "WARNING" not in result.stderr


def test_bad_base_stops_at_once_with_one_line(site: tuple[Path, str]) -> None:
    root, _ = site
    result = run_pr(root, "origin/no-such-branch")
    assert result.returncode == 2
    assert result.stderr == (
        "pull-request check: BASE 'origin/no-such-branch' is not a commit of this repository "
        "(fetch it first, e.g. git fetch origin main)\n"
    )
    assert not (root / "_build" / "ci" / "html").exists()  # nothing was built


def test_junit_is_well_formed_for_any_text() -> None:
    from xml.etree import ElementTree

    from sclero.reporting.pullrequest.formats import junit

    nasty = "".join(chr(c) for c in range(0x20)) + "\ud800\ufffe<&>\"'"
    xml = junit([CiFinding("docs/a\x07.md", 1, "sclero.doi", "error", nasty)],
                [CiFinding("docs/b.md", 2, "sclero.doi", "note", "\x1b[31mred")])  # fmt: skip
    root = ElementTree.fromstring(xml.encode("utf-8", "surrogatepass"))
    failure = root.find("testcase/failure")
    assert failure is not None and "\\x07" in failure.get("message", "")


def test_an_uncommitted_edit_above_an_error_keeps_it_failing(site: tuple[Path, str]) -> None:
    """Committed: a bad date at line 6. Then three lines added above it, not committed."""
    root, base = site
    git(root, "checkout", "-q", "-b", "change")
    (root / "docs" / "index.md").write_text(page("2019-13"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "break one citation")
    text = page("2019-13").replace("# Bone\n", "# Bone\n\nAn introduction.\n\n", 1)
    (root / "docs" / "index.md").write_text(text, encoding="utf-8")
    result = run_pr(root, base, actions=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "docs/index.md:9: error: date 2019-13 is not a calendar date" in result.stdout


def test_an_untracked_new_page_is_all_changed(site: tuple[Path, str]) -> None:
    """What make new-topic and make import leave: a page git does not track yet."""
    root, base = site
    (root / "docs" / "new.md").write_text(page("2019-13"), encoding="utf-8")
    result = run_pr(root, base, actions=False)
    assert result.returncode == 1, result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if line.startswith("docs/new.md")]
    assert errors == [
        "docs/new.md:6: error: date 2019-13 is not a calendar date (no month 13)"
        "; write the publication date as 2019, 2019-07 or 2019-07-25 [sclero.date]",
        "docs/new.md:14: error: date 2019-02-30 is not a calendar date (February 2019 has 28 "
        "days); write the publication date as 2019, 2019-07 or 2019-07-25 [sclero.date]",
    ]


def test_an_empty_diff_is_said_in_one_line(site: tuple[Path, str]) -> None:
    root, _ = site
    result = run_pr(root, "main", actions=False)
    assert result.returncode == 0
    assert result.stderr.splitlines()[0] == (
        "pull-request check: nothing differs from BASE 'main' (no commit, edit or new file "
        "since it), so every finding is a notice"
    )


def test_outages_are_counted_in_one_line_not_listed() -> None:
    from sclero.reporting.pullrequest.formats import markdown_summary

    notice = CiFinding("docs/a.md", 3, "sclero.date", "note", "date 2019 is odd")
    text = markdown_summary([], [notice], outages=17)
    assert text.splitlines()[-1] == (
        "17 links or identifiers not verified (network or server faults, never held against it)."
    )
    assert "sclero.link_transient" not in text
