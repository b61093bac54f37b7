"""Synthetic topic sites of a given size, in five forms, with the truth of every planted problem.

The same citations are written five ways:

- ``ours``: our ``{citation}`` directive;
- ``plain``: the text our directive renders (title link, summary, kind, source line,
  PMID/DOI links, source page, also see), as plain MyST paragraphs: the floor as rendered;
- ``paragraphs``: the same facts as one plain paragraph per entry: the floor of a site that
  writes its citations as text;
- ``tuned``: the ``paragraphs`` site with the build tuning ours brings to Sphinx (the cycle
  collector kept off what the build keeps, doctrees released after reading): the floor of
  a site that writes its citations as text and builds as ours does;
- ``bibtex``: sphinxcontrib-bibtex, as its documentation shows a per-page bibliography:
  ``{cite:p}`` in the text and ``{bibliography}`` with ``:filter: docname in docnames``.

Planted: broken links of each kind (missing, gone, soft 404s worded several ways), decoys
(working pages whose title or text mentions "404" or "not found"), slow, limited and blocked
links; citation errors; identifiers whose record names another paper, and retracted papers.
The registries' records (E-utilities esummary and Crossref ``/works`` answers) are written to
``registry.json`` for the bench's servers.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "extensions"))
from sclero.content.source_line import source_line  # noqa: E402  (what the directive prints)
from sclero.model.kinds import KIND_INFO, Kind  # noqa: E402  (the labels the entry shows)
from sclero.model.records import TEXT_FIELDS, Citation  # noqa: E402  (the directive's field order)

JOURNALS = ("Osteoporos Int", "Chest", "Rheumatol Int", "Int J Rheum Dis", "BMJ Open")
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
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Web hosts 127.0.0.1-8; the registries' stand-ins have their own hosts (and limits).
WEB_HOSTS = tuple(f"127.0.0.{n}" for n in range(1, 9))
EUTILS, CROSSREF, HANDLES = "127.0.0.9", "127.0.0.10", "127.0.0.11"
# The limits the real registries publish, given to their stand-ins (see linkcheck/run.py).
REGISTRY_PROFILES = {EUTILS: (3, 1), CROSSREF: (5, 1), HANDLES: (5, 2)}
# The rate the Crossref stand-in announces for list (doi: filter) requests, below its single-
# work rate, as Crossref's polite pool does; our client must read it from the headers.
CROSSREF_LIST_RATE = 3
WEB_PROFILE = (5, 2)  # our per-host politeness for the web hosts: 5 requests/s, 2 at once

# Link kinds: share of links, and what a checker should conclude.
DEAD_KINDS = ("missing", "gone", "soft_title", "soft_lang", "soft_results", "soft_home")
SOFT_KINDS = ("soft_title", "soft_lang", "soft_results", "soft_home")
LINK_MIX = {
    "ok": 0.52,
    "decoy_title": 0.03,  # 200, titled "404 patients ..." or "Not found: ...": an article
    "decoy_text": 0.02,  # 200, an article whose text says "404 Not Found"
    "moved": 0.07,
    "chain": 0.03,
    "head405": 0.03,
    "missing": 0.06,  # 404
    "gone": 0.03,  # 410
    "soft_title": 0.015,  # 200 "Page not found | Journal"
    "soft_lang": 0.015,  # 200 "Página no encontrada" / "Seite nicht gefunden"
    "soft_results": 0.015,  # 200 search page: "Search results"
    "soft_home": 0.015,  # redirect to the home page
    "blocked": 0.05,  # 403 bot wall: unverifiable, not dead
    "limited": 0.03,  # 429 on the first visit, then 200: not dead
    "hang": 0.02,  # never answers in time: not dead
}


@dataclass
class Truth:
    """What was planted, for scoring."""

    link_kinds: dict[str, str] = field(default_factory=dict)  # url -> kind (LINK_MIX)
    link_occurrences: list[tuple[str, int, str]] = field(default_factory=list)  # file, line, url
    citation_errors: list[tuple[str, int, str]] = field(default_factory=list)  # file, line, rule
    # Entries by their span in ours: file, first line, last line.
    wrong_identifier: list[tuple[str, int, int]] = field(default_factory=list)
    retracted: list[tuple[str, int, int]] = field(default_factory=list)
    entries: list[tuple[str, int, int]] = field(default_factory=list)
    citations: int = 0
    pages: int = 0
    pmids: int = 0
    dois: int = 0

    @property
    def dead(self) -> set[str]:
        """URLs a checker should call dead."""
        return {u for u, k in self.link_kinds.items() if k in DEAD_KINDS}


def load_truth(path: Path) -> Truth:
    """Truth read back from ``truth.json``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("link_occurrences", "citation_errors", "wrong_identifier", "retracted", "entries"):
        data[key] = [tuple(x) for x in data[key]]
    return Truth(**data)


def _title(rng: random.Random, n: int) -> str:
    return f"Study {n} of {' '.join(rng.sample(WORDS, 6))}".capitalize()


def _url(rng: random.Random, port: int, n: int) -> tuple[str, str]:
    kinds = list(LINK_MIX)
    kind = rng.choices(kinds, weights=[LINK_MIX[k] for k in kinds])[0]
    return f"http://{rng.choice(WEB_HOSTS)}:{port}/{kind}/{n}", kind


def _pubmed(uid: str, fields: dict[str, str], title: str, doi: str, retracted: bool) -> dict:
    """An esummary 2.0 entry as NCBI writes it (titles end with a full stop)."""
    year, month = fields["date"][:4], int(fields["date"][5:7])
    month_name = MONTHS[month - 1]
    references = (
        [{"refsource": "Bench J. 2025;1:1", "reftype": "Retraction in", "pmid": 1, "note": ""}]
        if retracted
        else []
    )
    return {
        "uid": uid,
        "pubdate": f"{year} {month_name}",
        "epubdate": "",
        "source": fields["journal"],
        "fulljournalname": fields["journal"],
        "authors": [{"name": "Bench A", "authtype": "Author", "clusterid": ""}],
        "title": title.rstrip(".") + ".",
        "volume": fields["volume"],
        "issue": fields["issue"],
        "pages": fields["pages"],
        "pubtype": ["Journal Article"] + (["Retracted Publication"] if retracted else []),
        "articleids": [
            {"idtype": "pubmed", "idtypen": 1, "value": uid},
            {"idtype": "doi", "idtypen": 3, "value": doi},
        ],
        "references": references,
        "elocationid": "",
        "pmcrefcount": "",
    }


def _crossref(doi: str, fields: dict[str, str], title: str, retracted: bool) -> dict:
    """A Crossref ``/works`` message."""
    year, month = int(fields["date"][:4]), int(fields["date"][5:7])
    updates = (
        [
            {
                "updated": {"date-parts": [[2025, 1]]},
                "DOI": "10.1000/notice",
                "type": "retraction",
                "label": "Retraction",
                "source": "retraction-watch",
            }
        ]
        if retracted
        else []
    )
    return {
        "DOI": doi,
        "type": "journal-article",
        "title": [title],
        "container-title": [fields["journal"]],
        "short-container-title": [fields["journal"]],
        "volume": fields["volume"],
        "issue": fields["issue"],
        "page": fields["pages"],
        "issued": {"date-parts": [[year, month]]},
        "author": [{"given": "A", "family": "Bench", "sequence": "first"}],
        "updated-by": updates,
    }


def generate(out: Path, pages: int, per_page: int, port: int, seed: int = 7) -> Truth:
    """Write ``out/<variant>`` for each variant, ``truth.json`` and ``registry.json``."""
    rng = random.Random(seed)
    truth = Truth(pages=pages)
    pubmed: dict[str, dict] = {}
    crossref: dict[str, dict] = {}
    texts: dict[str, dict[str, list[str]]] = {v: {} for v in ("ours", "plain", "paragraphs",
                                                              "tuned", "bibtex")}  # fmt: skip
    bib: list[str] = []
    shared: list[tuple[dict[str, str], dict[str, object]]] = []
    n = 30_000_000
    for p in range(pages):
        nxt = f"t{(p + 1) % pages}"
        intro = f"An introduction to topic {p}; see "
        ours = [f"# Topic {p}", "", intro + f"{{topic}}`{nxt}`.", ""]
        plain = [f"# Topic {p}", "", intro + f"[Topic {nxt[1:]}]({nxt}.md).", ""]
        bibtex, paragraphs = list(plain), list(plain)
        for e in range(per_page):
            n += 1
            fields, plant = _entry(rng, n, port, shared)
            if "url" in fields:
                truth.link_kinds[fields["url"]] = fields.pop("_kind")
            also = f"t{rng.randrange(pages)}"
            file = f"docs/topics/t{p}.md"
            start = len(ours) + 1
            ours.append(f"```{{citation}} {fields['title']}")
            for key in ("kind", *TEXT_FIELDS):
                if key in fields:
                    ours.append(f":{key}: {fields[key]}")
                    if plant.get("error") and key == plant["error"].split(".")[1]:
                        truth.citation_errors.append((file, len(ours), plant["error"]))
            ours += [f":also-see: {also}", "", "The study found a clear result.", "```", ""]
            span = (file, start, len(ours) - 1)
            truth.entries.append(span)
            # A DOI miscopied beside a PMID differs from the one the PMID's record lists.
            miscopied = plant.get("error") == "sclero.doi" and "pmid" in fields
            if plant.get("wrong") or miscopied:
                truth.wrong_identifier.append(span)
            if plant.get("retracted"):
                truth.retracted.append(span)
            if "url" in fields:
                truth.link_occurrences.append((file, start, fields["url"]))
            truth.citations += 1
            truth.pmids += "pmid" in fields
            truth.dois += "doi" in fields
            _records(fields, plant, pubmed, crossref)
            plain += _plain_entry(fields, also, p)
            paragraphs += _paragraph_entry(fields, also, p)
            key = f"p{p}e{e}"  # one key per page: the documented condition of :filter:
            bib.append(_bib_entry(key, fields))
            bibtex += [
                f"{{cite:p}}`{key}`: The study found a clear result. "
                f"Also see [Topic {also[1:]}]({also}.md).",
                "",
            ]
        # Each page also links a few plain web pages in its text.
        for k in range(3):
            url, kind = _url(rng, port, p * 10 + k)
            truth.link_kinds[url] = kind
            line = f"More reading: [page {k}]({url})."
            for lines in (ours, plain, paragraphs, bibtex):
                lines += [line, ""]
            truth.link_occurrences.append((f"docs/topics/t{p}.md", len(ours) - 1, url))
        bibtex += ["```{bibliography}", ":filter: docname in docnames", "```", ""]
        for variant, lines in (("ours", ours), ("plain", plain), ("paragraphs", paragraphs),
                               ("tuned", paragraphs), ("bibtex", bibtex)):  # fmt: skip
            texts[variant][f"t{p}"] = lines
    for variant, pages_text in texts.items():
        docs = out / variant / "docs"
        (docs / "topics").mkdir(parents=True, exist_ok=True)
        for name, lines in pages_text.items():
            (docs / "topics" / f"{name}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (docs / "index.md").write_text(
            "# Bench\n\n```{toctree}\n:glob:\n\ntopics/*\n```\n", encoding="utf-8"
        )
        (out / variant / "conf.py").write_text(_conf(variant, port), encoding="utf-8")
    (out / "bibtex" / "docs" / "refs.bib").write_text("\n".join(bib), encoding="utf-8")
    (out / "truth.json").write_text(json.dumps(asdict(truth), indent=1), encoding="utf-8")
    (out / "registry.json").write_text(
        json.dumps({"pubmed": pubmed, "crossref": crossref}), encoding="utf-8"
    )
    return truth


def _entry(
    rng: random.Random,
    n: int,
    port: int,
    shared: list[tuple[dict[str, str], dict[str, object]]],
) -> tuple[dict[str, str], dict[str, object]]:
    """One entry's fields, and what is planted in it or its records."""
    plant: dict[str, object] = {}
    if shared and rng.random() < 0.03:
        # The same work cited on another page: its records (and what they hide) are the same.
        fields, planted = rng.choice(shared)
        return dict(fields), {**planted, "shared": True}
    if rng.random() < 0.05:
        url, kind = _url(rng, port, n)
        fields = {
            "title": _title(rng, n),
            "kind": "news",
            "outlet": rng.choice(OUTLETS),
            "date": f"{rng.randint(2005, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "url": url,
            "_kind": kind,
        }
        return fields, plant
    fields = {
        "title": _title(rng, n),
        "outlet": "PubMed",
        "journal": rng.choice(JOURNALS),
        "date": f"{rng.randint(2000, 2024)}-{rng.randint(1, 12):02d}",
        "volume": str(rng.randint(1, 90)),
        "issue": str(rng.randint(1, 12)),
        "pages": f"{(s := rng.randint(1, 900))}-{s + rng.randint(2, 20)}",
    }
    draw = rng.random()
    if draw < 0.75:
        fields |= {"pmid": str(n), "doi": f"10.1000/bench.{n}"}
    elif draw < 0.85:
        fields |= {"doi": f"10.1000/bench.{n}"}
    if "doi" in fields:
        plant["wrong"] = rng.random() < 0.03  # the record names another paper
        plant["retracted"] = not plant["wrong"] and rng.random() < 0.015
    if rng.random() < 0.04:
        shared.append((dict(fields), dict(plant)))
    if rng.random() < 0.02:
        fields["date"], plant["error"] = "2019-02-30", "sclero.date"
    elif "doi" in fields and rng.random() < 0.01:
        fields["doi"], plant["error"] = fields["doi"] + ".", "sclero.doi"
    return fields, plant


def _records(
    fields: dict[str, str], plant: dict[str, object], pubmed: dict, crossref: dict
) -> None:
    """What the registries hold for the entry's identifiers (nothing for a shared copy)."""
    if plant.get("shared") or "doi" not in fields:
        return
    doi = fields["doi"].rstrip(".")
    title, its_doi = fields["title"], doi
    if plant.get("wrong"):
        # The entry's identifiers lead to another paper: its title, and its own DOI.
        title, its_doi = f"Another paper on {title.lower()}", doi + "x"
    retracted = bool(plant.get("retracted"))
    if "pmid" in fields:
        pubmed[fields["pmid"]] = _pubmed(fields["pmid"], fields, title, its_doi, retracted)
    crossref[doi.lower()] = _crossref(doi, fields, title, retracted)


def _plain_entry(fields: dict[str, str], also: str, page: int) -> list[str]:
    """The entry as our directive renders it, written as plain MyST paragraphs."""
    citation = Citation(
        f"topics/t{page}",
        0,
        "",
        Kind(fields.get("kind", "article")),
        fields["title"],
        "",
        tuple(fields.items()),
    )
    link = (
        f"https://pubmed.ncbi.nlm.nih.gov/{fields['pmid']}/"
        if "pmid" in fields
        else f"https://doi.org/{fields['doi']}"
        if "doi" in fields
        else fields.get("url", "")
    )
    title = f"[{fields['title']}]({link})." if link else f"**{fields['title']}**."
    ids = []
    if "pmid" in fields:
        ids.append(f"PMID [{fields['pmid']}](https://pubmed.ncbi.nlm.nih.gov/{fields['pmid']}/)")
    if "doi" in fields:
        ids.append(f"DOI [{fields['doi']}](https://doi.org/{fields['doi']})")
    kind = KIND_INFO[citation.kind].label
    source = f"{kind} {source_line(citation)} {' · '.join(ids)}".rstrip()
    if "url" in fields and link != fields["url"]:
        source += f" [Source page]({fields['url']})"
    return [
        title,
        "",
        "The study found a clear result.",
        "",
        source,
        "",
        f"Also see [Topic {also[1:]}]({also}.md).",
        "",
    ]


def _paragraph_entry(fields: dict[str, str], also: str, page: int) -> list[str]:
    """The entry's facts as one plain MyST paragraph, as a contributor might write it."""
    return [" ".join(line for line in _plain_entry(fields, also, page) if line), ""]


def _bib_entry(key: str, fields: dict[str, str]) -> str:
    """The entry in BibTeX, as a sphinxcontrib-bibtex user would keep it."""
    year = fields["date"][:4]
    month = fields["date"][5:7]
    if fields.get("kind") == "news":
        body = {
            "title": fields["title"],
            "howpublished": fields["outlet"],
            "year": year,
            "month": month,
            "url": fields["url"],
        }
        kind = "misc"
    else:
        body = {
            "title": fields["title"],
            "journal": fields["journal"],
            "year": year,
            "month": month,
            "volume": fields["volume"],
            "number": fields["issue"],
            "pages": fields["pages"].replace("-", "--"),
        }
        if "doi" in fields:
            body["doi"] = fields["doi"]
        if "pmid" in fields:
            body["note"] = f"PMID {fields['pmid']}"
        kind = "article"
    inner = ",\n".join(f"  {k} = {{{v}}}" for k, v in body.items())
    return f"@{kind}{{{key},\n  author = {{Bench, A.}},\n{inner}\n}}\n"


def _conf(variant: str, port: int) -> str:
    common = (
        "import os\n"
        "import sys\n"
        f"sys.path.insert(0, {str(REPO / 'extensions')!r})\n"
        "html_theme = 'furo'\n"
        "myst_enable_extensions = ['colon_fence']\n"
        "suppress_warnings = ['myst.xref_missing']\n"
    )
    if variant in ("plain", "paragraphs"):
        return common + "extensions = ['myst_parser']\n"
    if variant == "tuned":
        # Ours' own handlers, not a copy: the floor moves if the tuning does.
        return common + (
            "extensions = ['myst_parser']\n\n\n"
            "def setup(app):\n"
            "    from sclero.content.collector import setup_build_memory\n\n"
            "    setup_build_memory(app)\n"
        )
    if variant == "bibtex":
        return common + (
            "extensions = ['myst_parser', 'sphinxcontrib.bibtex']\nbibtex_bibfiles = ['refs.bib']\n"
        )
    profiles = {h: WEB_PROFILE for h in WEB_HOSTS} | REGISTRY_PROFILES
    return (
        common.replace(
            "suppress_warnings = ['myst.xref_missing']",
            # The bench's web hosts are loopback addresses, which the url rule rightly
            # refuses in a citation; the rule still runs, its findings are not printed.
            "suppress_warnings = ['myst.xref_missing', 'sclero.url']",
        )
        + "extensions = ['myst_parser', 'sclero']\n"
        + f"sclero_linkcheck_allowed_hosts = {sorted(profiles)!r}\n"
        + f"sclero_linkcheck_profiles = {profiles!r}\n"
        + f"sclero_eutils = 'http://{EUTILS}:{port}/eutils/'\n"
        + f"sclero_crossref = 'http://{CROSSREF}:{port}/crossref/'\n"
        + f"sclero_doi_api = 'http://{HANDLES}:{port}/api/handles/'\n"
        + "sclero_linkcheck_timeout = 5\n"
        # Sphinx's -D cannot set a float: the scale run widens the budget through this.
        + "sclero_linkcheck_budget = float(os.environ.get('BENCH_LINKCHECK_BUDGET', '60'))\n"
        + "sclero_linkcheck_contact = 'https://example.org/bench'\n"
    )
