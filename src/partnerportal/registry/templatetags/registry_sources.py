"""{% municipality_provenance municipality as source %} for the source line of a place."""

from django import template

from ..selectors.provenance import Provenance, municipality_provenance

register = template.Library()


@register.simple_tag(name="municipality_provenance")
def municipality_provenance_tag(municipality) -> Provenance:
    return municipality_provenance(municipality)
