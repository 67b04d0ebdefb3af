"""Deployments of experts: /api/v1/deployments (issue 14)."""

from ninja import Router

router = Router(tags=["deployments"])
