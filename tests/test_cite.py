"""``make cite``: a citation written from its record, against local E-utilities and Crossref.

The command runs as an editor runs it (its own process, reading the project's conf.py), and
the project is then built as ``make html`` builds it, from the same store.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sclero.editor.fill import FILLED, fill_entry
from sclero.editor.page_text import entries
from sclero.model.identifier_input import IdentifierInputError, parse_identifier
from sclero.model.targets import Target, TargetKind

from .conftest import BASE_CONF, REPO
from .linkserver import HOSTS, Log, serve

NOW = 1_795_000_000.0
PAGE = "docs/topics/bones.md"
BONES = "# Bones\n\n## Bone Density\n\nText.\n\n## Fractures\n\nMore text.\n"
CELIAC_TITLE = (
    "Management of bone health in patients with celiac disease: Practical guide for clinicians"
)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[int, Log]]:
    with serve() as running:
        yield running


def _project(tmp_path: Path, port: int, eutils: str = "", page: str = BONES) -> Path:
    base = f"http://127.0.0.1:{port}/"
    values = {
        "sclero_linkcheck_allowed_hosts": list(HOSTS),
        "sclero_linkcheck_profiles": {h: (50, 4) for h in HOSTS},
        "sclero_linkcheck_cache": str(tmp_path / "store.sqlite3"),
        "sclero_linkcheck_timeout": 2.0,
        "sclero_linkcheck_now": NOW,
        "sclero_eutils": eutils or base,
        "sclero_crossref": base,
        "sclero_doi_api": base + "api/handles/",
    }
    project = tmp_path / "project"
    (project / "docs" / "topics").mkdir(parents=True)
    conf = BASE_CONF + "\n".join(f"{k} = {v!r}" for k, v in values.items()) + "\n"
    (project / "conf.py").write_text(conf, encoding="utf-8")
    (project / "docs" / "conf.py").write_text("", encoding="utf-8")
    index = "# Home\n\n```{toctree}\n:glob:\n\ntopics/*\n```\n"
    (project / "docs" / "index.md").write_text(index, encoding="utf-8")
    (project / PAGE).write_text(page, encoding="utf-8")
    return project


def _cite(project: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(REPO / "extensions"),
        "NO_COLOR": "1",
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-m", "sclero.editor.cite"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _esummary_requests(log: Log) -> list[str]:
    return [p for p in log.paths() if "esummary.fcgi" in p]


def test_an_entry_is_written_from_its_record_and_the_next_build_asks_nothing(
    server: tuple[int, Log], tmp_path: Path
) -> None:
    port, log = server
    project = _project(tmp_path, port)
    run = _cite(project, ID="29898932", PAGE=PAGE, SECTION="Bone Density")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        f"wrote 1 entry to {PAGE} under 'Bone Density'; write its summary (SUMMARY=…)"
    ]
    text = (project / PAGE).read_text(encoding="utf-8")
    assert text == (
        "# Bones\n\n## Bone Density\n\nText.\n\n"
        f"```{{citation}} {CELIAC_TITLE}\n"
        ":authors: Duerksen D, Pinto-Sanchez MI, Anca A\n:outlet: PubMed\n"
        ":journal: Can Fam Physician\n:date: 2018-06\n:volume: 64\n"
        ":issue: 6\n:pages: 433-438\n:pmid: 29898932\n:pmcid: PMC5999247\n\n\n```\n\n"
        "## Fractures\n\nMore text.\n"
    )
    # The build reads the records make cite stored: no request, and the entry verifies; its
    # only finding is the summary the editor has still to write.
    before = len(log.paths())
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-c", ".", "docs", "_build/html"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(REPO / "extensions"), "SCLERO_LINKCHECK": "budget"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert len(log.paths()) == before, log.paths()[before:]
    report = json.loads((project / "_build/html/citation-report.json").read_text())
    # The entry's findings (the page's own note, that it cites no review yet, is the page's).
    assert [(f["file"], f["rule"], f["message"]) for f in report["findings"] if f["citation"]] == [
        (PAGE, "sclero.summary", "summary is empty; write one sentence on what the study found")
    ], build.stderr
    html = (project / "_build/html/topics/bones.html").read_text(encoding="utf-8")
    assert "Verified against PubMed" in html


def test_a_doi_alone_fills_from_crossref(server: tuple[int, Log], tmp_path: Path) -> None:
    port, _ = server
    project = _project(tmp_path, port)
    run = _cite(project, ID="https://doi.org/10.1371/journal.pone.0033693", SUMMARY="It found.")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("```{citation} Methylphenidate Exposure Induces Dopamine Neuron")
    # Crossref's short title is "PLoS ONE"; the NLM catalogue's abbreviation is written.
    assert ":journal: PLoS One\n:date: 2012-03-21\n:volume: 7\n:issue: 3\n" in run.stdout
    assert ":doi: 10.1371/journal.pone.0033693\n\nIt found.\n```" in run.stdout
    assert ":outlet:" not in run.stdout  # not from PubMed: no outlet is claimed


def test_three_pmids_cost_one_esummary_request(server: tuple[int, Log], tmp_path: Path) -> None:
    port, log = server
    project = _project(tmp_path, port)
    before = len(_esummary_requests(log))
    run = _cite(project, ID="29898932, PMID:9500320, 59898931", FORCE="1")
    asked = _esummary_requests(log)[before:]
    pubmed = [p for p in asked if "db=pubmed" in p]
    assert len(pubmed) == 1 and "id=29898932%2C9500320%2C59898931" in pubmed[0]
    # The PMCID the records list, verified once for all (the entries will give it).
    assert [p for p in asked if "db=pmc" in p] == [
        "/esummary.fcgi?db=pmc&retmode=json&id=5999247&tool=sclero-topics"
    ]
    assert run.returncode == 1  # the third names the same paper as the first (its PMC record)


def test_a_retracted_paper_is_refused_unless_forced(
    server: tuple[int, Log], tmp_path: Path
) -> None:
    port, _ = server
    project = _project(tmp_path, port)
    refused = _cite(project, ID="9500320", PAGE=PAGE)
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[0].startswith(
        "refused: PMID 9500320: PubMed marks 9500320 as retracted; Retracted: Retraction in "
        "(https://pubmed.ncbi.nlm.nih.gov/20137807/), from PubMed"
    )
    assert (project / PAGE).read_text(encoding="utf-8") == BONES
    forced = _cite(project, ID="9500320", PAGE=PAGE, FORCE="1")
    assert forced.returncode == 0, forced.stderr
    assert "(written with FORCE=1)" in forced.stdout
    assert ":pmid: 9500320" in (project / PAGE).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        ("12345", "refused: PMID 12345 names nothing: no such record in PubMed"),
        (
            "29898932+9500320",
            "refused: PMID 29898932 and PMID 9500320 name different papers: "
            f"'{CELIAC_TITLE}.' (PubMed) and 'Ileal-lymphoid-nodular hyperplasia, non-specific "
            "colitis, and pervasive developmental disorder in children.' (PubMed)",
        ),
        ("29898932", "refused: PMID 29898932 is already cited at docs/topics/bones.md:{line}"),
        (
            "PMC5999247",
            "refused: PMCID PMC5999247 is PMID 29898932, already cited at "
            "docs/topics/bones.md:{line}",
        ),
    ],
)
def test_refusals_say_why(server: tuple[int, Log], tmp_path: Path, ids: str, message: str) -> None:
    port, _ = server
    cited = "```{citation} A study\n:journal: Chest\n:date: 2019\n:pmid: 29898932\n\nX.\n```\n"
    page = f"{BONES}\n{cited}"
    project = _project(tmp_path, port, page=page)
    line = page.split("\n").index(":pmid: 29898932") + 1
    run = _cite(project, ID=ids, PAGE=PAGE)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [message.format(line=line)]
    assert (project / PAGE).read_text(encoding="utf-8") == page


def test_offline_nothing_is_written(server: tuple[int, Log], tmp_path: Path) -> None:
    port, _ = server
    project = _project(tmp_path, port, eutils="http://registry.invalid/")
    run = _cite(project, ID="29898932", PAGE=PAGE)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        "the registries could not be reached (PMID 29898932: E-utilities: DNS: Name or service "
        "not known); nothing was written: try again online"
    ]
    assert (project / PAGE).read_text(encoding="utf-8") == BONES


def test_an_id_that_is_no_identifier_is_a_usage_error(tmp_path: Path) -> None:
    run = _cite(tmp_path, ID="3142O815")
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        "ID: '3142O815' is not a PMID (digits), a PMCID (PMC and digits) or a DOI (10.…/…)"
    ]


@pytest.mark.parametrize(
    ("given", "kind", "value"),
    [
        ("29898932", TargetKind.pmid, "29898932"),
        ("PMID: 29898932", TargetKind.pmid, "29898932"),
        ("pmid:29898932", TargetKind.pmid, "29898932"),
        ("https://pubmed.ncbi.nlm.nih.gov/29898932/", TargetKind.pmid, "29898932"),
        ("https://www.ncbi.nlm.nih.gov/pubmed/29898932", TargetKind.pmid, "29898932"),
        ("PMC5999247", TargetKind.pmcid, "PMC5999247"),
        ("pmc5999247", TargetKind.pmcid, "PMC5999247"),
        ("PMCID: PMC5999247", TargetKind.pmcid, "PMC5999247"),
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC5999247/", TargetKind.pmcid, "PMC5999247"),
        ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC5999247/", TargetKind.pmcid, "PMC5999247"),
        ("doi:10.1503/X.Y", TargetKind.doi, "10.1503/x.y"),
        ("DOI 10.1016/s0140-6736(97)11096-0", TargetKind.doi, "10.1016/s0140-6736(97)11096-0"),
        ("10.1016/s0140-6736(97)11096-0", TargetKind.doi, "10.1016/s0140-6736(97)11096-0"),
        (
            "https://doi.org/10.1016/S0140-6736(97)11096-0",
            TargetKind.doi,
            "10.1016/s0140-6736(97)11096-0",
        ),
        (
            "https://dx.doi.org/10.1371/journal.pone.0033693",
            TargetKind.doi,
            "10.1371/journal.pone.0033693",
        ),
    ],
)
def test_every_common_spelling_of_an_identifier(given: str, kind: TargetKind, value: str) -> None:
    assert parse_identifier(given) == Target(kind, value)


@pytest.mark.parametrize(
    "given", ["3142O815", "PMID: PMC5999247", "doi:abc", "https://example.org/1", "0", ""]
)
def test_what_names_no_identifier_is_refused_not_corrected(given: str) -> None:
    with pytest.raises(IdentifierInputError):
        parse_identifier(given)


@pytest.mark.parametrize("page", [".github/workflows/x.yml", "docs/../conf.py", "/etc/passwd"])
def test_only_a_page_under_docs_is_written(tmp_path: Path, page: str) -> None:
    run = _cite(tmp_path, ID="29898932", PAGE=page)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [f"PAGE: {page!r} is not a page under docs/ (a .md file)"]


# -- make cite-fill ----------------------------------------------------------------------------


def _fill(project: Path, page: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sclero.editor.fill"],
        cwd=project,
        env={
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(REPO / "extensions"),
            "PAGE": page,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cite_fill_fills_only_empty_fields_and_shows_them(
    server: tuple[int, Log], tmp_path: Path
) -> None:
    port, _ = server
    entry = (
        f"```{{citation}} {CELIAC_TITLE}\n:journal: Can Fam Physician\n:date: 2019\n"
        ":volume:\n:pmid: 29898932\n\nPatients need calcium and vitamin D.\n```\n"
    )
    other = "```{citation} Another paper\n:journal: Chest\n:pmid: 9500320\n\nText.\n```\n"
    project = _project(tmp_path, port, page=f"{BONES}\n{entry}\n{other}")
    run = _fill(project, PAGE)
    assert run.returncode == 0, run.stderr
    added = [line for line in run.stdout.splitlines() if line.startswith(("+:", "-:"))]
    # The empty volume and the missing issue, pages and PMCID come from the record; the date
    # a person wrote (2019, not the record's 2018-06) stays; the other entry's record is of
    # another paper (its title does not match), so nothing is filled there.
    assert added == ["-:volume:", "+:volume: 64", "+:issue: 6", "+:pages: 433-438",
                     "+:pmcid: PMC5999247"]  # fmt: skip
    text = (project / PAGE).read_text(encoding="utf-8")
    assert ":date: 2019\n:volume: 64\n:pmid: 29898932\n:issue: 6\n" in text
    assert other in text


_OPTION_NAMES = ("journal", "date", "volume", "issue", "pages", "pmid", "pmcid", "doi", "url")
_VALUE = st.text(alphabet="abcXYZ0123-./ ", max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    written=st.dictionaries(st.sampled_from(_OPTION_NAMES), _VALUE, max_size=9),
    record=st.dictionaries(st.sampled_from(FILLED), _VALUE, max_size=8),
)
def test_cite_fill_never_changes_a_field_a_person_wrote(
    written: dict[str, str], record: dict[str, str]
) -> None:
    options = "".join(f":{k}: {v}".rstrip() + "\n" for k, v in written.items())
    lines = f"# P\n\n```{{citation}} A title\n{options}\nSummary.\n```\n".split("\n")
    [entry] = entries(lines)
    filled = fill_entry(lines, entry, record)
    for index, _name, value in entry.options:
        if value:
            assert lines[index] in filled  # every line a person wrote is still there
    after = {name: value for _, name, value in entries(filled)[0].options}
    for name, value in written.items():
        if value.strip():
            assert after[name] == value.strip()
        elif " ".join(record.get(name, "").split()):
            assert after[name] == " ".join(record[name].split())
    assert filled[-3:] == ["Summary.", "```", ""]  # the summary and the fence untouched


def test_an_expression_of_concern_is_refused_unless_forced(
    server: tuple[int, Log], tmp_path: Path
) -> None:
    port, _ = server
    project = _project(tmp_path, port)
    refused = _cite(project, ID="59898932", PAGE=PAGE)
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "refused: PMID 59898932: Expression of concern: Expression of concern in "
        "(https://pubmed.ncbi.nlm.nih.gov/59898941/), from PubMed; not written (FORCE=1 writes "
        "it, and the page shows the notice)"
    ]
    assert (project / PAGE).read_text(encoding="utf-8") == BONES
