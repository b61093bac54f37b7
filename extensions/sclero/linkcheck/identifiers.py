"""Identifiers first: DOIs at the handle API, PMIDs and PMCIDs through NCBI E-utilities."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlencode, urlsplit

from .fetch import Fetcher
from .model import CheckResult, Outcome

_PUBMED = re.compile(r"^/(\d+)/?$")
_PMC = re.compile(r"^/articles/(PMC\d+)/?$", re.IGNORECASE)
BATCH = 200  # E-utilities accepts a few hundred ids per request


@dataclass(frozen=True)
class Endpoints:
    """Where identifiers are verified (real services by default; local servers in tests)."""

    doi_handles: str = "https://doi.org/api/handles/"
    eutils: str = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
    api_key: str = ""


def identifier_of(url: str) -> str | None:
    """``doi:10.x/y``, ``pmid:123`` or ``pmcid:PMC4`` for a canonical identifier URL."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in ("doi.org", "dx.doi.org") and parts.path.strip("/"):
        return "doi:" + unquote(parts.path.lstrip("/"))
    if host == "pubmed.ncbi.nlm.nih.gov" and (m := _PUBMED.match(parts.path)):
        return "pmid:" + m.group(1)
    if host == "pmc.ncbi.nlm.nih.gov" and (m := _PMC.match(parts.path)):
        return "pmcid:" + m.group(1).upper()
    return None


def _get_json(fetcher: Fetcher, url: str, deadline: float) -> tuple[object, CheckResult | None]:
    """GET ``url`` through the polite fetcher and parse JSON; a failure comes back as a result."""
    page = fetcher._request(url, deadline)
    if page is None:
        return None, None
    if isinstance(page, CheckResult):
        return None, page
    if page.status == 404:
        return {"responseCode": 100}, None
    if page.status != 200:
        outcome = Outcome.rate_limited if page.status == 429 else Outcome.server_error
        return None, CheckResult(url, outcome, page.status, f"{page.status} from the resolver")
    try:
        return json.loads(page.body.decode("utf-8")), None
    except (UnicodeDecodeError, ValueError):
        return None, CheckResult(url, Outcome.error, page.status, "resolver sent no JSON")


def check_dois(
    fetcher: Fetcher, dois: list[str], endpoints: Endpoints, deadline: float
) -> dict[str, CheckResult]:
    """ResponseCode 1 means registered, 100 means no such DOI (the handle API's contract)."""
    results: dict[str, CheckResult] = {}
    for doi in dois:
        key = f"doi:{doi}"
        data, failure = _get_json(fetcher, endpoints.doi_handles + quote(doi, safe="/"), deadline)
        if failure is not None:
            results[key] = CheckResult(key, failure.outcome, failure.status, failure.detail)
        elif isinstance(data, dict):
            code = data.get("responseCode")
            if code == 1:
                results[key] = CheckResult(key, Outcome.working, 200)
            elif code == 100:
                results[key] = CheckResult(key, Outcome.broken, 404, "not registered at doi.org")
            else:
                results[key] = CheckResult(key, Outcome.error, 200, f"responseCode {code}")
    return results


def check_ncbi(
    fetcher: Fetcher,
    keys: list[str],
    endpoints: Endpoints,
    deadline: float,
    dois_found: dict[str, str] | None = None,
) -> dict[str, CheckResult]:
    """PMIDs and PMCIDs in batches through esummary; an id with an error entry does not exist.

    ``dois_found`` receives each PubMed record's DOI (``pmid:N`` -> DOI), so a citation's DOI
    can be confirmed without one handle-API request per DOI.
    """
    results: dict[str, CheckResult] = {}
    for prefix, db in (("pmid:", "pubmed"), ("pmcid:", "pmc")):
        ids = [k.removeprefix(prefix) for k in keys if k.startswith(prefix)]
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            numeric = [i.upper().removeprefix("PMC") for i in batch]
            query = {"db": db, "retmode": "json", "id": ",".join(numeric)}
            if endpoints.api_key:
                query["api_key"] = endpoints.api_key
            url = endpoints.eutils + "esummary.fcgi?" + urlencode(query)
            data, failure = _get_json(fetcher, url, deadline)
            for original, number in zip(batch, numeric, strict=True):
                key = prefix + original
                if failure is not None:
                    results[key] = CheckResult(key, failure.outcome, failure.status, failure.detail)
                    continue
                if not isinstance(data, dict):
                    continue
                entry = data.get("result", {}).get(number)
                if isinstance(entry, dict) and "error" not in entry:
                    results[key] = CheckResult(key, Outcome.working, 200)
                    for article_id in entry.get("articleids", []):
                        if dois_found is not None and article_id.get("idtype") == "doi":
                            dois_found[key] = str(article_id.get("value", ""))
                else:
                    results[key] = CheckResult(
                        key, Outcome.broken, 404, f"no {db} record {original}"
                    )
    return results
