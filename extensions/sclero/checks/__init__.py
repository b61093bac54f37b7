"""The citation rules: each a small function from a citation to the findings it makes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from sphinx.config import Config

from ..model.records import Citation, Finding
from .context import CheckContext
from .dates import check_citation_dates, check_locators
from .identifiers import check_identifiers
from .journals import check_journal
from .placeholders import check_placeholders
from .required import check_required
from .text import check_text
from .urls import check_url

Rule = Callable[[Citation, CheckContext], Iterable[Finding]]

# Order matters only for the order of findings on one line.
RULES: tuple[Rule, ...] = (
    check_required,
    check_citation_dates,
    check_locators,
    check_identifiers,
    check_url,
    check_journal,
    check_text,
    check_placeholders,
)


def context_from_config(config: Config) -> CheckContext:
    """The rules' settings, read from ``conf.py``."""
    today = config.sclero_today
    return CheckContext(
        today=date.fromisoformat(today) if today else date.today(),
        pmid_max=config.sclero_pmid_max,
    )


def check_citation(citation: Citation, config: Config) -> list[Finding]:
    """Every finding of every single-citation rule, in rule order."""
    ctx = context_from_config(config)
    return [finding for rule in RULES for finding in rule(citation, ctx)]
