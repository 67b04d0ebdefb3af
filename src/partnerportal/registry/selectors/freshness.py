"""Reads for keeping the registry current: which partnerships nobody has confirmed lately."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from partnerportal.accounts.models import Membership

from ..models import Partnership

#: A partnership not confirmed for this long is stale: its editors are reminded, staff see it.
STALE_AFTER = dt.timedelta(days=365)


def partnerships_stale_base(*, now: dt.datetime | None = None) -> QuerySet:
    """Confirmed partnerships whose last confirmation (or creation) is older than STALE_AFTER,
    oldest first: what the reminder task needs, without the staff page's editor counts."""
    now = now or timezone.now()
    return (
        Partnership.objects.filter(is_confirmed=True)
        .annotate(confirmed_or_created=Coalesce("last_confirmed_at", "created_at"))
        .filter(confirmed_or_created__lt=now - STALE_AFTER)
        .order_by("confirmed_or_created", "pk")
    )


def partnerships_stale(*, now: dt.datetime | None = None) -> QuerySet:
    """The stale partnerships with the number of active editors of each side and what the
    staff list shows of them."""

    def editors_of(field: str):
        return Subquery(
            Membership.objects.filter(municipality=OuterRef(field), status=Membership.Status.ACTIVE)
            .order_by()
            .values("municipality")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )

    return (
        partnerships_stale_base(now=now)
        .annotate(
            editors_a=Coalesce(editors_of("municipality_a"), Value(0)),
            editors_b=Coalesce(editors_of("municipality_b"), Value(0)),
        )
        .annotate(editors_count=F("editors_a") + F("editors_b"))
        .select_related("municipality_a", "municipality_b", "last_confirmed_by")
    )
