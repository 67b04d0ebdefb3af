"""The data sets the registry is built from, named as people know them, with publisher and
licence: what a page says under "Source" instead of a file name (issue 10). The names are
translated; the licence names are the licences' own."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, slots=True)
class DataSource:
    key: str
    name: Promise | str
    publisher: Promise | str
    url: str
    licence: Promise | str
    licence_short: str
    licence_url: str


DESTATIS = DataSource(
    key="destatis",
    name=_("Municipality directory (Gemeindeverzeichnis, GV-ISys)"),
    publisher=_("Federal Statistical Office (Destatis)"),
    url="https://www.destatis.de/DE/Themen/Laender-Regionen/Regionales/Gemeindeverzeichnis/_inhalt.html",
    licence=_("Data licence Germany – attribution – version 2.0"),
    licence_short="dl-de/by-2-0",
    licence_url="https://www.govdata.de/dl-de/by-2-0",
)
GEONAMES = DataSource(
    key="geonames",
    name=_("GeoNames gazetteer"),
    publisher="GeoNames",
    url="https://www.geonames.org/",
    licence="Creative Commons Attribution 4.0",
    licence_short="CC BY 4.0",
    licence_url="https://creativecommons.org/licenses/by/4.0/",
)
WIKIPEDIA_TWIN_TOWNS = DataSource(
    key="wikipedia",
    name=_("Lists of twin towns and sister cities"),
    publisher=_("Wikipedia (English)"),
    url="https://en.wikipedia.org/wiki/Lists_of_twin_towns_and_sister_cities",
    licence="Creative Commons Attribution-ShareAlike 4.0",
    licence_short="CC BY-SA 4.0",
    licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
)

SOURCES: dict[str, DataSource] = {s.key: s for s in (DESTATIS, GEONAMES, WIKIPEDIA_TWIN_TOWNS)}
