"""Contributor text made safe where it meets a terminal, a CI log, JUnit or SARIF: one line.

A line break in a CI log starts a new line that GitHub reads for workflow commands
(``::error::``); a control character makes XML ill-formed. Every such character is written
as a visible escape instead, so the text stays readable and stays on its line.
"""

from __future__ import annotations

import logging
import unicodedata

# XML 1.0 allows these control characters; every other C0 character is forbidden.
_XML_ALLOWED_CONTROLS = "\t\n\r"


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def one_line(text: str) -> str:
    r"""``text`` with line breaks, control and format characters escaped (``\x0a``)."""
    return "".join(
        _escape(ch) if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs") else ch
        for ch in text
    )


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 forbids escaped (well-formed for any input)."""
    out = []
    for ch in text:
        code = ord(ch)
        forbidden = (
            (code < 0x20 and ch not in _XML_ALLOWED_CONTROLS)
            or 0xD800 <= code <= 0xDFFF
            or code in (0xFFFE, 0xFFFF)
        )
        out.append(_escape(ch) if forbidden else ch)
    return "".join(out)


# The longest message a terminal or CI log gets: docutils and MyST quote an option's whole
# value in their errors, and a pull request may write a megabyte there.
MAX_MESSAGE = 2_000


def shortened(text: str) -> str:
    """``text`` cut to about ``MAX_MESSAGE`` characters, its start and end (the rule) kept."""
    if len(text) <= MAX_MESSAGE:
        return text
    head, tail = text[: MAX_MESSAGE - 400], text[-300:]
    return f"{head} … [{len(text) - len(head) - len(tail):,} characters left out] … {tail}"


class OneLineFilter(logging.Filter):
    """Keeps every message Sphinx logs on one line (MyST quotes option values raw)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the message with its line breaks escaped; never drops a record."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a message that cannot be formatted is left to its handler
        # A single final newline is how some callers end a line; keep that one.
        body, end = (message[:-1], "\n") if message.endswith("\n") else (message, "")
        if len(body) > MAX_MESSAGE:
            body = shortened(body)
            record.msg, record.args = body + end, ()
        # isprintable() is False for every Cc, Cf, Zl and Zp character: a C-speed test
        # first, as a build logs thousands of messages.
        if not body.isprintable() and any(
            unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in body
        ):
            record.msg, record.args = one_line(body) + end, ()
        return True


def install_one_line_filter() -> None:
    """Add the filter to every handler of Sphinx's logger (set up before extensions load)."""
    for handler in logging.getLogger("sphinx").handlers:
        if not any(isinstance(f, OneLineFilter) for f in handler.filters):
            # First: later filters (the warning translator) append to the message.
            handler.filters.insert(0, OneLineFilter())
