"""Reading an import file in bounded memory, whatever its size.

Both importers read their file line by line through `LineReader` (csv.reader takes any iterable
of lines), so that only the current row is held, never the file: a 200 MB file used to take
gigabytes as bytes, then as text, then as a list of rows. Each line is decoded on its own, which
names the line of a byte that is not UTF-8 exactly (a newline byte never occurs inside a UTF-8
sequence), and of a NUL byte (which PostgreSQL cannot store in text). The checksum is taken
while reading.

`check_size()` refuses a file over `PARTNERPORTAL_IMPORT_MAX_BYTES` (environment variable
`IMPORT_MAX_BYTES`) before a line is read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, NoReturn

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .errors import ImportFileError

#: A longer line is refused: no real row comes near it, and it bounds what one line may hold.
MAX_LINE_BYTES = 1024 * 1024
BOM = b"\xef\xbb\xbf"

#: on_bad_encoding(raw line, position of the bad byte in it, line number, offset in the file)
BadEncoding = Callable[[bytes, int, int, int], NoReturn]


def check_size(path: Path) -> int:
    """The file's size in bytes; ImportFileError when it is over the limit."""
    size = path.stat().st_size
    limit = settings.PARTNERPORTAL_IMPORT_MAX_BYTES
    if size > limit:
        size_text, limit_text = filesizeformat(size), filesizeformat(limit)
        if size_text == limit_text:  # "1.2 KB" over "1.2 KB": say it in bytes
            size_text, limit_text = (_("%(count)s bytes") % {"count": n} for n in (size, limit))
        raise ImportFileError(
            _("The file is %(size)s; imports take at most %(limit)s (setting IMPORT_MAX_BYTES).")
            % {"size": size_text, "limit": limit_text}
        )
    return size


def count_lines(path: Path) -> int:
    """Lines in the file (for progress), counted in chunks."""
    count = 0
    last = b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


class LineReader:
    """The decoded lines of a binary file, each with its line ending (as csv.reader expects of
    a file opened with newline=""); the byte order mark is dropped; `line` is the number of the
    last line handed out and `sha256` covers every byte read so far."""

    def __init__(self, handle: BinaryIO, *, on_bad_encoding: BadEncoding) -> None:
        self._handle = handle
        self._on_bad_encoding = on_bad_encoding
        self.line = 0
        self.offset = 0
        self.sha256 = hashlib.sha256()

    def __iter__(self) -> Iterator[str]:
        while raw := self._handle.readline(MAX_LINE_BYTES + 1):
            if len(raw) > MAX_LINE_BYTES:
                raise ImportFileError(
                    _("The line is longer than %(limit)s.")
                    % {"limit": filesizeformat(MAX_LINE_BYTES)},
                    line=self.line + 1,
                )
            self.sha256.update(raw)
            self.line += 1
            start = len(BOM) if self.line == 1 and raw.startswith(BOM) else 0
            try:
                text = raw[start:].decode("utf-8")
            except UnicodeDecodeError as error:
                self._on_bad_encoding(
                    raw[start:], error.start, self.line, self.offset + start + error.start
                )
            if "\x00" in text:  # PostgreSQL stores no NUL in text, SQLite would: refuse on both
                raise ImportFileError(
                    _("The line contains a NUL byte, which no text may hold."), line=self.line
                )
            self.offset += len(raw)
            yield text

    def hexdigest(self) -> str:
        return self.sha256.hexdigest()
