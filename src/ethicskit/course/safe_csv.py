"""The one CSV writer for everything the kit exports (roster, reports, the nbgrader export, the dashboard).

Spreadsheets run a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a
formula (``=HYPERLINK(...)``, ``=cmd|...``), and a leading tab or carriage
return hides such a cell from a quick look. Names, teams and flags come from
HR exports and learners' notebooks, so the kit follows OWASP's CSV-injection
guidance: a text cell that begins with one of those characters (after any
spaces, and their full-width forms) gets a leading single quote, which
spreadsheets show as plain text.

Numbers stay numbers. A numeric column is written as it is (a float like
``-0.5`` cannot carry a formula), and a text cell that is exactly a plain
number, such as ``-12`` or ``-0.75``, is left alone: no spreadsheet reads it
as anything but that number. Everything else that begins with ``-``, such as
``-1+1`` or ``-cmd``, is quoted.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
QUOTE = "'"
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def safe_cell(value):
    """``value`` made safe for a spreadsheet: risky text gets a leading single quote; anything else is unchanged.

    >>> [safe_cell(v) for v in ("=HYPERLINK(1)", "+1+1", "-cmd", "@SUM(A1)", "\\t=1", " =1", "Ann", "-12.5", -3)]
    ["'=HYPERLINK(1)", "'+1+1", "'-cmd", "'@SUM(A1)", "'\\t=1", "' =1", 'Ann', '-12.5', -3]
    """
    if not isinstance(value, str) or not value:
        return value
    if value[0] in "\t\r":
        return QUOTE + value
    stripped = value.lstrip(" ")
    if stripped[:1] in TRIGGERS and not PLAIN_NUMBER.match(stripped):
        return QUOTE + value
    return value


def safe_frame(frame):
    """A copy of a pandas DataFrame whose text cells (and column names) went through :func:`safe_cell`."""
    out = frame.copy()
    for column in out.columns:
        if not (out[column].dtype.kind in "biufcmM"):
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(str(c)) for c in out.columns]
    return out


def frame_csv(frame, out: Path | str | None = None) -> str | None:
    """Write a DataFrame as safe CSV to ``out`` (a path), or return the text when ``out`` is None."""
    safe = safe_frame(frame)
    if out is None:
        return safe.to_csv(index=False)
    safe.to_csv(out, index=False)
    return None


def rows_csv(rows, columns, out: Path | str) -> int:
    """Write dicts as safe UTF-8 CSV with ``columns``; returns the number of rows."""
    count = 0
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([safe_cell(c) for c in columns])
        for row in rows:
            writer.writerow([safe_cell(row.get(c)) for c in columns])
            count += 1
    return count
