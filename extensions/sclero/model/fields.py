r"""Reading citation field values: ISO dates and page ranges (one definition of each).

Patterns use ``[0-9]``, not ``\d``: Python's ``\d`` also matches fullwidth and
Arabic-Indic digits, which would let "２０１９" pass as a year.
"""

from __future__ import annotations

import calendar
import re

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# YYYY, YYYY-MM or YYYY-MM-DD; the calendar is checked by checks/dates.py.
ISO_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
# A page or e-locator (e4912, S12) and a range of them (433-438, elided 106-13).
PAGE = r"([A-Za-z]{0,2})([0-9]+)"
PAGE_RANGE = re.compile(rf"{PAGE}-{PAGE}")


def date_parts(value: str | None) -> list[int]:
    """``2018-06-01`` as ``[2018, 6, 1]``; ``[]`` for anything that is not an ISO date."""
    match = ISO_DATE.fullmatch(value or "")
    return [int(g) for g in match.groups() if g] if match else []


def page_range(pages: str | None) -> tuple[str, str] | None:
    """The first and last page of a range as written (``e1``, ``e9``), else None."""
    match = PAGE_RANGE.fullmatch(pages or "")
    if not match:
        return None
    return match.group(1) + match.group(2), match.group(3) + match.group(4)


def first_page(pages: str | None) -> str:
    """The first page of ``pages`` (a single page, or the start of a range), else ``""``."""
    value = (pages or "").strip()
    if span := page_range(value):
        return span[0]
    return value if re.fullmatch(PAGE, value) else ""


NUMERIC_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")


def numeric_readings(value: str) -> list[str]:
    """The ISO dates a numeric ``07/25/2019`` can mean: month first, then day first.

    One reading when only one is a calendar date (or both are the same); two when the date
    reads both ways (``03/11/2016``); none when neither is a date.
    """
    match = NUMERIC_DATE.fullmatch(value)
    if not match:
        return []
    first, second, year = (int(g) for g in match.groups())
    readings: list[str] = []
    for month, day in ((first, second), (second, first)):
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
            reading = f"{year:04d}-{month:02d}-{day:02d}"
            if reading not in readings:
                readings.append(reading)
    return readings
