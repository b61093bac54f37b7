"""``link-report.json``: every occurrence of every external link, with its outcome."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..content.domain import sclero_domain
from ..model.jsontext import report_text

if TYPE_CHECKING:
    from sphinx.application import Sphinx

REPORT_NAME = "link-report.json"


def write_link_report(app: Sphinx, exception: Exception | None) -> None:
    """Write the report beside the site (build-finished)."""
    if exception is not None:
        return
    state = sclero_domain(app.env).build
    data = {
        "mode": state.link_summary.get("mode", "offline"),
        "requests": state.link_summary.get("requests", 0),
        "checked": state.link_summary.get("checked", 0),
        "occurrences": state.link_rows,
    }
    (Path(app.outdir) / REPORT_NAME).write_text(report_text(data), encoding="utf-8")
