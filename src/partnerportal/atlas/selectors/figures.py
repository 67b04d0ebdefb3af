"""The network's figures for the home page (registry/figures.py), from the statistics selectors."""

from __future__ import annotations

from partnerportal.registry.figures import NetworkFigures
from partnerportal.registry.selectors.public import PartnershipFilters

from .statistics import network_statistics


def network_figures() -> NetworkFigures:
    """The head of the unfiltered statistics page: the same cached figures, so the home page and
    the statistics never disagree."""
    head = network_statistics(PartnershipFilters()).summary
    return NetworkFigures(
        partnerships=head.partnerships,
        german_municipalities=head.german_municipalities,
        partner_countries=head.partner_countries,
    )
