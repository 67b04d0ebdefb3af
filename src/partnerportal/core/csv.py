"""Every CSV file we write goes through `writer()`: cells that a spreadsheet would run as a
formula are written as text.

A cell beginning with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some
programs strip before they look) is a formula to Excel, LibreOffice and Google Sheets, whatever
the file's author meant: a place name like ``=HYPERLINK(...)`` typed into the registry would run
on the computer of whoever opens the export. Such a cell is written with a leading apostrophe,
which spreadsheets show as text and do not display (OWASP, "CSV Injection"). Numbers stay numbers:
``-12.5`` (a coordinate) is a number to a spreadsheet, not a formula, and is written as it is.

`unescape_cell()` undoes `escape_cell()` exactly, so that a file we wrote reads back without loss
(the twin towns import reads the registry's own export). To keep that exact, a text that begins
with an apostrophe followed by what would itself be escaped gets one more apostrophe.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _needs_escape(text: str) -> bool:
    if not text:
        return False
    if text[0] == ESCAPE:
        return _needs_escape(text[1:])
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)


def escape_cell(value: Any) -> Any:
    """The value as it may go into a CSV cell: numbers and harmless text unchanged."""
    if isinstance(value, str) and _needs_escape(value):
        return ESCAPE + value
    return value


def unescape_cell(text: str) -> str:
    """The text `escape_cell()` was given: the apostrophe it added is removed, nothing else."""
    if text.startswith(ESCAPE) and _needs_escape(text[1:]):
        return text[1:]
    return text


class SafeWriter:
    """csv.writer with every cell passed through escape_cell(); writerow() returns what the
    underlying file's write() returned (a streaming response uses that)."""

    def __init__(self, file, **kwargs) -> None:
        self._writer = csv.writer(file, **kwargs)

    @property
    def dialect(self):
        return self._writer.dialect

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([escape_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(file, **kwargs) -> SafeWriter:
    """Use this instead of csv.writer for any CSV that leaves the application."""
    return SafeWriter(file, **kwargs)
