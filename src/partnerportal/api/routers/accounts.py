"""Who the caller is: the one endpoint that needs an API token today, so that an integration can
check its token (and when it runs out) before it changes anything.
(No `from __future__ import annotations` here: ninja reads the annotations at import.)"""

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from partnerportal.accounts.roles import user_roles
from partnerportal.core.throttling import ThrottledOut

from ..authentication import ApiTokenAuth
from ..documentation import ValidationErrorOut, auth_extra

router = Router(tags=["accounts"])


class ErrorOut(Schema):
    detail: str = Field(..., description="What went wrong, in the request's language.")
    code: str = Field(..., description="A stable code for programs.", examples=["token_expired"])


class TokenOut(Schema):
    prefix: str = Field(..., description="The token's first characters.", examples=["pp_3fQx9aB2"])
    expires_at: datetime


class MeOut(Schema):
    id: int
    name: str = Field(..., description="The holder's name (may be empty).")
    roles: list[str] = Field(..., examples=[["agency_editor", "registered"]])
    token: TokenOut


@router.get(
    "/me",
    auth=ApiTokenAuth(),
    response={200: MeOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut, 429: ThrottledOut},
    summary="The token's holder",
    description=(
        "Who the API token in `Authorization: Bearer …` acts for: their id, name and roles, and "
        "when the token expires. Nothing else about the person."
    ),
    openapi_extra=auth_extra(),
)
def me(request: HttpRequest, response: HttpResponse) -> dict:
    """Any valid token of agency staff; the answer is about its own holder only (kept by no
    cache: it depends on the token)."""
    response["Cache-Control"] = "private, no-store"
    user = request.auth
    token = request.api_token
    return {
        "id": user.pk,
        "name": user.name,
        "roles": sorted(str(role) for role in user_roles(user)),
        "token": {"prefix": token.prefix, "expires_at": token.expires_at},
    }
