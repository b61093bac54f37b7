"""The CI files (which cannot run here): their structure, and the helpers they call."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from sclero.reporting.issue_body import issue_body

REPO = Path(__file__).parent.parent
WORKFLOWS = REPO / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key "on" as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return workflow["jobs"][job]["steps"]


def runs(workflow: dict[str, Any], job: str) -> str:
    return "\n".join(s.get("run", "") for s in steps(workflow, job))


def uses(workflow: dict[str, Any], job: str) -> list[str]:
    return [s["uses"] for s in steps(workflow, job) if "uses" in s]


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_every_action_is_pinned_and_every_job_bounded(name: str) -> None:
    """Pinned by commit with its version beside it; least privilege per job; bounded."""
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if "uses:" in line:
            assert re.search(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line
    workflow = load(name)
    assert workflow["permissions"] == {}  # nothing at workflow level: each job says its own
    for job in workflow["jobs"].values():
        assert "runs-on" in job and "permissions" in job
        assert job["timeout-minutes"] <= 60
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
            # Event data never expands inside a shell script (template injection).
            assert "${{" not in step.get("run", "")


def test_pull_request_workflow() -> None:
    wf = load("pull-request.yml")
    assert "pull_request" in wf["on"]
    assert wf["jobs"]["check"]["permissions"] == {
        "contents": "read", "security-events": "write",
    }  # fmt: skip
    check = steps(wf, "check")
    assert check[0]["with"]["fetch-depth"] == 0  # merge base reachable
    step = next(s for s in check if "make check-pr" in s.get("run", ""))
    assert step["run"] == 'make check-pr BASE="origin/${BASE_REF}"'
    assert step["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    cache = next(s for s in check if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".linkcache" and cache["with"]["restore-keys"] == "linkcache-"
    sarif = next(s for s in check if "upload-sarif" in s.get("uses", ""))
    assert sarif["with"]["sarif_file"] == "_build/ci/findings.sarif" and sarif["if"] == "always()"
    artifact = next(s for s in check if "upload-artifact" in s.get("uses", ""))
    assert "_build/ci/html" in artifact["with"]["path"]


def test_weekly_workflow_opens_one_issue() -> None:
    wf = load("weekly-linkcheck.yml")
    assert wf["on"]["schedule"][0]["cron"] == "17 5 * * 1"
    assert wf["jobs"]["linkcheck"]["permissions"] == {"contents": "read", "issues": "write"}
    script = runs(wf, "linkcheck")
    assert "make linkcheck" in script
    assert "gh issue list --label broken-links --state open" in script
    assert "gh issue edit" in script and "gh issue create" in script and "gh issue close" in script


def test_deploy_workflow() -> None:
    wf = load("deploy.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    assert [u.split("@")[0] for u in uses(wf, "deploy")] == ["actions/deploy-pages"]
    assert "actions/upload-pages-artifact" in [u.split("@")[0] for u in uses(wf, "build")]
    assert "make check-offline" in runs(wf, "build")
    assert wf["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert wf["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_read_the_docs_uses_the_readme_command() -> None:
    rtd = yaml.safe_load((REPO / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert rtd["version"] == 2
    assert rtd["build"]["tools"]["python"] == "3.11"
    assert "make html" in rtd["build"]["commands"]


def test_makefile_targets_named_in_ci_and_docs_exist() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in (
        "html",
        "test",
        "check",
        "check-offline",
        "check-pr",
        "linkcheck",
        "live",
        "new-topic",
    ):
        assert re.search(rf"^{re.escape(target)}:", makefile, re.M), target
    precommit = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [h["entry"] for r in precommit["repos"] for h in r["hooks"]]
    assert "make check-offline" in entries


def test_weekly_issue_body_lists_every_occurrence_of_broken_links_only() -> None:
    row = {"docname": "topics/a", "lineno": 3, "status": 404, "detail": "404", "new_url": ""}
    report = {
        "occurrences": [
            {**row, "url": "https://x.org/a", "outcome": "broken", "rule": "sclero.link_broken"},
            {
                **row,
                "url": "https://x.org/a",
                "outcome": "broken",
                "rule": "sclero.link_broken",
                "lineno": 9,
            },
            {**row, "url": "https://y.org/", "outcome": "blocked", "rule": "sclero.link_blocked"},
        ]
    }
    assert issue_body(report) == (
        "The weekly link check found 1 broken link(s) (2 occurrences).\n\n"
        "- https://x.org/a (broken: 404)\n"
        "  - `docs/topics/a.md:3`\n"
        "  - `docs/topics/a.md:9`\n"
    )
    assert issue_body({"occurrences": []}) == "The weekly link check found no broken links.\n"


def test_new_topic_scaffold(tmp_path: Path) -> None:
    (tmp_path / "topics").mkdir()
    command = [sys.executable, "-m", "sclero.importer.new_topic", "--docs", str(tmp_path)]
    env = {"PYTHONPATH": str(REPO / "extensions")}
    made = subprocess.run([*command, "raynaud", "Raynaud's Phenomenon"], env=env, check=False)
    assert made.returncode == 0
    text = (tmp_path / "topics" / "raynaud.md").read_text()
    assert text.startswith("---\naliases: Raynaud's Phenomenon\n---\n")
    front_matter = text.split("---\n")[1]
    assert "reviewed" not in front_matter  # a review is a clinician's to record, not a template's
    assert "# Raynaud's Phenomenon" in text and "```{citation}" in text
    again = subprocess.run(
        [*command, "raynaud", "X"], env=env, capture_output=True, text=True, check=False
    )
    assert again.returncode == 2 and "exists already" in again.stderr
    bad = subprocess.run(
        [*command, "Bad Slug", "X"], env=env, capture_output=True, text=True, check=False
    )
    assert bad.returncode == 2 and "lower-case words joined by hyphens" in bad.stderr


# Inputs an editor (or anyone who can run the workflow) might type: a quote, a command
# substitution, a line break followed by a workflow command.
HOSTILE_INPUTS = {
    "ids": '29898932"; touch /tmp/pwned; echo "',
    "page": "docs/topics/$(touch /tmp/pwned).md",
    "section": "Bone Density\n::error::forged",
    "summary": "It's `whoami` and $(id) and ${HOME}.",
}


def test_add_citation_inputs_reach_the_command_as_plain_text(tmp_path: Path) -> None:
    """Each step's script, run by bash as the runner runs it, with make, git and gh stubbed."""
    started = time.time()
    workflow = load("add-citation.yml")
    scripts = [s for s in steps(workflow, "cite") if "run" in s]
    assert [s["name"] for s in scripts] == [
        "Write the entry from its record",
        "Check the change as the pull-request check does",
        "Open the pull request",
    ]
    stubs = tmp_path / "bin"
    stubs.mkdir()
    record = tmp_path / "calls.jsonl"
    for tool in ("make", "git", "gh"):
        stub = stubs / tool
        stub.write_text(
            "#!/usr/bin/env python3\nimport json, os, sys\n"
            f"with open({str(record)!r}, 'a') as f:\n"
            "    f.write(json.dumps({'argv': sys.argv[1:], 'env': {k: os.environ.get(k) for k in "
            "('ID', 'PAGE', 'SECTION', 'SUMMARY')}}) + '\\n')\n",
            encoding="utf-8",
        )
        stub.chmod(0o755)
    inputs = {f"inputs.{k}": v for k, v in HOSTILE_INPUTS.items()}
    for step in scripts:
        assert "${{" not in step["run"]  # no expression is ever pasted into a script
        env = {"PATH": f"{stubs}:/usr/bin:/bin", "GITHUB_RUN_ID": "7", "GITHUB_REPOSITORY": "a/b"}
        env["RUNNER_TEMP"] = str(tmp_path)
        for name, value in step.get("env", {}).items():
            expression = value.removeprefix("${{ ").removesuffix(" }}")
            env[name] = inputs.get(expression, "token")  # the runner sets env values verbatim
        subprocess.run(["bash", "-e", "-c", step["run"]], env=env, check=True, cwd=tmp_path)
    calls = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    assert calls[0] == {
        "argv": ["cite"],
        "env": {k.upper() if k != "ids" else "ID": v for k, v in HOSTILE_INPUTS.items()},
    }
    assert ["add", "--", HOSTILE_INPUTS["page"]] in [c["argv"] for c in calls]
    assert ["commit", "-m", f"Add a citation: {HOSTILE_INPUTS['ids']}"] in [
        c["argv"] for c in calls
    ]
    assert not Path("/tmp/pwned").exists() or Path("/tmp/pwned").stat().st_mtime < started


def test_no_editor_variable_can_replace_a_make_command() -> None:
    """make's command-line variables override the Makefile's: none may be a command."""
    hostile = "x; touch /tmp/pwned-make"
    variables = ["ID", "PAGE", "SECTION", "SUMMARY", "FORCE", "SRC", "SLUG", "TITLE",
                 "LEGACY_URL", "BASE"]  # fmt: skip
    for target in ("cite", "cite-fill", "import", "new-topic", "check-pr", "html", "check"):
        dry = subprocess.run(
            ["make", "-n", target, *(f"{v}={hostile}" for v in variables)],
            cwd=REPO, capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert "touch /tmp/pwned-make" not in dry.stdout, (target, dry.stdout)


@pytest.mark.parametrize("target", ["html", "check", "check-offline"])
def test_every_build_command_ends_with_the_summary_line(target: str) -> None:
    # --no-print-directory: under `make test` this make is nested and would say so.
    dry = subprocess.run(["make", "-n", "--no-print-directory", target], cwd=REPO,
                         capture_output=True, text=True, check=True)  # fmt: skip
    assert "-m sclero.reporting.summary _build/html" in dry.stdout.splitlines()[-1]
