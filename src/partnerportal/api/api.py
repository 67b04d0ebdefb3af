"""The REST API under /api/v1/, its OpenAPI document at /api/v1/openapi.json.

Each capability adds a router; every endpoint declares who may call it (`auth=` and the
permission functions of its app)."""

from django.http import HttpRequest
from ninja import NinjaAPI, Schema

from partnerportal import __version__

api = NinjaAPI(
    title="Partnerportal API",
    version="1",
    description=(
        "Open data of municipal development partnerships.\n\n"
        "Sources and licences: German municipalities © Statistisches Bundesamt (Destatis), "
        "Datenlizenz Deutschland – Namensnennung 2.0; foreign places from GeoNames (CC BY 4.0); "
        "twin-town pairs from the Wikipedia lists of twin towns and sister cities (CC BY-SA 4.0)."
    ),
    openapi_extra={"info": {"license": {"name": "EUPL-1.2 (software); data: see description"}}},
    urls_namespace="api",
    docs_url=None,
)


class StatusOut(Schema):
    status: str
    version: str


@api.get("/status", response=StatusOut, auth=None, tags=["meta"], summary="Service status")
def status(request: HttpRequest) -> dict:
    """Public: tells that the API answers and which version of Partnerportal runs."""
    return {"status": "ok", "version": __version__}


from partnerportal.api.routers.registry import router as registry_router  # noqa: E402

api.add_router("/", registry_router)
