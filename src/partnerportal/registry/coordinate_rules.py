"""The rules of the coordinate check that an edit form needs (Municipality.clean) as well as
the check itself (services.coordinates): what the refusal says, and whether staff kept a
place's coordinates in the review queue. A leaf of the registry: the model calls it, so it
imports no model (the review item is looked up through the app registry)."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from partnerportal.core.i18n import name_field
from partnerportal.geo.models import Country
from partnerportal.geo.outlines import CountryFit, country_fit
from partnerportal.geo.services import country_defaults


def coordinates_review_key(municipality_pk: int) -> str:
    return f"coordinates:{municipality_pk}"


#: Coordinates compared with those of a review item: equal when this close (JSON keeps floats
#: exactly; the margin only absorbs a form's decimal rounding).
SAME_DEGREES = 1e-7


def _same_point(raw: dict, latitude: float | None, longitude: float | None) -> bool:
    lat, lng = raw.get("latitude"), raw.get("longitude")
    if None in (lat, lng, latitude, longitude):
        return False
    try:
        return (
            abs(float(lat) - latitude) <= SAME_DEGREES
            and abs(float(lng) - longitude) <= SAME_DEGREES
        )
    except (TypeError, ValueError):
        return False


def _kept(item, latitude: float | None, longitude: float | None) -> bool:
    """Whether staff settled `item` keeping exactly these coordinates: they kept them ("keep as
    they are") or dismissed the item, and the place has not moved since. An item resolved with
    other coordinates does not count: staff found these wrong."""
    ReviewItem = apps.get_model("registry", "ReviewItem")
    if item is None or item.kind != ReviewItem.Kind.COORDINATES:
        return False
    raw = item.raw if isinstance(item.raw, dict) else {}
    if item.status == ReviewItem.Status.DISMISSED:
        settled = True
    else:
        settled = item.status == ReviewItem.Status.RESOLVED and bool(raw.get("kept"))
    return settled and _same_point(raw, latitude, longitude)


def coordinates_kept(municipality_pk: int | None, latitude, longitude) -> bool:
    """Whether staff kept these coordinates for this place in the review queue."""
    if municipality_pk is None:
        return False
    item = (
        apps.get_model("registry", "ReviewItem")
        .objects.filter(key=coordinates_review_key(municipality_pk))
        .first()
    )
    return _kept(item, latitude, longitude)


def _country_name(code: str) -> str:
    """The country's name in the active language: its row, else ISO 3166's names (a country no
    place of the registry lies in yet has no row)."""
    name = Country.objects.filter(pk=code).values_list(name_field(), flat=True).first()
    if name:
        return name
    try:
        return country_defaults(code)[name_field()] or code
    except LookupError:
        return code


def _misfit_text(fit: CountryFit, country_id: str) -> str:
    """Where the coordinates lie, naming the countries (not their ISO codes)."""
    country = _country_name(country_id)
    if fit.lies_in:
        return _("The coordinates lie in %(other)s, not in %(country)s.") % {
            "other": _country_name(fit.lies_in),
            "country": country,
        }
    if fit.distance_km == float("inf") or fit.distance_km > 500:
        return _("The coordinates lie more than 500 km outside %(country)s.") % {"country": country}
    return _("The coordinates lie %(km)s km outside %(country)s.") % {
        "km": f"{fit.distance_km:.0f}",
        "country": country,
    }


def coordinates_refusal(
    *, latitude: float | None, longitude: float | None, country_id: str
) -> ValidationError | None:
    """The error an edit form shows for coordinates outside the country, else None: one
    sentence where they lie, one what to do."""
    if latitude is None or longitude is None or not country_id:
        return None
    fit = country_fit(latitude, longitude, country_id)
    if not fit.misplaced:
        return None
    message = f"{_misfit_text(fit, country_id)} {_('Please check latitude and longitude.')}"
    return ValidationError(message, code="outside_country")
