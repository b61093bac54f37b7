"""Findings out, wired into Sphinx: warnings collected as data, findings emitted, the report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .report import check_severity_config, emit_findings, write_report
from .warning_log import collect_warnings

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_reporting(app: Sphinx) -> None:
    """Register the severity check, the warning collector, and the emitting of findings."""
    app.connect("config-inited", check_severity_config)
    app.connect("builder-inited", collect_warnings)
    # After the link check is judged (350), before the reports are written (500).
    app.connect("build-finished", emit_findings, priority=400)
    app.connect("build-finished", write_report)
