"""The registries as the build asks them: conf.py's endpoints, the same client and store.

A record fetched here is stored exactly as the build stores it, so the next build verifies
the new entry from the store without another request.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.application import Sphinx

from ..linkcheck.run import cache_path, endpoints_of, fetch_settings, wall_clock
from ..model.registry_record import Record
from ..model.targets import TRANSIENT, CheckResult, Target, TargetKind
from ..net.fetch import Fetcher
from ..net.store import Store
from ..verify.lookup import stored_record, verify_identifiers
from ..verify.registries import Endpoints

# How long one make cite may wait on the registries in all (NCBI at 3/s answers in seconds).
DEADLINE = 120.0


@dataclass
class Answers:
    """What the registries said of each identifier, and the records they hold."""

    results: dict[Target, CheckResult] = field(default_factory=dict)
    records: dict[Target, Record] = field(default_factory=dict)


@dataclass
class Registries:
    """The client, store and endpoints of one editor's command."""

    fetcher: Fetcher
    store: Store
    endpoints: Endpoints

    def ask(self, targets: Iterable[Target]) -> Answers:
        """Verify ``targets``, then every identifier their records list, each once.

        What the entry will give is verified now, so the next build asks nothing: a second
        round asks the listed PMCIDs (one PMC request for all) and DOIs (Crossref's notices).
        """
        answers = Answers()
        wanted = list(dict.fromkeys(targets))
        deadline = self.fetcher.settings.clock() + DEADLINE
        for _ in range(2):  # the given identifiers, then the ones their records list
            due = [t for t in wanted if t not in answers.results]
            if not due:
                break
            results = verify_identifiers(
                self.fetcher, self.store, due, [], self.endpoints, deadline
            )
            self.store.put_all(results.values())
            answers.results |= results
            now = self.store.clock()
            for target in due:
                if (record := stored_record(self.store, target, now)) is not None:
                    answers.records[target] = record
            wanted = list(dict.fromkeys([*wanted, *(t for r in answers.records.values()
                                                    for t in listed(r))]))  # fmt: skip
        return answers


def listed(record: Record) -> list[Target]:
    """The identifiers a record lists for its paper."""
    pairs = (
        (TargetKind.pmid, record.pmid),
        (TargetKind.pmcid, record.pmcid),
        (TargetKind.doi, record.doi),
    )
    return [Target.identifier(kind, value) for kind, value in pairs if value]


def unreachable(answers: Answers, targets: Iterable[Target]) -> list[CheckResult]:
    """The answers that were passing faults (no network, a registry down)."""
    return [
        r for t in targets if (r := answers.results.get(t)) is not None and r.outcome in TRANSIENT
    ]


@contextmanager
def registries(project: Path) -> Iterator[Registries]:
    """The registries as ``conf.py`` in ``project`` configures them for the build."""
    with tempfile.TemporaryDirectory() as scratch:
        app = Sphinx(
            srcdir=project / "docs",
            confdir=project,
            outdir=Path(scratch) / "out",
            doctreedir=Path(scratch) / "doctrees",
            buildername="dummy",
            status=None,
            warning=io.StringIO(),
            freshenv=True,
        )
        endpoints = endpoints_of(app.config)
        store = Store(cache_path(app), clock=wall_clock(app.config))
        fetcher = Fetcher(fetch_settings(app.config, endpoints))
        try:
            yield Registries(fetcher, store, endpoints)
        finally:
            fetcher.close()
            store.close()
