"""Form fields several registry forms share."""

from __future__ import annotations

from django import forms

from ..validators import START_YEAR_MAX, START_YEAR_MIN, validate_start_year


def start_year_field(*, label, required: bool = False) -> forms.IntegerField:
    """A start year checked by the model's own rule (validators.py), with the same bounds for
    the browser's number input."""
    return forms.IntegerField(
        label=label,
        required=required,
        validators=[validate_start_year],
        widget=forms.NumberInput(attrs={"min": START_YEAR_MIN, "max": START_YEAR_MAX}),
    )
