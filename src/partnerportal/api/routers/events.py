"""Events and registrations: /api/v1/events (issue 12)."""

from ninja import Router

router = Router(tags=["events"])
