"""An incremental build reads only what changed, and reports exactly what a full build would."""

from __future__ import annotations

import gc
import json
import pickle
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sclero.checks.across import WorkKey, first_per_place, shared_keys, update_conflicts
from sclero.content import collector
from sclero.model.kinds import Kind
from sclero.model.packed import Packed
from sclero.model.records import Citation

from .conftest import BuildPages, citation
from .linkserver import Log
from .test_rules import fields, page
from .test_verify import celiac, registries, server, topic  # noqa: F401  (its server fixture)

UNPICKLED: list[str] = []


@dataclass(frozen=True)
class Counted:
    """A record that notes each time it is unpickled."""

    name: str

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return _counted, (self.name,)


def _counted(name: str) -> Counted:
    UNPICKLED.append(name)
    return Counted(name)


def test_packed_records_are_unpickled_only_when_read() -> None:
    page_records = Packed([Counted("a"), Counted("b")])
    stored = pickle.dumps({"topics/x": page_records})
    UNPICKLED.clear()
    loaded = pickle.loads(stored)["topics/x"]
    # Loaded, counted and pickled again without making a single record.
    assert len(loaded) == 2
    assert pickle.dumps({"topics/x": loaded}) == stored
    assert UNPICKLED == []
    assert [r.name for r in loaded] == ["a", "b"]
    assert UNPICKLED == ["a", "b"]
    # A record added is pickled with the others.
    loaded.append(Counted("c"))
    assert [r.name for r in pickle.loads(pickle.dumps(loaded))] == ["a", "b", "c"]
    assert loaded == pickle.loads(pickle.dumps(loaded)) != Packed([Counted("a")])


def test_packed_records_of_a_changed_shape_are_refused_while_loading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Sphinx starts a fresh environment when it cannot load the old one; a page's records
    that no longer fit their class must fail then, not when the page is first read."""
    stored = pickle.dumps(Packed([Counted("a")]))
    assert [r.name for r in pickle.loads(stored)] == ["a"]

    @dataclass(frozen=True)
    class Reshaped:
        name: str
        added: int

    monkeypatch.setattr(sys.modules[__name__], "Counted", Reshaped)
    with pytest.raises(pickle.UnpicklingError, match="changed shape"):
        pickle.loads(stored)


def _entry(docname: str, line: int, rng: random.Random) -> Citation:
    """An entry naming one of a few works, with facts that sometimes disagree."""
    work = rng.randrange(6)
    named = [("pmid", str(100 + work)), ("doi", f"10.1/w{work}")]
    chosen = rng.sample(named, rng.randrange(1, 3))
    facts = [("journal", rng.choice(["BMJ", "Lancet"])), ("date", rng.choice(["2019", "2020"]))]
    return Citation(docname, line, f"e{line}", Kind.article, rng.choice(["A", "B"]), "s",
                    tuple(facts + chosen))  # fmt: skip


def _full(pages: dict[str, list[Citation]]) -> list[Any]:
    """Every work compared, as a first build compares them."""
    keys = {d: tuple(sorted({k for c in p for k in shared_keys(c)})) for d, p in pages.items()}
    kept: dict[WorkKey, list[Any]] = {}
    update_conflicts(kept, {k for ks in keys.values() for k in ks}, keys, pages)
    return [(f.docname, f.lineno, f.message) for f in first_per_place(kept)]


def test_conflicts_compared_again_only_for_changed_works_match_a_full_comparison() -> None:
    """Pages edited, added and removed in turn: comparing only the works of the pages that
    changed gives, after each step, what comparing every work gives."""
    rng = random.Random(5)
    pages = {f"p{n}": [_entry(f"p{n}", 3 + 10 * i, rng) for i in range(3)] for n in range(8)}
    keys = {d: tuple(sorted({k for c in p for k in shared_keys(c)})) for d, p in pages.items()}
    kept: dict[WorkKey, list[Any]] = {}
    update_conflicts(kept, {k for ks in keys.values() for k in ks}, keys, pages)
    compared = 0
    for step in range(60):
        docname = f"p{rng.randrange(10)}"
        changed = set(keys.pop(docname, ()))  # what the page cited before (clear_doc)
        pages.pop(docname, None)
        if step % 7:  # re-read (or added); else removed
            pages[docname] = [_entry(docname, 3 + 10 * i + step, rng) for i in range(3)]
            keys[docname] = tuple(sorted({k for c in pages[docname] for k in shared_keys(c)}))
            changed |= set(keys[docname])
        update_conflicts(kept, changed, keys, pages)
        incremental = [(f.docname, f.lineno, f.message) for f in first_per_place(kept)]
        assert incremental == _full(pages), step
        compared += bool(incremental)
    assert compared > 30  # the walk met conflicts, not only agreement


def _report(outdir: Path) -> dict[str, Any]:
    """The citation report without file paths (the full build's copy lives elsewhere)."""
    data = json.loads((outdir / "citation-report.json").read_text(encoding="utf-8"))
    for finding in data["findings"]:
        del finding["file"]
    return data  # type: ignore[no-any-return]


def test_incremental_report_is_the_full_report(build_pages: BuildPages, tmp_path: Path) -> None:
    """Conflicts, counts, waivers and evidence after each edit, as a fresh build makes them."""
    src = tmp_path / "site"
    toctree = "\n```{toctree}\ntopics/a\ntopics/b\ntopics/c\n```\n"
    waived = citation(
        "A third study", **fields(doi="10.1/third", date="2019-02-30", waive="date: as printed")
    )
    other = citation("Another study", **fields(doi="10.1/another"))
    pages = {
        "index": "# Home\n" + toctree,
        "topics/a": page(citation(**fields())),
        "topics/b": page(citation(**fields(date="2019-06"))),  # conflicts with a's date
        "topics/c": page(other, waived),
    }
    conf = 'suppress_warnings = ["sclero.link_unchecked", "sclero.unverified"]\n'
    edits = [
        {},  # nothing changed
        {"topics/c": page(other)},  # an unrelated page, its waiver gone
        # Lines shift: b's conflict is reported at its new lines, and a's names them.
        {"topics/b": "# Page\n\nNew paragraph.\n\n" + citation(**fields(date="2019-06"))},
        {"topics/a": page(citation(**fields(journal="Chest (Lancet)")))},
        {"topics/b": page(citation(**fields()), citation(**fields(doi="10.1/another")))},
    ]
    built = build_pages(pages, conf=conf, srcdir=src)
    seen = [sorted(built.warnings)]
    for n, edit in enumerate(edits):
        again = build_pages(edit, conf=conf, srcdir=src)
        fresh = tmp_path / f"fresh{n}"
        shutil.copytree(src, fresh, ignore=shutil.ignore_patterns("_build"))
        full = build_pages({}, conf=conf, srcdir=fresh)
        assert _report(Path(again.app.outdir)) == _report(Path(full.app.outdir)), n
        assert again.warnings == [w.replace(f"fresh{n}", "site") for w in full.warnings], n
        seen.append(sorted(again.warnings))
    # The walk changed what is reported: conflicts came and went with the edits.
    conflicts = [sum("[sclero.conflict]" in w for w in step) for step in seen]
    assert conflicts == [2, 2, 2, 2, 4, 4], conflicts
    assert "also cited in topics/b (line 5)" in "".join(seen[3])


def test_read_doctrees_are_not_all_held_until_writing(
    build_pages: BuildPages, tmp_path: Path, make_app: Any
) -> None:
    """Sphinx's in-memory doctrees hold one page at a time, and the pages still come out."""
    src = tmp_path / "site"
    topics = [f"topics/t{n}" for n in range(4)]
    toctree = "\n```{toctree}\n" + "\n".join(topics) + "\n```\n"
    pages = {"index": "# Home\n" + toctree} | {
        t: page(citation(f"Study {t}", **fields(doi=f"10.1/{t[-2:]}"))) for t in topics
    }
    build_pages(pages, srcdir=src)
    app = make_app("html", srcdir=src, freshenv=True)
    held: list[int] = []
    app.connect("env-updated", lambda app, env: held.append(len(env._write_doc_doctree_cache)))
    try:
        app.build()
    finally:
        app.cleanup()
    assert held == [1]  # the last page read; without the release, all five
    for docname in topics:
        html = (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")
        assert f"Study {docname}" in html


def test_a_page_not_read_again_is_written_again_when_its_verification_changes(
    build_pages: BuildPages,
    server: tuple[int, Log],  # noqa: F811
    tmp_path: Path,
) -> None:
    """The environment keeps a digest of what each page says of its entries' records."""
    port, _ = server
    src, pages = tmp_path / "src", topic("celiac", celiac())
    offline = build_pages(pages, conf=registries(port, tmp_path, mode="offline"), srcdir=src)
    assert "Identifier not yet verified" in offline.html("topics/celiac")
    checked = build_pages({}, conf=registries(port, tmp_path), srcdir=src)
    assert "0 added, 0 changed, 0 removed" in checked.status  # the page is not read again
    assert "Verified against PubMed" in checked.html("topics/celiac")
    assert "] topics/celiac" in checked.status  # "writing output... [100%] topics/celiac"
    again = build_pages({}, conf=registries(port, tmp_path), srcdir=src)
    assert "0 added, 0 changed, 0 removed" in again.status
    assert "] topics/celiac" not in again.status  # the same verification: not written again
    assert "Verified against PubMed" in again.html("topics/celiac")


def test_the_collector_is_kept_off_what_the_build_keeps(
    build_pages: BuildPages, tmp_path: Path, make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Frozen: what an incremental build loaded, what survives every few pages read, and
    what survives reading; thawed when the next build starts."""
    monkeypatch.setattr(collector, "PAGES_PER_COLLECTION", 2)
    src = tmp_path / "site"
    topics = [f"topics/t{n}" for n in range(4)]
    pages = {"index": "# Home\n\n```{toctree}\n:glob:\n\ntopics/*\n```\n"} | {
        t: page(citation(f"Study {t}", **fields(doi=f"10.1/{t[-2:]}"))) for t in topics
    }
    seen: list[tuple[str, int]] = []

    def build(**options: Any) -> None:
        app = make_app("html", srcdir=src, **options)
        app.connect(
            "env-before-read-docs",
            lambda *_: seen.append(("start", gc.get_freeze_count())),
            priority=900,
        )
        app.connect("doctree-read", lambda *_: seen.append(("page", gc.get_freeze_count())))
        app.connect("build-finished", lambda *_: seen.append(("end", gc.get_freeze_count())))
        try:
            app.build()
        finally:
            app.cleanup()

    build_pages(pages, srcdir=src)
    try:
        build(freshenv=True)
        full, seen[:] = list(seen), []
        (src / "topics" / "t0.md").write_text(pages["topics/t0"] + "\nEdit.\n", encoding="utf-8")
        build()
        incremental, seen[:] = list(seen), []
    finally:
        gc.unfreeze()
    # A full build: nothing loaded to freeze (an earlier build's objects thawed); then as
    # every second page is about to be read, what survives is frozen; and once reading is done.
    assert full[0] == ("start", 0)
    counts = [n for _, n in full[1:-1]]
    # (Frozen objects freed by their reference count leave the count too.)
    assert len(counts) == 5 and counts[0] == 0 < counts[1] and counts[2] < counts[3]
    assert full[-1][1] > counts[-1]
    # One page of five read again: what was loaded is frozen before it is read.
    assert incremental[0][0] == "start" and incremental[0][1] > 0


def test_a_page_that_can_no_longer_be_read_is_forgotten(
    build_pages: BuildPages, tmp_path: Path
) -> None:
    """Left out of the site, its citations no longer count, as in a full build."""
    src = tmp_path / "site"
    toctree = "\n```{toctree}\ntopics/a\ntopics/b\n```\n"
    pages = {
        "index": "# Home\n" + toctree,
        "topics/a": page(citation(**fields())),
        "topics/b": page(
            citation(**fields(date="2019-06")), citation("Other", **fields(doi="10.1/o"))
        ),
    }
    first = build_pages(pages, srcdir=src)
    assert _report(Path(first.app.outdir))["counts"]["citations"] == 3
    (src / "topics" / "b.md").write_bytes(b"# B\n\n\xff\n")
    again = build_pages({}, srcdir=src)
    report = _report(Path(again.app.outdir))
    assert report["counts"]["citations"] == 1
    assert [f["rule"] for f in report["findings"]] == ["sclero.encoding"]
