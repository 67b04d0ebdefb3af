"""Figures of the whole network for pages outside the atlas (the home page).

The atlas counts them, with its statistics selectors and their cache, and registers its function
here in `AppConfig.ready()`; content reads them from here without knowing the atlas (ADR 0006:
two capabilities meet through the layer below them). Without a registered counter there are no
figures, and pages show none rather than counting differently."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NetworkFigures:
    """The head of the statistics page without filters."""

    partnerships: int
    german_municipalities: int
    partner_countries: int


_COUNTERS: list[Callable[[], NetworkFigures]] = []


def network_figures_register(counter: Callable[[], NetworkFigures]) -> None:
    """Called once by the atlas's ready(); a second counter would be a wiring mistake."""
    if counter not in _COUNTERS:
        _COUNTERS[:] = [counter]


def network_figures() -> NetworkFigures | None:
    return _COUNTERS[0]() if _COUNTERS else None
