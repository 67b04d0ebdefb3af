"""A small registry for the API's tests: German and foreign places, pairs with and without a
German side, one with no coordinates on a side, one unconfirmed proposal."""

import pytest

from partnerportal.registry.models import (
    ContactPerson,
    Municipality,
    PartnershipStatus,
    PartnershipType,
)
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)


@pytest.fixture
def open_data(db) -> dict:
    koeln = MunicipalityFactory(
        name="Köln",
        ags="05315000",
        state="Nordrhein-Westfalen",
        latitude=50.94,
        longitude=6.96,
        destatis=True,
    )
    leipzig = MunicipalityFactory(
        name="Leipzig",
        ags="14713000",
        state="Sachsen",
        latitude=51.34,
        longitude=12.37,
        destatis=True,
    )
    kreis = MunicipalityFactory(
        name="Paderborn",
        ags="05774000",
        state="Nordrhein-Westfalen",
        kind=Municipality.Kind.KREIS,
        source=Municipality.Source.DESTATIS,
    )
    lima = ForeignMunicipalityFactory(
        name="Lima",
        iso2="PE",
        geonames_id=3936456,
        latitude=-12.04,
        longitude=-77.03,
        geonames=True,
    )
    kidira = ForeignMunicipalityFactory(
        name="Kidira",
        iso2="SN",
        latitude=14.46,
        longitude=-12.22,
        source=Municipality.Source.IMPORT,
    )
    kyiv = ForeignMunicipalityFactory(
        name="Kyiv", iso2="UA", geonames_id=703448, latitude=50.45, longitude=30.52, geonames=True
    )
    climate = PartnershipFactory(
        between=(koeln, lima),
        type=PartnershipType.KLIMA,
        start_year=2017,
        themes=("sdg-13", "sdg-11"),
    )
    ContactPerson.objects.create(
        partnership=climate,
        municipality=koeln,
        name="Public Person",
        visibility=ContactPerson.Visibility.PUBLIC,
    )
    PartnershipFactory(between=(leipzig, kyiv), start_year=1961, status=PartnershipStatus.DORMANT)
    PartnershipFactory(between=(kreis, kidira), type=PartnershipType.PROJEKT, themes=("sdg-6",))
    # No German side:
    PartnershipFactory(between=(lima, kyiv), type=PartnershipType.FREUNDSCHAFT, start_year=1990)
    proposal = PartnershipFactory(between=(leipzig, kidira), proposed=True, start_year=2024)
    return {
        "koeln": koeln,
        "leipzig": leipzig,
        "lima": lima,
        "kidira": kidira,
        "kyiv": kyiv,
        "proposal": proposal,
    }


@pytest.fixture
def wsgi_schema():
    """The API's OpenAPI document, called through Django's plain WSGI handler. That handler
    closes the database connection when a request starts and ends, as in production; the test's
    transaction lives on that connection (Django's test client disconnects these receivers in
    the same way)."""
    import schemathesis
    from django.core import signals
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
