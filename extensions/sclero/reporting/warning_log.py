"""Every warning of a build kept as data (file, line, type, message), for the JSON report.

Pull-request mode reads these from ``citation-report.json`` and never parses warning text:
text can be forged by anything a page contains, a record cannot.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.logging import get_node_location, is_suppressed_warning

from ..content.domain import sclero_domain
from ..model.report_schema import LoggedWarning
from .terminal import install_one_line_filter, one_line

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class WarningCollector(logging.Handler):
    """Records warnings of every type but ours (ours are findings already)."""

    def __init__(self, app: Sphinx, into: list[LoggedWarning]) -> None:
        """Collect into ``into``; ``suppress_warnings`` is honoured as Sphinx honours it."""
        super().__init__(logging.WARNING)
        self.app = app
        self.warnings = into

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record's place and text (already one line: see terminal.py)."""
        kind = getattr(record, "type", "") or ""
        subtype = getattr(record, "subtype", "") or ""
        if kind == "sclero" or is_suppressed_warning(
            kind, subtype, self.app.config.suppress_warnings
        ):
            return
        path, line = self._where(getattr(record, "location", None))
        message = record.getMessage()
        rule = f"{kind}.{subtype}" if kind and subtype else kind or "sphinx"
        suffix = f" [{rule}]"
        # Sphinx's translator may have appended the type already: keep the bare message.
        message = message.removesuffix(suffix)
        self.warnings.append(LoggedWarning(path, line, rule, one_line(message)))

    def _where(self, location: object) -> tuple[str, int]:
        if isinstance(location, tuple) and len(location) == 2:
            docname, lineno = location
            path = str(self.app.env.doc2path(docname)) if docname else ""
            return path, int(lineno or 0)
        if isinstance(location, nodes.Node):
            location = get_node_location(location)
        if isinstance(location, str) and location:
            path, _, line = location.rpartition(":")
            if path and line.isdigit():
                return os.path.abspath(path), int(line)
            return location, 0
        return "", 0


def collect_warnings(app: Sphinx) -> None:
    """Install the one-line filter and the collector (builder-inited)."""
    install_one_line_filter()
    logger = logging.getLogger("sphinx")
    for handler in logger.handlers:
        if isinstance(handler, WarningCollector):
            logger.removeHandler(handler)  # a second build in one process starts afresh
    logger.addHandler(WarningCollector(app, sclero_domain(app.env).build.reporting.logged_warnings))
