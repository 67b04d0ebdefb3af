"""The REST API under /api/v1/, its OpenAPI document at /api/v1/openapi.json.

Each capability adds a router; every endpoint declares who may call it (`auth=` and the
permission functions of its app)."""

from functools import partial

from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.errors import Throttled

from partnerportal import __version__
from partnerportal.atlas.exports import SOURCES
from partnerportal.core.throttling import AnonymousRate, UserRate, handle_throttled

from . import authentication
from .documentation import extra, responses

api = NinjaAPI(
    title="Partnerportal API",
    version="1",
    description=(
        "Open data of municipal development partnerships.\n\n"
        "Sources and licences: " + "; ".join(source.short for source in SOURCES.values()) + ".\n\n"
        "Every list is paginated JSON (`page`, `page_size` up to 200); the partnerships also come "
        "as files: `/api/v1/partnerships.csv`, `.xlsx` and `.geojson`, with the same filters. "
        "Reads carry ETag and Last-Modified: send If-None-Match or If-Modified-Since and get 304 "
        "while the registry is unchanged. Callers who are not logged in may make a limited number "
        "of requests per minute per address; over the limit the answer is 429 with Retry-After.\n\n"
        "Integrations of agency staff authenticate with an API token made on their account "
        "page: `Authorization: Bearer <token>` (see `/api/v1/me`)."
    ),
    openapi_extra={"info": {"license": {"name": "EUPL-1.2 (software); data: see description"}}},
    urls_namespace="api",
    docs_url=None,
    throttle=[AnonymousRate(), UserRate()],
)
api.add_exception_handler(Throttled, partial(handle_throttled, api=api))
authentication.handlers_register(api)


class StatusOut(Schema):
    status: str
    version: str


@api.get(
    "/status",
    response=responses(StatusOut, conditional=False),
    auth=None,
    tags=["meta"],
    summary="Service status",
    description="Tells that the API answers and which version runs. Example: `/api/v1/status`.",
    openapi_extra=extra(conditional=False),
)
def status(request: HttpRequest) -> dict:
    """Public: tells that the API answers and which version of Partnerportal runs."""
    return {"status": "ok", "version": __version__}


from partnerportal.api.routers.registry import router as registry_router  # noqa: E402

api.add_router("/", registry_router)

from partnerportal.api.routers.catalog import router as catalog_router  # noqa: E402

api.add_router("/", catalog_router)

from partnerportal.api.routers.funding import router as funding_router  # noqa: E402

api.add_router("/", funding_router)
from partnerportal.api.routers.accounts import router as accounts_router  # noqa: E402

api.add_router("/", accounts_router)
from partnerportal.api.routers.search import router as search_router  # noqa: E402

api.add_router("/", search_router)

from partnerportal.api.routers.events import router as events_router  # noqa: E402

api.add_router("/", events_router)

from partnerportal.api.routers.advisory import router as advisory_router  # noqa: E402

api.add_router("/", advisory_router)
