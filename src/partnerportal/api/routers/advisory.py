"""Deployments of experts: /api/v1/deployments (issue 14).
(No `from __future__ import annotations` here: ninja reads the annotations at import.)

- `GET /deployments`: public (`auth=None`), the public facts of each deployment; the expert's
  name only where the expert made it public, nothing else about them.
- `POST /deployments`: an API token of agency staff who manage deployments
  (`ApiTokenAuth(permission=can_manage_deployments)`). It calls the same service as the staff
  form (`advisory.deployments.deployment_create`), so THE rule of the expert fund holds here too:
  a refusal is a 422 in ninja's shape whose `type` names the rule that failed
  (`no_active_partnership`, `partner_municipality_german`, `period_invalid`) and whose `msg`
  says it in the request's language."""

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from partnerportal.advisory.deployments import (
    DeploymentInput,
    DeploymentRuleError,
    deployment_create,
    deployments_public,
    expert_public_name,
)
from partnerportal.advisory.models import (
    Deployment,
    DeploymentState,
    ExpertKind,
    ExpertProfile,
)
from partnerportal.advisory.permissions import can_manage_deployments
from partnerportal.core.throttling import ThrottledOut
from partnerportal.registry.models import Municipality, Theme

from ..authentication import ApiTokenAuth
from ..documentation import ValidationErrorOut, auth_extra, extra, responses
from .accounts import ErrorOut
from .registry import MAX_ID, Pages

router = Router(tags=["deployments"])


class DeploymentIn(Schema):
    partner_municipality: int = Field(
        ..., ge=1, le=MAX_ID, description="Id of the partner municipality (outside Germany)."
    )
    kind: ExpertKind
    starts_on: dt.date
    ends_on: dt.date
    expert: int | None = Field(
        None, ge=1, le=MAX_ID, description="Id of the expert's profile; may be left out."
    )
    fields: list[str] = Field(
        default_factory=list,
        description="Codes of the registry's municipal fields, e.g. `klimaschutz`.",
        examples=[["klimaschutz"]],
    )


class DeploymentMunicipalityOut(Schema):
    id: int
    name: str
    country: str


class DeploymentOut(Schema):
    id: int
    kind: ExpertKind
    state: DeploymentState
    partner_municipality: DeploymentMunicipalityOut
    german_municipality: DeploymentMunicipalityOut
    partnership: int = Field(..., description="Id of the partnership the deployment serves.")
    host_institution: str
    starts_on: dt.date
    ends_on: dt.date
    fields: list[str] = Field(..., description="Codes of the municipal fields.")
    programme: str | None = Field(None, description="Short name of the financing programme.")
    expert_name: str | None = Field(
        None, description="The expert's name, only where the expert made it public."
    )

    @staticmethod
    def resolve_partner_municipality(obj: Deployment) -> dict:
        return _ref(obj.partner_municipality)

    @staticmethod
    def resolve_german_municipality(obj: Deployment) -> dict:
        return _ref(obj.german_municipality)

    @staticmethod
    def resolve_partnership(obj: Deployment) -> int:
        return obj.partnership_id

    @staticmethod
    def resolve_fields(obj: Deployment) -> list[str]:
        return [theme.code for theme in obj.fields.all()]

    @staticmethod
    def resolve_programme(obj: Deployment) -> str | None:
        return obj.programme.slug if obj.programme else None

    @staticmethod
    def resolve_expert_name(obj: Deployment) -> str | None:
        return expert_public_name(obj)


class CreatedOut(Schema):
    id: int
    state: DeploymentState


class DeploymentFilters(Schema):
    state: DeploymentState | None = None
    country: str | None = Field(None, max_length=2, description="ISO 3166 alpha-2 code.")
    field: str | None = Field(None, max_length=40, description="Code of a municipal field.")


def _ref(municipality: Municipality) -> dict:
    return {"id": municipality.pk, "name": municipality.name, "country": municipality.country_id}


def _problem(field: str, kind: str, message: str) -> dict:
    return {"loc": ["body", "payload", field], "type": kind, "msg": message}


@router.get(
    "/deployments",
    response=responses(list[DeploymentOut], conditional=False),
    openapi_extra=extra(conditional=False),
    auth=None,
    summary="List deployments of experts",
    description=(
        "The deployments of the expert fund with their public facts: kind, state, partner and "
        "German municipality, partnership, period, fields, programme. The expert's name only "
        "where the expert chose to make it public; nothing else about the person. Filters: "
        "`state`, `country` (of the partner municipality), `field`. Example: "
        "`/api/v1/deployments?country=PE`."
    ),
)
@paginate(Pages)
def deployment_list(request: HttpRequest, filters: Query[DeploymentFilters]):
    """Public: the facts of deployments, no personal data without the expert's consent."""
    found = deployments_public().order_by("-starts_on", "-pk")
    if filters.state:
        found = found.filter(state=filters.state)
    if filters.country:
        found = found.filter(partner_municipality__country_id=filters.country.upper())
    if filters.field:
        found = found.filter(fields__code=filters.field)
    return found


@router.post(
    "/deployments",
    auth=ApiTokenAuth(permission=can_manage_deployments),
    response={
        201: CreatedOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ValidationErrorOut,
        429: ThrottledOut,
    },
    summary="Create a deployment",
    description=(
        "Records a deployment of the expert fund, as staff do on the site. The partner "
        "municipality must have an active, published partnership with a German municipality on "
        "`starts_on` (the rule of the expert fund); otherwise the answer is 422 with "
        "`type` `no_active_partnership` and the rule in words. Other 422 types: "
        "`partner_municipality_german`, `period_invalid`, `not_found` (an unknown id or field "
        "code). Answers 201 with the new deployment's `id` and `state` (`planned`, or `filled` "
        "when an expert is named)."
    ),
    openapi_extra=auth_extra(),
)
def deployment_create_endpoint(request: HttpRequest, payload: DeploymentIn):
    """Agency staff who manage deployments, with an API token."""
    problems = []
    partner = Municipality.objects.filter(pk=payload.partner_municipality).first()
    if partner is None:
        problems.append(
            _problem("partner_municipality", "not_found", _("No municipality has this id."))
        )
    expert = None
    if payload.expert is not None:
        expert = ExpertProfile.objects.filter(pk=payload.expert, anonymised_at__isnull=True).first()
        if expert is None:
            problems.append(_problem("expert", "not_found", _("No expert has this id.")))
    themes = list(Theme.objects.filter(kind=Theme.Kind.FIELD, code__in=payload.fields))
    unknown = sorted(set(payload.fields) - {theme.code for theme in themes})
    if unknown:
        problems.append(
            _problem(
                "fields",
                "not_found",
                _("Unknown field codes: %(codes)s") % {"codes": ", ".join(unknown)},
            )
        )
    if problems:
        return Status(422, {"detail": problems})
    try:
        deployment = deployment_create(
            actor=request.auth,
            data=DeploymentInput(
                partner_municipality=partner,
                kind=payload.kind,
                starts_on=payload.starts_on,
                ends_on=payload.ends_on,
                expert=expert,
                fields=tuple(themes),
            ),
        )
    except DeploymentRuleError as error:
        return Status(
            422, {"detail": [_problem(error.field, error.code, " ".join(error.messages))]}
        )
    except DjangoValidationError as error:
        return Status(
            422,
            {"detail": [_problem("", error.code or "invalid", " ".join(error.messages))]},
        )
    return Status(201, {"id": deployment.pk, "state": deployment.state})
