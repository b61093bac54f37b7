"""What readers are told about an entry's identifiers: verified, not yet, under review, or none."""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Mapping
from dataclasses import MISSING, asdict, dataclass, fields
from typing import Any

from .evidence import StudyKind
from .registry_record import Notice, NoticeKind


class VerificationState(enum.StrEnum):
    """What is known of an entry's identifiers (also the CSS class of its line)."""

    verified = "verified"  # a registry's record matched the entry
    unverified = "unverified"  # not yet: no answer in time, or an outage
    mismatch = "mismatch"  # a record names another paper
    none = "none"  # the entry gives no identifier


@dataclass(frozen=True)
class Verification:
    """The reader-facing state of one entry (compared between builds to rewrite pages)."""

    state: VerificationState
    against: str = ""  # "PubMed", "Crossref", "PMC", "doi.org"
    on: str = ""  # the day the registry answered, ISO
    authors: str = ""  # as NLM lists them: up to six, then "et al.", from the record
    authors_from: str = ""
    notices: tuple[Notice, ...] = ()
    author_names: tuple[str, ...] = ()  # every name the record gives (at most MAX_AUTHORS)
    study: str = ""  # a StudyKind value, from the matched records' indexing, or ""
    recorded: bool = False  # a registry record matched (not only "registered at doi.org")

    def to_json(self) -> dict[str, object]:
        """The verification as kept between builds (net/memo.py)."""
        # Field by field: dataclasses.asdict's deep copy was most of a full build's cost here.
        return {"state": self.state, "against": self.against, "on": self.on,
                "authors": self.authors, "authors_from": self.authors_from,
                "notices": [asdict(n) for n in self.notices],
                "author_names": list(self.author_names), "study": self.study,
                "recorded": self.recorded}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Verification:
        """A verification read back (raises on a key or state this version does not know)."""
        if not data.keys() <= _DEFAULTS.keys():
            raise TypeError(f"unknown fields {sorted(data.keys() - _DEFAULTS.keys())}")
        values = {**_DEFAULTS, **data}
        values["state"] = _STATES[data["state"]]
        values["notices"] = tuple(Notice.from_json(n) for n in data["notices"])
        values["author_names"] = tuple(str(n) for n in data.get("author_names", ()))
        # A kept row is untrusted (the store is a file CI restores): refuse what would fail
        # later, where it is read for a page.
        if not all(isinstance(values[name], str) for name in _TEXT_FIELDS):
            raise TypeError("a text field of a kept verification is not text")
        if values["study"] and values["study"] not in _STUDIES:
            raise ValueError(f"unknown kind of study {values['study']!r}")
        if not isinstance(values["recorded"], bool):
            raise TypeError("'recorded' of a kept verification is not true or false")
        # Set directly: a large site reads tens of thousands back on every build, and a
        # frozen dataclass's init sets its fields one by one.
        verification = object.__new__(cls)
        verification.__dict__.update(values)
        return verification

    @property
    def retracted(self) -> bool:
        """The entry's article was retracted or withdrawn."""
        return any(n.kind is NoticeKind.retraction for n in self.notices)

    def line(self) -> str:
        """``Verified against PubMed, 2026-11-20``, or why not."""
        if self.state == VerificationState.verified:
            return f"Verified against {self.against}, {self.on}"
        if self.state == VerificationState.unverified:
            return "Identifier not yet verified"
        if self.state == VerificationState.mismatch:
            return "Identifier under review: its record names another paper"
        return "No identifier"


_DEFAULTS: dict[str, Any] = {
    f.name: f.default for f in fields(Verification) if f.default is not MISSING
} | {"state": None}
_STATES = {state.value: state for state in VerificationState}
_TEXT_FIELDS = ("against", "on", "authors", "authors_from", "study")
_STUDIES = frozenset(kind.value for kind in StudyKind)


def page_digest(kept: Mapping[str, Any]) -> str:
    """A digest of a page's verification as kept (anchor -> ``to_json``), to tell a change.

    The environment keeps this, not every entry's verification: it is read back on every
    build.
    """
    text = json.dumps(kept, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:24]
