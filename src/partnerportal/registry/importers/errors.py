"""The error every file importer raises for bad input, so that commands can name the line and
the field in one clear message and nothing is half-imported."""

from __future__ import annotations

from django.utils.translation import gettext as _


class ImportFileError(Exception):
    """A file that cannot be imported: where (line, field) and why (message).

    ``line`` is the 1-based physical line of the file (the header is line 1); ``field`` is the
    column name as the file spells it, or empty when the whole line or file is at fault."""

    def __init__(self, message: str, *, line: int | None = None, field: str = "") -> None:
        self.message = message
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is not None and self.field:
            return _("Line %(line)s, field “%(field)s”: %(message)s") % {
                "line": self.line,
                "field": self.field,
                "message": self.message,
            }
        if self.line is not None:
            return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


class NothingToImport(ImportFileError):
    """A file with its header and no rows: refused, so that no empty import run is recorded."""

    def __init__(self) -> None:
        super().__init__(_("The file holds only its header row: nothing to import."))


def check_length(value: str, model, field_name: str, *, line: int, column: str) -> str:
    """The value, if it fits the model field it is stored in; refused with line and column
    otherwise (SQLite would store it whole, PostgreSQL would fail with a raw DataError)."""
    limit = model._meta.get_field(field_name).max_length
    if len(value) > limit:
        raise ImportFileError(
            _("The value has %(length)s characters; at most %(limit)s are allowed.")
            % {"length": len(value), "limit": limit},
            line=line,
            field=column,
        )
    return value
