"""The topic role, also-see links, backlinks (also after incremental builds), and -j 2 == serial."""

from __future__ import annotations

import re
from collections.abc import Set
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sclero.content.domain import ScleroDomain

from .conftest import BuildPages, citation

INDEX = "# Home\n\n```{toctree}\n:glob:\n\ntopics/*\n```\n"


def topic(title: str, body: str = "", aliases: str = "") -> str:
    front = f"---\naliases: {aliases}\n---\n\n" if aliases else ""
    return f"{front}# {title}\n\n{body}\n"


def site(**bodies: str) -> dict[str, str]:
    """A home page and topics a, b, c (bodies given by name)."""
    return {
        "index": INDEX,
        "topics/a": topic("Alpha Topic", bodies.get("a", "")),
        "topics/b": topic("Bone Topic", bodies.get("b", ""), aliases="Bone Density, BMD"),
        "topics/c": topic("Celiac Topic", bodies.get("c", "")),
    }


def links(html: str, selector: str) -> list[tuple[str, str]]:
    soup = BeautifulSoup(html, "html.parser")
    return [(a.get_text(), a["href"]) for a in soup.select(selector)]


def backlinks(built_html: str) -> list[tuple[str, str]]:
    return links(built_html, ".sclero-backlinks a")


def test_role_links_by_slug_alias_and_explicit_text(build_pages: BuildPages) -> None:
    body = "See {topic}`b`, {topic}`bone density`, and {topic}`the gut <c>`."
    built = build_pages(site(a=body))
    assert built.warnings == []
    refs = links(built.html("topics/a"), "a.sclero-topic")
    assert refs == [("Bone Topic", "b.html"), ("Bone Topic", "b.html"), ("the gut", "c.html")]


def test_unknown_topic_suggests_closest(build_pages: BuildPages) -> None:
    built = build_pages(site(a="See {topic}`bone-topik` and {topic}`zzzz`."))
    assert built.warnings == [
        "topics/a.md:3: WARNING: unknown topic 'bone-topik'; did you mean 'b'? "
        "[sclero.topic_unknown]",
        "topics/a.md:3: WARNING: unknown topic 'zzzz' [sclero.topic_unknown]",
    ]
    assert "bone-topik" in built.html("topics/a")  # the text stays, unlinked


def test_also_see_links_to_topics(build_pages: BuildPages) -> None:
    built = build_pages(site(a=citation(journal="Chest", date="2019", also_see="b, c")))
    assert built.warnings == []
    assert links(built.html("topics/a"), ".sclero-citation-also-see a.sclero-topic") == [
        ("Bone Topic", "b.html"),
        ("Celiac Topic", "c.html"),
    ]


def test_backlinks_list_referring_pages_once(build_pages: BuildPages) -> None:
    built = build_pages(site(a="{topic}`b` {topic}`b`", c="{topic}`BMD`"))
    assert backlinks(built.html("topics/b")) == [
        ("Alpha Topic", "a.html"),
        ("Celiac Topic", "c.html"),
    ]
    assert backlinks(built.html("topics/a")) == []
    assert "Referenced from" not in built.html("topics/a")


def test_backlinks_follow_an_edit_of_another_page(build_pages: BuildPages, tmp_path: Path) -> None:
    """Editing a re-reads only a, yet b loses and c gains a's backlink."""
    src = tmp_path / "site"
    first = build_pages(site(a="{topic}`b`"), srcdir=src)
    assert backlinks(first.html("topics/b")) == [("Alpha Topic", "a.html")]
    second = build_pages({"topics/a": topic("Alpha Topic", "{topic}`c`")}, srcdir=src)
    assert "0 added, 1 changed, 0 removed" in second.status
    assert backlinks(second.html("topics/b")) == []
    assert backlinks(second.html("topics/c")) == [("Alpha Topic", "a.html")]


def test_backlinks_follow_a_retitled_page(build_pages: BuildPages, tmp_path: Path) -> None:
    src = tmp_path / "site"
    build_pages(site(a="{topic}`b`"), srcdir=src)
    again = build_pages({"topics/a": topic("Renamed Alpha", "{topic}`b`")}, srcdir=src)
    assert backlinks(again.html("topics/b")) == [("Renamed Alpha", "a.html")]


def _many_pages() -> dict[str, str]:
    pages = {"index": INDEX}
    for i in range(24):
        body = f"{{topic}}`t{(i + 1) % 24}` and {{topic}}`t{(i + 7) % 24}`\n\n" + citation(
            f"Study number {i} of bone", journal="Chest", date="2019", pmid=str(1000 + i)
        )
        pages[f"topics/t{i}"] = topic(f"Topic {i}", body)
    return pages


def _articles(outdir: Path) -> dict[str, str]:
    out = {}
    for path in sorted(outdir.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        body = soup.find(attrs={"role": "main"}) or soup.body
        out[str(path.relative_to(outdir))] = re.sub(r"\s+", " ", str(body))
    return out


def _count_merges(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count merge_domaindata calls: they happen only when reading really ran in parallel."""
    calls: list[int] = []
    original = ScleroDomain.merge_domaindata

    def spy(self: ScleroDomain, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        calls.append(len(docnames))
        original(self, docnames, otherdata)

    monkeypatch.setattr(ScleroDomain, "merge_domaindata", spy)
    return calls


def test_parallel_build_equals_serial(
    build_pages: BuildPages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = build_pages(_many_pages(), srcdir=tmp_path / "serial")
    merges = _count_merges(monkeypatch)
    parallel = build_pages(_many_pages(), srcdir=tmp_path / "parallel", parallel=2)
    assert len(merges) >= 2  # the read really was split between processes
    assert serial.warnings == parallel.warnings == []
    serial_pages = _articles(Path(serial.app.outdir))
    parallel_pages = _articles(Path(parallel.app.outdir))
    assert serial_pages == parallel_pages
    assert backlinks(serial.html("topics/t1")) == [("Topic 0", "t0.html"), ("Topic 18", "t18.html")]


def test_parallel_incremental_keeps_other_pages_data(
    build_pages: BuildPages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A -j 2 rebuild of one page must not drop what the domain knew of the others."""
    src = tmp_path / "site"
    pages = _many_pages()
    merges = _count_merges(monkeypatch)
    build_pages(pages, srcdir=src, parallel=2)
    assert len(merges) >= 2
    pages["topics/t3"] = pages["topics/t3"].replace("`t4`", "`t5`")
    again = build_pages({"topics/t3": pages["topics/t3"]}, srcdir=src, parallel=2)
    assert again.warnings == []
    fresh = build_pages(pages, srcdir=tmp_path / "fresh")
    assert _articles(Path(again.app.outdir)) == _articles(Path(fresh.app.outdir))


def test_a_topic_without_a_card_on_the_home_page_is_reported(build_pages: BuildPages) -> None:
    home = (
        "# Home\n\n::::{grid} 2\n\n:::{grid-item-card} Bones\n:link: topics/bones\n"
        ":link-type: doc\n\nAbout bones.\n:::\n\n::::\n\n```{toctree}\n:hidden:\n:glob:\n\n"
        "topics/*\n```\n"
    )
    pages = {"index": home, "topics/bones": "# Bones\n", "topics/skin": "# Skin\n"}
    conf = 'extensions.append("sphinx_design")\n'
    built = build_pages(pages, conf=conf)
    assert built.warnings == [
        "topics/skin.md:1: WARNING: no card on the home page (index) links this topic, so "
        "readers cannot find it there; add one [sclero.no_card]"
    ]
