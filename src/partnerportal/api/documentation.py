"""What the OpenAPI document says about answers that ninja cannot infer from a response schema:
304 and 429 with their headers, the 422 of invalid parameters, and the files (CSV, XLSX,
GeoJSON) of the export endpoints with their media types."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from partnerportal.atlas.exports import (
    CSV_CONTENT_TYPE,
    GEOJSON_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
)
from partnerportal.core.throttling import ThrottledOut


class NotFoundOut(Schema):
    detail: str = Field(..., examples=["Not found."])


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]] = Field(
        ..., description="One entry per invalid parameter: where (loc), what (type) and why (msg)."
    )


_STRING = {"schema": {"type": "string"}}
_CONDITIONAL_HEADERS = {
    "ETag": {
        "description": "Changes whenever the registry changes; send it back as If-None-Match.",
        **_STRING,
    },
    "Last-Modified": {"description": "When the registry last changed.", **_STRING},
}

#: The answers every read may give besides its own (see `responses()`).
COMMON: dict[int, Any] = {422: ValidationErrorOut, 429: ThrottledOut}


def responses(ok: Any, *, conditional: bool = True, not_found: bool = False) -> dict[int, Any]:
    """ninja's `response=` for a read: 200 with `ok`, 304 when conditional, 404 for reads of
    one object, 422 and 429."""
    result: dict[int, Any] = {200: ok}
    if conditional:
        result[304] = None
    if not_found:
        result[404] = NotFoundOut
    return result | COMMON


def extra(*, conditional: bool = True, ok_content: dict | None = None) -> dict:
    """`openapi_extra` with descriptions and headers of these answers (and, for the exports,
    the media type of the file)."""
    documented: dict[int, dict] = {
        200: {"description": "OK"},
        422: {"description": "A parameter is invalid."},
        429: {
            "description": (
                "Too many requests: the rate limit for this caller is used up. Retry after the "
                "seconds given."
            ),
            "headers": {
                "Retry-After": {
                    "description": "Seconds until the next request is allowed.",
                    "schema": {"type": "integer"},
                }
            },
        },
    }
    if conditional:
        documented[200]["headers"] = _CONDITIONAL_HEADERS
        documented[304] = {
            "description": "Not modified: the If-None-Match or If-Modified-Since still holds.",
            "headers": _CONDITIONAL_HEADERS,
        }
    if ok_content is not None:
        documented[200]["content"] = ok_content
        documented[200]["headers"] = {
            **_CONDITIONAL_HEADERS,
            "Content-Disposition": {"description": "attachment; filename=...", **_STRING},
        }
    return {"responses": documented}


# --- The files ----------------------------------------------------------------------------------

CSV_CONTENT = {
    CSV_CONTENT_TYPE.split(";")[0]: {
        "schema": {
            "type": "string",
            "description": (
                "UTF-8 CSV, header first. Columns: city1, country1, lat1, lng1, city2, country2, "
                "lat2, lng2 (the twin towns import format; side 1 is the German side when there "
                "is one, countries by English name), then id, type, status, start_year, themes "
                "(codes separated by ';'), ags1, geonames_id1, ags2, geonames_id2, url, "
                "attribution (the sources and licences of the row)."
            ),
        }
    }
}

XLSX_CONTENT = {
    XLSX_CONTENT_TYPE: {
        "schema": {
            "type": "string",
            "format": "binary",
            "description": (
                "Spreadsheet: sheet 'Partnerships' with the CSV's columns, sheet 'Licence' with "
                "the licence note and the sources."
            ),
        }
    }
}

_POSITION = {
    "type": "array",
    "items": {"type": "number"},
    "minItems": 2,
    "maxItems": 2,
    "description": "[longitude, latitude] (RFC 7946).",
}
_SIDE = {
    "municipality_id{n}": {"type": "integer"},
    "name{n}": {"type": "string"},
    "country{n}": {"type": "string", "description": "ISO 3166 alpha-2."},
    "ags{n}": {"type": ["string", "null"]},
    "geonames_id{n}": {"type": ["integer", "null"]},
}

GEOJSON_SCHEMA: dict = {
    "type": "object",
    "required": ["type", "features"],
    "description": (
        "RFC 7946 FeatureCollection: one Feature per partnership, a LineString from side 1 to "
        "side 2, geometry null where a side has no coordinates. The foreign members 'license', "
        "'attribution' and 'sources' name the licence and the sources."
    ),
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "license": {"type": "string"},
        "attribution": {"type": "string"},
        "sources": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "licence": {"type": "string"},
                    "licence_url": {"type": "string"},
                    "url": {"type": "string"},
                },
            },
        },
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": "integer"},
                    "geometry": {
                        "oneOf": [
                            {"type": "null"},
                            {
                                "type": "object",
                                "required": ["type", "coordinates"],
                                "properties": {
                                    "type": {"type": "string", "enum": ["LineString"]},
                                    "coordinates": {
                                        "type": "array",
                                        "items": _POSITION,
                                        "minItems": 2,
                                    },
                                },
                            },
                        ]
                    },
                    "properties": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "integer"},
                            **{k.format(n=1): v for k, v in _SIDE.items()},
                            **{k.format(n=2): v for k, v in _SIDE.items()},
                            "type": {"type": "string"},
                            "status": {"type": "string"},
                            "start_year": {"type": ["integer", "null"]},
                            "themes": {"type": "array", "items": {"type": "string"}},
                            "url": {"type": "string"},
                            "attribution": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                },
            },
        },
    },
}

GEOJSON_CONTENT = {GEOJSON_CONTENT_TYPE: {"schema": GEOJSON_SCHEMA}}


def auth_extra() -> dict:
    """`openapi_extra` of an endpoint behind an API token (api.authentication): its 401, 403 and
    429 with their headers."""
    return {
        "responses": {
            200: {"description": "OK"},
            401: {
                "description": (
                    "No API token, or one that is unknown, revoked or expired (`code` says which)."
                ),
                "headers": {
                    "WWW-Authenticate": {"description": "The Bearer challenge.", **_STRING}
                },
            },
            403: {"description": "The token's holder may not do this."},
            422: {"description": "A parameter is invalid."},
            429: {
                "description": (
                    "Too many requests, or too many refused tokens from the caller's address. "
                    "Retry after the seconds given."
                ),
                "headers": {
                    "Retry-After": {
                        "description": "Seconds until the next request is allowed.",
                        "schema": {"type": "integer"},
                    }
                },
            },
        }
    }
