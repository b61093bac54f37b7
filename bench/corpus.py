"""Synthetic topic sites of a given size, with the ground truth of every planted problem."""

from __future__ import annotations

import json
import random
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "extensions"))
from sclero.records import TEXT_FIELDS  # noqa: E402  (the directive's own field order)

JOURNALS = (
    "Osteoporos Int",
    "Chest",
    "Rheumatol Int",
    "Int J Rheum Dis",
    "BMJ Open",
    "Curr Pharm Des",
)
OUTLETS = ("Reuters Health", "New York Times", "BBC News")
WORDS = (
    "bone",
    "density",
    "fracture",
    "scleroderma",
    "risk",
    "therapy",
    "cohort",
    "women",
    "vitamin",
    "calcium",
    "screening",
    "glucocorticoid",
    "arthritis",
    "outcome",
)
# The link mix: path kind -> (share, is it broken?). "hang" and "limited" are not broken.
LINK_MIX = {
    "ok": (0.62, False),
    "moved": (0.08, False),
    "chain": (0.04, False),
    "head405": (0.04, False),
    "missing": (0.06, True),
    "gone": (0.03, True),
    "soft404": (0.03, True),
    "blocked": (0.05, False),
    "limited": (0.03, False),
    "hang": (0.02, False),
}


@dataclass
class Truth:
    """What was planted: broken link occurrences, citation errors, and counts."""

    broken_urls: list[str] = field(default_factory=list)
    link_occurrences: list[tuple[str, int, str]] = field(default_factory=list)  # file, line, url
    citation_errors: list[tuple[str, int, str]] = field(default_factory=list)  # file, line, rule
    citations: int = 0
    pages: int = 0


def _title(rng: random.Random, n: int) -> str:
    words = rng.sample(WORDS, 6)
    return f"Study {n} of {' '.join(words)}".capitalize()


def _url(rng: random.Random, base: str, hosts: int, n: int) -> tuple[str, bool]:
    kinds = list(LINK_MIX)
    kind = rng.choices(kinds, weights=[LINK_MIX[k][0] for k in kinds])[0]
    host = rng.randrange(1, hosts + 1)
    return f"http://127.0.0.{host}:{base}/{kind}/{n}", LINK_MIX[kind][1]


def generate(
    out: Path, pages: int, per_page: int, port: int, hosts: int = 8, seed: int = 7
) -> Truth:
    """Write ``out/ours`` (our directives) and ``out/plain`` (the same text as plain MyST)."""
    rng = random.Random(seed)
    truth = Truth(pages=pages)
    broken: set[str] = set()
    shared: list[dict[str, str]] = []
    for variant in ("ours", "plain"):
        (out / variant / "docs" / "topics").mkdir(parents=True, exist_ok=True)
    pmid = 30_000_000
    ours_pages: dict[str, list[str]] = {}
    plain_pages: dict[str, list[str]] = {}
    for p in range(pages):
        ours = [
            f"# Topic {p}",
            "",
            f"An introduction to topic {p}; see {{topic}}`t{(p + 1) % pages}`.",
            "",
        ]
        plain = [
            f"# Topic {p}",
            "",
            f"An introduction to topic {p}; see [Topic {(p + 1) % pages}](t{(p + 1) % pages}.md).",
            "",
        ]
        ours_pages[f"t{p}"], plain_pages[f"t{p}"] = ours, plain
        for _ in range(per_page):
            pmid += 1
            kind = "news" if rng.random() < 0.05 else "article"
            if shared and rng.random() < 0.03:
                fields = dict(rng.choice(shared))  # the same work cited on another page
            elif kind == "news":
                url, is_broken = _url(rng, str(port), hosts, pmid)
                if is_broken:
                    broken.add(url)
                fields = {
                    "title": _title(rng, pmid),
                    "kind": "news",
                    "outlet": rng.choice(OUTLETS),
                    "date": f"{rng.randint(2005, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    "url": url,
                }
            else:
                fields = {
                    "title": _title(rng, pmid),
                    "outlet": "PubMed",
                    "journal": rng.choice(JOURNALS),
                    "date": f"{rng.randint(2000, 2024)}-{rng.randint(1, 12):02d}",
                    "volume": str(rng.randint(1, 90)),
                    "issue": str(rng.randint(1, 12)),
                    "pages": f"{(s := rng.randint(1, 900))}-{s + rng.randint(2, 20)}",
                }
                if rng.random() < 0.9:
                    fields |= {"pmid": str(pmid), "doi": f"10.1000/bench.{pmid}"}
                if rng.random() < 0.04:
                    shared.append(dict(fields))
            error = None
            if rng.random() < 0.02 and "date" in fields and kind != "news":
                fields["date"], error = "2019-02-30", "sclero.date"
            elif rng.random() < 0.01 and "doi" in fields:
                fields["doi"], error = fields["doi"] + ".", "sclero.doi"
            also = f"t{rng.randrange(pages)}"
            start = len(ours) + 1
            ours.append(f"```{{citation}} {fields['title']}")
            for key in ("kind", *TEXT_FIELDS):
                if key in fields:
                    ours.append(f":{key}: {fields[key]}")
                    if error and key == error.split(".")[1]:
                        truth.citation_errors.append((f"docs/topics/t{p}.md", len(ours), error))
            ours += [f":also-see: {also}", "", "The study found a clear result.", "```", ""]
            source = ", ".join(v for k, v in fields.items() if k in ("outlet", "journal", "date"))
            link = fields.get("url") or (
                f"https://pubmed.ncbi.nlm.nih.gov/{fields['pmid']}/" if "pmid" in fields else ""
            )
            plain_line = f"**[{fields['title']}]({link})**." if link else f"**{fields['title']}**."
            plain += [
                plain_line,
                "The study found a clear result.",
                f"{source}. Also see [Topic]({also}.md).",
                "",
            ]
            if "url" in fields:
                truth.link_occurrences.append((f"docs/topics/t{p}.md", start, fields["url"]))
            truth.citations += 1
        # Each page also links a few plain web pages in its text.
        for k in range(3):
            url, is_broken = _url(rng, str(port), hosts, p * 10 + k)
            if is_broken:
                broken.add(url)
            ours += [f"More reading: [page {k}]({url}).", ""]
            plain += [f"More reading: [page {k}]({url}).", ""]
            truth.link_occurrences.append((f"docs/topics/t{p}.md", len(ours) - 1, url))
    truth.broken_urls = sorted(broken)
    for variant, texts in (("ours", ours_pages), ("plain", plain_pages)):
        docs = out / variant / "docs"
        for name, lines in texts.items():
            (docs / "topics" / f"{name}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (docs / "index.md").write_text(
            "# Bench\n\n```{toctree}\n:glob:\n\ntopics/*\n```\n", encoding="utf-8"
        )
        (out / variant / "conf.py").write_text(_conf(variant, port), encoding="utf-8")
    (out / "truth.json").write_text(json.dumps(asdict(truth), indent=1), encoding="utf-8")
    return truth


def _conf(variant: str, port: int) -> str:
    common = (
        "import sys\n"
        f"sys.path.insert(0, {str(REPO / 'extensions')!r})\n"
        "html_theme = 'furo'\n"
        "myst_enable_extensions = ['colon_fence']\n"
        "suppress_warnings = ['myst.xref_missing']\n"
    )
    if variant == "plain":
        return common + "extensions = ['myst_parser']\n"
    hosts = [f"127.0.0.{h}" for h in range(1, 9)]
    return common + (
        "extensions = ['myst_parser', 'sclero']\n"
        f"sclero_linkcheck_allowed_hosts = {hosts!r}\n"
        f"sclero_linkcheck_profiles = {{h: (5, 2) for h in {hosts!r}}}\n"
        f"sclero_doi_api = 'http://127.0.0.1:{port}/api/handles/'\n"
        f"sclero_eutils = 'http://127.0.0.1:{port}/'\n"
        "sclero_linkcheck_timeout = 5\n"
        "sclero_linkcheck_contact = 'https://example.org/bench'\n"
    )
