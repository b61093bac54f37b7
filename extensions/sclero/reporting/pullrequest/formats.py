"""CI outputs: GitHub workflow commands, a Markdown job summary, SARIF 2.1.0 and JUnit XML."""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree import ElementTree

from ...model.rules import SUBTYPES, WARNING_TYPE
from ..terminal import one_line, xml_safe
from .findings import CiFinding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _escape_data(text: str) -> str:
    """GitHub's escaping of a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """GitHub's escaping of a workflow command's property value."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(finding: CiFinding, failing: bool) -> str:
    """The workflow command of a finding: error or warning when it fails, else notice."""
    if not failing:
        return "notice"
    return "warning" if finding.severity == "warning" else "error"


def github_annotations(errors: Iterable[CiFinding], notices: Iterable[CiFinding]) -> str:
    """``::error file=...,line=...,title=...::message`` lines, failing ones first."""
    lines = []
    for failing, findings in ((True, errors), (False, notices)):
        for f in findings:
            kind = _command(f, failing)
            props = [f"file={_escape_property(f.path)}"]
            if f.line:
                props.append(f"line={f.line}")
            props.append(f"title={_escape_property(f.rule)}")
            lines.append(f"::{kind} {','.join(props)}::{_escape_data(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def plain_lines(errors: Iterable[CiFinding], notices: Iterable[CiFinding]) -> str:
    """``path:line: error: message [rule]``, one line each, for a terminal."""
    lines = []
    for failing, findings in ((True, errors), (False, notices)):
        for f in findings:
            where = f"{f.path}:{f.line}" if f.line else f.path
            lines.append(one_line(f"{where}: {_command(f, failing)}: {f.message} [{f.rule}]"))
    return "\n".join(lines) + ("\n" if lines else "")


def _markdown(text: str) -> str:
    """A table cell: one line, no HTML, no column break."""
    return one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|")


def _help(rule: str) -> str:
    subtype = rule.removeprefix(f"{WARNING_TYPE}.")
    for candidate, info in SUBTYPES.items():
        if candidate.value == subtype and rule.startswith(f"{WARNING_TYPE}."):
            return info.fix
    return ""


# Not verified because of the network or a registry (DNS, timeouts, 429, 5xx): never the
# change's fault, and nothing to act on in it.
OUTAGE_RULES = frozenset({f"{WARNING_TYPE}.link_transient", f"{WARNING_TYPE}.unverified"})


def outage_text(count: int) -> str:
    """``; 17 links or identifiers not verified (network or server faults)`` or nothing."""
    if not count:
        return ""
    what = "link or identifier" if count == 1 else "links or identifiers"
    return f"; {count} {what} not verified (network or server faults, never held against it)"


def markdown_summary(errors: list[CiFinding], notices: list[CiFinding], outages: int = 0) -> str:
    """The job summary: what to fix in this change, then what was already there."""
    out = ["## Citation and link check", ""]
    if errors:
        out += [f"**{len(errors)} problem(s) in lines this pull request changed** (fix these):", ""]
        out += ["| where | rule | problem | how to fix |", "| --- | --- | --- | --- |"]
        for f in errors:
            cells = [f"`{_markdown(f.path)}:{f.line}`", f"`{f.rule}`", _markdown(f.message),
                     _markdown(_help(f.rule))]  # fmt: skip
            out.append("| " + " | ".join(cells) + " |")
    else:
        out.append("No problems in the lines this pull request changed.")
    if notices:
        out += ["", f"<details><summary>{len(notices)} notice(s): notes, and problems on lines "
                "this change did not touch (they do not fail the check)</summary>", ""]  # fmt: skip
        out += [f"- `{_markdown(f.path)}:{f.line}` `{f.rule}`: {_markdown(f.message)}"
                for f in notices]  # fmt: skip
        out += ["", "</details>"]
    if outages:
        out += ["", outage_text(outages).removeprefix("; ").capitalize() + "."]
    return "\n".join(out) + "\n"


def sarif(errors: list[CiFinding], notices: list[CiFinding]) -> dict[str, object]:
    """A SARIF 2.1.0 log: one run, one rule per rule id used, one result per occurrence."""
    rules: dict[str, dict[str, object]] = {}
    results = []
    for failing, findings in ((True, errors), (False, notices)):
        for f in findings:
            level = {"error": "error", "warning": "warning"}.get(f.severity, "note")
            level = level if failing else "note"
            if f.rule not in rules:
                subtype = f.rule.removeprefix(f"{WARNING_TYPE}.")
                info = next((i for s, i in SUBTYPES.items() if s.value == subtype), None)
                rule: dict[str, object] = {"id": f.rule}
                if info is not None and f.rule.startswith(f"{WARNING_TYPE}."):
                    rule["shortDescription"] = {"text": info.meaning}
                    rule["help"] = {"text": info.fix}
                rules[f.rule] = rule
            region = {"startLine": f.line} if f.line else {}
            location: dict[str, object] = {
                "artifactLocation": {"uri": f.path, "uriBaseId": "%SRCROOT%"}
            }
            if region:
                location["region"] = region
            results.append(
                {
                    "ruleId": f.rule,
                    "level": level,
                    "message": {"text": one_line(f.message)},
                    "locations": [{"physicalLocation": location}],
                }
            )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "sclero",
                        "informationUri": "https://www.sphinx-doc.org/",
                        "rules": list(rules.values()),
                    }
                },
                "results": results,
            }
        ],
    }


def junit(errors: list[CiFinding], notices: list[CiFinding]) -> str:
    """JUnit XML: a failing test case per error, a skipped one per notice."""
    suite = ElementTree.Element(
        "testsuite",
        name="sclero",
        tests=str(len(errors) + len(notices)),
        failures=str(len(errors)),
        skipped=str(len(notices)),
        errors="0",
    )
    # Every text through xml_safe: XML 1.0 forbids most control characters, and ElementTree
    # writes them as they are, which no JUnit reader accepts.
    for f in errors + notices:
        path, message, rule = xml_safe(one_line(f.path)), xml_safe(one_line(f.message)), f.rule
        case = ElementTree.SubElement(
            suite, "testcase", classname=path, name=f"{path}:{f.line} {rule}"
        )
        if f in errors:
            failure = ElementTree.SubElement(case, "failure", message=message, type=rule)
            failure.text = f"{path}:{f.line}: {message}"
        else:
            ElementTree.SubElement(case, "skipped", message=f"notice: {message}")
    ElementTree.indent(suite)
    return ElementTree.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
