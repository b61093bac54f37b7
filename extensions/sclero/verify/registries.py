"""The registries behind identifiers: NCBI E-utilities (PubMed, PMC), Crossref, doi.org.

Each answer becomes a verdict on the identifier (it exists, or the registry has no such
record) and, where the registry has one, its record. A network or server fault is a verdict
on nothing: it comes back as a passing fault, which the cache never treats as a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from ..model.registry_record import Record, from_crossref, from_esummary
from ..model.registry_shapes import (
    MAX_ANSWER_BYTES,
    CrossrefWork,
    UnreadableAnswerError,
    crossref_items,
    crossref_work,
    esummary_doc,
    esummary_result,
    parse_answer,
)
from ..model.targets import CheckResult, Outcome, Target, TargetKind
from ..net.fetch import Fetcher, Page

BATCH = 200  # ids per esummary request (NCBI prefers POST beyond about 200; JSON caps at 500)
# Citations per ECitMatch request: its lines travel in the URL, which servers cap at a few KB.
ECITMATCH_BATCH = 100
CITMATCH_FIELD = 120  # characters of each field sent
# DOIs per Crossref /works?filter=doi:… request: the batch Crossref's own clients use.
CROSSREF_BATCH = 50
# A request's query stays under a few KB (servers cap URLs); a DOI longer than this, encoded,
# is asked alone.
MAX_QUERY = 6000
MAX_DOI_IN_FILTER = 300
# The slowest rate a registry's headers may impose (requests per second); below it the
# deadline, not the header, decides (a hostile header cannot stall a build).
MIN_ANNOUNCED_RATE = 0.2
_INTERVAL = re.compile(r"([0-9]{1,4})([sm])")
TOOL = "sclero-topics"
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Endpoints:
    """Where identifiers are verified (the real services by default; local servers in tests)."""

    eutils: str = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
    crossref: str = "https://api.crossref.org/"
    doi_handles: str = "https://doi.org/api/handles/"
    api_key: str = ""  # NCBI_API_KEY: 10 requests/s instead of 3
    email: str = ""  # the contact NCBI asks for, and Crossref's polite pool


@dataclass
class Fetched:
    """Verdicts on identifiers, and the records the registries returned."""

    results: dict[Target, CheckResult] = field(default_factory=dict)
    records: dict[Target, Record] = field(default_factory=dict)

    def merge(self, other: Fetched) -> None:
        """Add ``other``'s verdicts and records."""
        self.results |= other.results
        self.records |= other.records


def _fault(target: Target, answer: Page | CheckResult, registry: str) -> CheckResult:
    """A registry that did not answer properly: a passing fault, never "no such record"."""
    if isinstance(answer, CheckResult):
        return CheckResult(target, answer.outcome, answer.status, f"{registry}: {answer.detail}")
    outcome = Outcome.rate_limited if answer.status == 429 else Outcome.server_error
    if 200 <= answer.status < 300:
        outcome = Outcome.error
    detail = f"{registry} answered {answer.status}" + (
        " without readable JSON" if outcome is Outcome.error else ""
    )
    return CheckResult(target, outcome, answer.status, detail)


def _unreadable(target: Target, registry: str, error: UnreadableAnswerError) -> CheckResult:
    """An answer that is not what the registry documents: not verified, never a verdict."""
    detail = f"{registry}: its answer could not be read ({error})"
    return CheckResult(target, Outcome.error, 200, detail)


def _get_json(fetcher: Fetcher, url: str, deadline: float) -> Page | CheckResult | None:
    """A registry's JSON answer, its body capped at what a registry answer may weigh."""
    return fetcher.get(url, deadline, "application/json", limit=MAX_ANSWER_BYTES + 1)


def _json(answer: Page) -> object:
    """The answer's JSON within the bounds, or None (for answers only searched, not read)."""
    try:
        return parse_answer(answer.body, answer.complete)
    except UnreadableAnswerError:
        return None


def _eutils_query(endpoints: Endpoints, **query: str) -> str:
    params = {**query, "tool": TOOL}
    if endpoints.email:
        params["email"] = endpoints.email
    if endpoints.api_key:
        params["api_key"] = endpoints.api_key
    return urlencode(params)


def fetch_ncbi(
    fetcher: Fetcher, targets: Iterable[Target], endpoints: Endpoints, deadline: float
) -> Fetched:
    """PMIDs and PMCIDs through esummary, in batches; an id with an error entry has no record."""
    fetched = Fetched()
    wanted = list(targets)
    for kind, db, source in (
        (TargetKind.pmid, "pubmed", "PubMed"),
        (TargetKind.pmcid, "pmc", "PMC"),
    ):
        batch_all = [t for t in wanted if t.kind is kind]
        for start in range(0, len(batch_all), BATCH):
            batch = batch_all[start : start + BATCH]
            numbers = [t.value.upper().removeprefix("PMC") for t in batch]
            query = _eutils_query(endpoints, db=db, retmode="json", id=",".join(numbers))
            answer = _get_json(fetcher, f"{endpoints.eutils}esummary.fcgi?{query}", deadline)
            if answer is None:
                return fetched  # the deadline: the rest stays due
            for target, result in _esummary(answer, batch, numbers, source):
                fetched.results[target] = result.result
                if result.record is not None:
                    fetched.records[target] = result.record
    return fetched


@dataclass(frozen=True)
class _Read:
    """What one answer says of one identifier: a verdict, and the record when there is one."""

    result: CheckResult
    record: Record | None = None


def _esummary(
    answer: Page | CheckResult, batch: list[Target], numbers: list[str], source: str
) -> Iterator[tuple[Target, _Read]]:
    """Each identifier of the batch with what the esummary answer says of it."""
    if isinstance(answer, CheckResult) or answer.status != 200:
        for target in batch:
            yield target, _Read(_fault(target, answer, "E-utilities"))
        return
    try:
        result = esummary_result(parse_answer(answer.body, answer.complete))
    except UnreadableAnswerError as error:
        for target in batch:
            yield target, _Read(_unreadable(target, "E-utilities", error))
        return
    for target, number in zip(batch, numbers, strict=True):
        try:
            doc = esummary_doc(result, number)
        except UnreadableAnswerError as error:
            yield target, _Read(_unreadable(target, "E-utilities", error))
            continue
        if doc is not None and "error" not in doc and doc.get("uid"):
            yield (
                target,
                _Read(CheckResult(target, Outcome.working, 200), from_esummary(doc, source)),
            )
        else:
            detail = f"no such record in {source}"
            yield target, _Read(CheckResult(target, Outcome.broken, 404, detail))


def announced_rate(headers: dict[str, str]) -> float | None:
    """Crossref's ``x-rate-limit-limit`` over ``x-rate-limit-interval`` ("50", "1s"), or None.

    Anything else (missing, not a number, absurd) announces nothing: the profile stands.
    """
    limit = headers.get("x-rate-limit-limit", "").strip()
    interval = _INTERVAL.fullmatch(headers.get("x-rate-limit-interval", "").strip())
    if not (limit.isascii() and limit.isdigit() and len(limit) <= 4 and interval):
        return None
    seconds = int(interval[1]) * (60 if interval[2] == "m" else 1)
    if not int(limit) or not seconds:
        return None
    return max(MIN_ANNOUNCED_RATE, int(limit) / seconds)


@dataclass(frozen=True)
class _Ask:
    """One Crossref request: a ``doi:`` filter of several DOIs, or one DOI at ``works/{doi}``."""

    targets: tuple[Target, ...]
    alone: bool = False


def _alone(target: Target) -> bool:
    """A comma ends a filter's value; a very long DOI would crowd a batch's URL out."""
    return "," in target.value or len(quote(target.value, safe="")) > MAX_DOI_IN_FILTER


def _cut(pieces: list[str], most: int) -> list[list[int]]:
    """Indices of ``pieces`` in runs of at most ``most``, each run's query under MAX_QUERY.

    A URL travels only so long: the pieces are measured percent-encoded, as they are sent.
    """
    runs: list[list[int]] = []
    size = 0
    for index, piece in enumerate(pieces):
        length = len(quote(piece, safe=""))
        if runs and len(runs[-1]) < most and size + length <= MAX_QUERY:
            runs[-1].append(index)
            size += length
        else:
            runs.append([index])
            size = length
    return runs


def _batches(targets: list[Target]) -> list[_Ask]:
    """Filters of up to CROSSREF_BATCH DOIs, cut before their query outgrows MAX_QUERY."""
    asks: list[_Ask] = [_Ask((t,), alone=True) for t in targets if _alone(t)]
    listed = [t for t in targets if not _alone(t)]
    runs = _cut([f"doi:{t.value}," for t in listed], CROSSREF_BATCH)
    return asks + [_Ask(tuple(listed[i] for i in run)) for run in runs]


def _works_url(endpoints: Endpoints, ask: _Ask) -> str:
    """``works/{doi}`` for a DOI asked alone, else ``works?filter=doi:A,doi:B&rows=N``."""
    mailto = {"mailto": endpoints.email} if endpoints.email else {}
    if ask.alone:
        suffix = f"?{urlencode(mailto)}" if mailto else ""
        return f"{endpoints.crossref}works/{quote(ask.targets[0].value, safe='')}{suffix}"
    query = {"filter": ",".join(f"doi:{t.value}" for t in ask.targets),
             "rows": str(len(ask.targets))}  # fmt: skip
    return f"{endpoints.crossref}works?{urlencode({**query, **mailto})}"


def _read_works(ask: _Ask, answer: Page) -> dict[Target, CrossrefWork | None]:
    """Each DOI's work in the answer (None: Crossref does not know it); raises if unreadable."""
    if ask.alone:
        if answer.status == 404:
            return {ask.targets[0]: None}
        return {ask.targets[0]: crossref_work(parse_answer(answer.body, answer.complete))}
    works = crossref_items(parse_answer(answer.body, answer.complete))
    return {t: works.get(t.value.lower()) for t in ask.targets}


def fetch_crossref(
    fetcher: Fetcher, dois: Iterable[Target], endpoints: Endpoints, deadline: float
) -> Fetched:
    """Each DOI's Crossref record, up to CROSSREF_BATCH a request (a ``doi:`` filter).

    A DOI Crossref does not know, or will not look up alone (a 4xx other than 429), is asked
    of doi.org. A batch Crossref refuses (a 4xx other than 404 and 429: something in one DOI)
    is asked again one DOI at a time, so one DOI cannot keep the others unverified. The rate
    Crossref's headers announce slows the later requests when it is below the profile's.
    """
    fetched = Fetched()
    host = fetcher.host(_host_of(endpoints.crossref))

    def ask(one: _Ask) -> tuple[_Ask, Page | CheckResult | None]:
        answer = _get_json(fetcher, _works_url(endpoints, one), deadline)
        if isinstance(answer, Page) and (rate := announced_rate(answer.headers)):
            host.slow_to(rate)
        return one, answer

    unknown: list[Target] = []
    asks = _batches(sorted(set(dois), key=lambda t: t.value))
    while asks:
        again: list[_Ask] = []
        with ThreadPoolExecutor(max_workers=max(1, host.profile.concurrency)) as pool:
            for one, answer in pool.map(ask, asks):
                if answer is None:
                    continue
                refused = isinstance(answer, Page) and 400 <= answer.status < 500
                if refused and answer.status not in (404, 429):
                    if one.alone:  # Crossref will not look it up: doi.org says if it exists
                        unknown += one.targets
                    else:
                        again += [_Ask((t,), alone=True) for t in one.targets]
                    continue
                if isinstance(answer, CheckResult) or answer.status not in (200, 404):
                    fetched.results |= {t: _fault(t, answer, "Crossref") for t in one.targets}
                    continue
                try:
                    works = _read_works(one, answer)
                except UnreadableAnswerError as error:
                    fetched.results |= {t: _unreadable(t, "Crossref", error) for t in one.targets}
                    continue
                for target, work in works.items():
                    if work is None:
                        unknown.append(target)
                        continue
                    fetched.records[target] = from_crossref(work)
                    fetched.results[target] = CheckResult(target, Outcome.working, 200)
        asks = again
    fetched.results |= check_doi_handles(fetcher, unknown, endpoints, deadline)
    return fetched


def check_doi_handles(
    fetcher: Fetcher, dois: Iterable[Target], endpoints: Endpoints, deadline: float
) -> dict[Target, CheckResult]:
    """ResponseCode 1 means registered (at DataCite, mEDRA ...), 100 means no such DOI."""
    results: dict[Target, CheckResult] = {}
    for target in dois:
        url = endpoints.doi_handles + quote(target.value, safe="/")
        answer = _get_json(fetcher, url, deadline)
        if answer is None:
            break
        data = _json(answer) if isinstance(answer, Page) else None
        code = data.get("responseCode") if isinstance(data, dict) else None
        if isinstance(answer, Page) and code == 1:
            detail = "registered at doi.org (no Crossref record to compare)"
            results[target] = CheckResult(target, Outcome.working, 200, detail)
        elif isinstance(answer, Page) and (code == 100 or answer.status == 404):
            results[target] = CheckResult(target, Outcome.broken, 404, "not registered at doi.org")
        else:
            results[target] = _fault(target, answer, "doi.org")
    return results


def _host_of(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""


@dataclass(frozen=True)
class Wanted:
    """A journal article without identifiers, as ECitMatch and a title search can find it."""

    key: str  # the look-up's cache key
    title: str
    journal: str
    year: str
    volume: str
    first_page: str


def _citmatch_field(text: str) -> str:
    # A "|" or line break would shift ECitMatch's columns; the key must never contain "|".
    # No real journal name, year, volume or page is longer than the cap.
    return " ".join(text.replace("|", " ").split())[:CITMATCH_FIELD]


def ecitmatch(
    fetcher: Fetcher, wanted: list[Wanted], endpoints: Endpoints, deadline: float
) -> dict[str, str]:
    """Key -> the PMID ECitMatch names (journal|year|volume|first page), "" for none.

    ECitMatch weighs journal, volume and page and may answer with another paper: its PMID
    is only a candidate, confirmed by the record's title (see ``find_candidates``). The keys
    of a batch that met a fault (an outage, the deadline) are missing: asked again next time;
    a batch refused as a bad request (a 4xx other than 429) finds nothing, so it is not asked
    again and again.
    """
    lines = [
        "|".join(_citmatch_field(v) for v in (w.journal, w.year, w.volume, w.first_page, ""))
        + f"|{i}|"
        for i, w in enumerate(wanted)
    ]
    found: dict[str, str] = {}
    for asked in _cut([line + "\r" for line in lines], ECITMATCH_BATCH):
        bdata = "\r".join(lines[i] for i in asked)
        query = _eutils_query(endpoints, db="pubmed", retmode="xml", bdata=bdata)
        answer = fetcher.get(f"{endpoints.eutils}ecitmatch.cgi?{query}", deadline, "text/plain")
        if not isinstance(answer, Page) or answer.status == 429 or answer.status >= 500:
            continue  # a fault: nothing concluded for these lines
        found |= {wanted[i].key: "" for i in asked}
        if answer.status != 200:
            continue
        for line in answer.body.decode("utf-8", "replace").splitlines():
            fields = line.split("|")
            # Seven fields: the six sent, then the PMID (or NOT_FOUND / AMBIGUOUS ...).
            index = fields[5] if len(fields) >= 7 else ""
            if index.isascii() and index.isdigit() and int(index) in asked:
                pmid = fields[6].strip()
                if pmid.isascii() and pmid.isdigit():
                    found[wanted[int(index)].key] = pmid
    return found


def title_search(
    fetcher: Fetcher, wanted: Wanted, endpoints: Endpoints, deadline: float
) -> list[str] | None:
    """PMIDs whose title has every significant word of ``wanted``'s (at most 5); None on a fault."""
    words = [w for w in _WORD.findall(wanted.title) if len(w) > 3][:12]
    if not words:
        return []
    term = " AND ".join(f"{w}[Title]" for w in words)
    query = _eutils_query(endpoints, db="pubmed", retmode="json", retmax="5", term=term)
    answer = _get_json(fetcher, f"{endpoints.eutils}esearch.fcgi?{query}", deadline)
    data = _json(answer) if isinstance(answer, Page) and answer.status == 200 else None
    result = data.get("esearchresult") if isinstance(data, dict) else None
    if not isinstance(result, dict):
        return None
    return [str(i) for i in result.get("idlist", []) if str(i).isdigit()][:5]
