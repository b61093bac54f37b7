"""The shapes of the registries' JSON answers as they document them, checked before any read.

A registry's answer is untrusted input: a compromised or broken registry, or a captive
portal, may answer anything. Each answer is parsed within a size and depth bound, then
checked against the documented shape below; an answer that does not fit is "could not be
read" and verifies nothing. Only a checked value is cast to its TypedDict and read.

Sources: E-utilities esummary 2.0 ``retmode=json`` (NCBI's Entrez Programming Utilities
Help, "ESummary"), Crossref REST API ``/works/{doi}`` (api.crossref.org swagger, "Work").
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TypedDict, cast

# Deeper than any documented answer (esummary nests 4 levels, Crossref 5) by a wide margin,
# and far below the depth at which Python's parser would exhaust the stack.
MAX_JSON_DEPTH = 32
# An answer is read whole; 200 PubMed summaries are rarely above 1 MB.
MAX_ANSWER_BYTES = 8_000_000

# A shape: ``str`` text, ``int`` a number, ``(str, int)`` either, ``[shape]`` a list of
# that shape, ``{key: shape}`` an object whose listed keys (when present) have those shapes.
# Keys a registry adds later are ignored; a listed key with another type is a wrong shape.
Shape = type | tuple[type, ...] | list["Shape"] | Mapping[str, "Shape"]

_DATE: Shape = {"date-parts": [[(int, type(None))]]}

ESUMMARY_DOC: Shape = {
    "uid": str,
    "error": str,
    "title": str,
    "source": str,
    "fulljournalname": str,
    "pubdate": str,
    "epubdate": str,
    "volume": str,
    "issue": str,
    "pages": str,
    "authors": [{"name": str, "authtype": str}],
    "articleids": [{"idtype": str, "value": str}],
    "references": [{"reftype": str, "pmid": (str, int)}],
    "pubtype": [str],
}
CROSSREF_WORK: Shape = {
    "DOI": str,
    "type": str,
    "title": [str],
    "short-container-title": [str],
    "container-title": [str],
    "published-print": _DATE,
    "published-online": _DATE,
    "issued": _DATE,
    "volume": str,
    "issue": str,
    "page": str,
    "author": [{"family": str, "given": str, "name": str}],
    "updated-by": [{"type": str, "source": str, "label": str, "DOI": str, "updated": _DATE}],
}


class EsummaryAuthor(TypedDict, total=False):
    """One author of a PubMed summary."""

    name: str
    authtype: str


class EsummaryId(TypedDict, total=False):
    """One of a summary's identifiers (pubmed, pmc, doi ...)."""

    idtype: str
    value: str


class EsummaryReference(TypedDict, total=False):
    """A CommentsCorrections link: "Retraction in", "Erratum in" ..."""

    reftype: str
    pmid: str | int


class EsummaryDoc(TypedDict, total=False):
    """One document summary of esummary 2.0 (PubMed or PMC)."""

    uid: str
    error: str
    title: str
    source: str
    fulljournalname: str
    pubdate: str
    epubdate: str
    volume: str
    issue: str
    pages: str
    authors: list[EsummaryAuthor]
    articleids: list[EsummaryId]
    references: list[EsummaryReference]
    pubtype: list[str]


# Crossref's keys are not identifiers ("date-parts", "updated-by"): the functional form.
CrossrefDate = TypedDict("CrossrefDate", {"date-parts": list[list[int | None]]}, total=False)


class CrossrefAuthor(TypedDict, total=False):
    """One contributor of a Crossref work."""

    family: str
    given: str
    name: str


class CrossrefUpdate(TypedDict, total=False):
    type: str
    source: str
    label: str
    DOI: str
    updated: CrossrefDate


CrossrefWork = TypedDict(
    "CrossrefWork",
    {
        "DOI": str,
        "type": str,
        "title": list[str],
        "short-container-title": list[str],
        "container-title": list[str],
        "published-print": CrossrefDate,
        "published-online": CrossrefDate,
        "issued": CrossrefDate,
        "volume": str,
        "issue": str,
        "page": str,
        "author": list[CrossrefAuthor],
        "updated-by": list[CrossrefUpdate],
    },
    total=False,
)


class UnreadableAnswerError(ValueError):
    """The answer is not what the registry documents; the message says what is wrong."""


def _kind(value: object) -> str:
    names = {str: "text", bool: "true/false", int: "a number", float: "a number"}
    names |= {list: "a list", dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _expected(shape: Shape) -> str:
    if isinstance(shape, list):
        return "a list"
    if isinstance(shape, Mapping):
        return "an object"
    if isinstance(shape, tuple):
        return " or ".join(_expected(s) for s in shape)
    return _kind(shape())


def _fits(value: object, shape: type | tuple[type, ...]) -> bool:
    kinds = shape if isinstance(shape, tuple) else (shape,)
    # bool is an int to Python, never to a registry's schema.
    return isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)


def shape_problem(value: object, shape: Shape, path: str) -> str | None:
    """Where ``value`` departs from ``shape`` (``title is a list, not text``), or None."""
    # An explicit stack, not recursion: the depth is bounded already, but this stays cheap.
    stack: list[tuple[object, Shape, str]] = [(value, shape, path)]
    while stack:
        item, expected, where = stack.pop()
        if isinstance(expected, list):
            if not isinstance(item, list):
                return f"{where} is {_kind(item)}, not {_expected(expected)}"
            stack += [(element, expected[0], f"{where}[{i}]") for i, element in enumerate(item)]
        elif isinstance(expected, Mapping):
            if not isinstance(item, dict):
                return f"{where} is {_kind(item)}, not {_expected(expected)}"
            stack += [(item[k], s, f"{where}.{k}") for k, s in expected.items() if k in item]
        elif not _fits(item, expected):
            return f"{where} is {_kind(item)}, not {_expected(expected)}"
    return None


def json_depth(data: object) -> int:
    """How deeply a parsed answer's arrays and objects nest (an explicit stack: no recursion)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth + 1)
            stack += [(child, depth + 1) for child in item if isinstance(child, (dict, list))]
    return deepest


def parse_answer(body: bytes, complete: bool = True) -> object:
    """JSON from a registry, within the size and depth bounds (else UnreadableAnswerError).

    The size is bounded before parsing. Python's parser is linear, and it refuses nesting past
    the interpreter's recursion limit with RecursionError; the bound on depth applies to what it
    returns. (A pre-scan of the raw bytes was tried: any regex over the strings is quadratic on
    an answer made of unterminated escapes.)
    """
    if not complete or len(body) > MAX_ANSWER_BYTES:
        raise UnreadableAnswerError(f"larger than {MAX_ANSWER_BYTES // 1_000_000} MB")
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise UnreadableAnswerError("not UTF-8") from None
    except RecursionError:
        raise UnreadableAnswerError(f"nested deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError as error:
        raise UnreadableAnswerError(f"not JSON ({str(error).split(':')[0]})") from None
    if json_depth(data) > MAX_JSON_DEPTH:
        raise UnreadableAnswerError(f"nested deeper than {MAX_JSON_DEPTH} levels")
    return data


def esummary_result(data: object) -> dict[str, object]:
    """The ``result`` object of an esummary answer (its documents are checked one by one)."""
    if problem := shape_problem(data, {"result": {"uids": [str]}}, "answer"):
        raise UnreadableAnswerError(problem)
    if not isinstance(data, dict) or "result" not in data:
        raise UnreadableAnswerError("answer has no result")
    return cast(dict[str, object], data["result"])


def esummary_doc(result: Mapping[str, object], uid: str) -> EsummaryDoc | None:
    """The document of ``uid``, checked; None when the answer has none for it."""
    doc = result.get(uid)
    if doc is None:
        return None
    if problem := shape_problem(doc, ESUMMARY_DOC, f"result.{uid}"):
        raise UnreadableAnswerError(problem)
    return cast(EsummaryDoc, doc)


def crossref_work(data: object) -> CrossrefWork:
    """The ``message`` of a Crossref ``/works/{doi}`` answer, checked."""
    if problem := shape_problem(data, {"message": CROSSREF_WORK}, "answer"):
        raise UnreadableAnswerError(problem)
    if not isinstance(data, dict) or not isinstance(data.get("message"), dict):
        raise UnreadableAnswerError("answer has no message")
    return cast(CrossrefWork, data["message"])


def crossref_items(data: object) -> dict[str, CrossrefWork]:
    """The works of a Crossref ``/works?filter=doi:…`` answer by DOI (lower case), checked.

    One unreadable work makes the whole answer unreadable: its DOI cannot be trusted, so no
    DOI the request asked for may be concluded absent from it.
    """
    shape: Shape = {"message": {"items": [CROSSREF_WORK]}}
    if problem := shape_problem(data, shape, "answer"):
        raise UnreadableAnswerError(problem)
    message = data.get("message") if isinstance(data, dict) else None
    items = message.get("items") if isinstance(message, dict) else None
    if not isinstance(items, list):
        raise UnreadableAnswerError("answer has no message.items")
    works: dict[str, CrossrefWork] = {}
    for index, item in enumerate(items):
        doi = item.get("DOI") if isinstance(item, dict) else None
        if not isinstance(doi, str) or not doi:
            raise UnreadableAnswerError(f"answer.message.items[{index}] has no DOI")
        works[doi.lower()] = cast(CrossrefWork, item)
    return works
