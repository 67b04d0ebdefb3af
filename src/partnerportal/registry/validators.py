"""The registry's rules for single values, kept on the model so that every way in (forms, list
filters, the API, the importers, the services) refuses the same values with the same words."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: The years a partnership may have started in. The importer reads historical lists (the
#: oldest town friendships are medieval), and a start a few decades ahead is a typing error.
START_YEAR_MIN = 1000
START_YEAR_MAX = 2100


def validate_start_year(value: int | None) -> None:
    """A start year within START_YEAR_MIN…START_YEAR_MAX (empty means unknown)."""
    if value is None:
        return
    if not START_YEAR_MIN <= value <= START_YEAR_MAX:
        raise ValidationError(
            _("The start year must lie between %(min)s and %(max)s."),
            code="start_year_range",
            params={"min": START_YEAR_MIN, "max": START_YEAR_MAX, "value": value},
        )
