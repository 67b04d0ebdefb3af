"""Single values of an import row, read the same way by both importers: coordinates and the
parts of a place's name."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from .errors import ImportFileError


def _bound(value: float) -> str:
    return f"{value:g}".replace("-", "−")


def coordinate(
    value: str,
    *,
    line: int,
    field: str,
    low: float,
    high: float,
    required: bool = False,
    decimal_comma: bool = False,
) -> float | None:
    """The coordinate in `value`, within low…high (the world, or a country's box); None when
    the cell is empty and the coordinate not required. Destatis writes a decimal comma."""
    text = value.strip()
    if not text and not required:
        return None
    try:
        number = float(text.replace(",", ".") if decimal_comma else text)
    except ValueError:
        raise ImportFileError(
            _("“%(value)s” is not a coordinate.") % {"value": text}, line=line, field=field
        ) from None
    if math.isnan(number) or not low <= number <= high:
        raise ImportFileError(
            _("%(value)s lies outside %(low)s…%(high)s.")
            % {"value": text, "low": _bound(low), "high": _bound(high)},
            line=line,
            field=field,
        )
    return number


def name_and_suffix(official: str) -> tuple[str, str]:
    """What follows the first comma qualifies the name and may itself hold commas:
    "Flensburg, Stadt" -> ("Flensburg", "Stadt"), "Friedberg, Hesse" -> ("Friedberg", "Hesse")."""
    name, _sep, suffix = official.partition(",")
    return name.strip(), suffix.strip()


def name_and_hint(name: str) -> tuple[str, str | None]:
    """The name without its qualifiers, and what a trailing bracket says (a parent place or a
    kind): "Porz (Cologne)" -> ("Porz", "Cologne"), "Friedberg, Hesse" -> ("Friedberg", None)."""
    base, hint = name, None
    if name.endswith(")") and "(" in name:
        base, hint = name[: name.rindex("(")].strip(), name[name.rindex("(") + 1 : -1].strip()
    return name_and_suffix(base)[0], hint
