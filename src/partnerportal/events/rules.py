"""Rules of the formats that services and pages share (issue 12).

Regional conferences invite from the partner side only municipalities of countries on the OECD
DAC list of ODA recipients (the seed page: "nur die Länder angesprochen, die offiziell
Entwicklungshilfegelder empfangen"). German municipalities are the host side and always
admissible."""

from __future__ import annotations

from django.utils.translation import gettext as _

GERMANY = "DE"


def partner_municipality_admissible(event, municipality) -> tuple[bool, str]:
    """(True, "") when `municipality` may be invited to `event`, else (False, the reason in the
    active language). Reads the municipality's country (one query unless it is selected)."""
    series = event.series
    if series is None or not series.oda_recipients_only:
        return True, ""
    if municipality.country_id == GERMANY:
        return True, ""
    country = municipality.country
    if country.oda_recipient:
        return True, ""
    return False, _(
        "%(municipality)s cannot be invited: %(series)s invites partner municipalities only from "
        "countries on the DAC list of ODA recipients, and %(country)s is not on it."
    ) % {"municipality": municipality.name, "series": series.name, "country": country.name}
