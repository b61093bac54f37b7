"""``link-report.json``: every occurrence of every external link, with its outcome."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..content.domain import sclero_domain
from ..model.jsontext import report_text
from ..model.report_schema import LINK_REPORT_NAME, LinkReportJSON, LinkRowJSON
from .run import LinkState

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def write_link_report(app: Sphinx, exception: Exception | None) -> None:
    """Write the report beside the site (build-finished)."""
    if exception is not None:
        return
    state = sclero_domain(app.env).build.part(LinkState)
    data: LinkReportJSON = {
        "mode": state.summary.mode,
        "requests": state.summary.requests,
        "checked": state.summary.checked,
        # Rows are kept encoded (jsontext.EncodedList): each is one LinkRowJSON already.
        "occurrences": cast(list[LinkRowJSON], state.rows),
    }
    (Path(app.outdir) / LINK_REPORT_NAME).write_text(report_text(data), encoding="utf-8")
