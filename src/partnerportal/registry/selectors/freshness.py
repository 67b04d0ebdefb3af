"""Reads for keeping the registry current: which published partnerships no municipality has
confirmed lately, never-confirmed ones included, and how a reminder round is getting on.

"Confirmed" here is always the municipality's word (Partnership.municipality_confirmed_at): an
editor of either side said the entry is still current, or saved it. The agency's check
(agency_checked_at) does not keep an entry fresh: only the municipality knows whether its
partnership is alive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from partnerportal.accounts.models import Membership

from ..models import Municipality, Partnership, ReminderRound

#: A partnership its municipality has not confirmed for this long, or never, is stale: staff
#: see it and reminder rounds ask its editors.
STALE_AFTER = dt.timedelta(days=365)


@dataclass(frozen=True, slots=True)
class Scope:
    """What staff narrowed the stale list or a reminder round to: a Land, one municipality or
    (both empty) everything. A partnership is in scope when either side is."""

    state: str = ""
    municipality: Municipality | None = None

    def filter(self, partnerships: QuerySet) -> QuerySet:
        if self.municipality is not None:
            return partnerships.involving(self.municipality)
        if self.state:
            return partnerships.filter(
                Q(municipality_a__state=self.state) | Q(municipality_b__state=self.state)
            )
        return partnerships

    @classmethod
    def of_round(cls, reminder_round: ReminderRound) -> Scope:
        return cls(state=reminder_round.state, municipality=reminder_round.municipality)


def _has_editor(field: str) -> Exists:
    return Exists(
        Membership.objects.filter(
            municipality=OuterRef(field),
            status=Membership.Status.ACTIVE,
            user__is_active=True,
        )
    )


def stale_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - STALE_AFTER


def partnerships_stale_base(*, now: dt.datetime | None = None, scope: Scope = Scope()) -> QuerySet:
    """Published partnerships whose municipality has not confirmed them within STALE_AFTER or
    never has, oldest first: by the last confirmation, else by when the entry was recorded
    (so the 21,000 imported entries come in the order of their file)."""
    stale = Partnership.objects.public().filter(
        Q(municipality_confirmed_at__isnull=True)
        | Q(municipality_confirmed_at__lt=stale_cutoff(now))
    )
    return (
        scope.filter(stale)
        .annotate(confirmed_or_created=Coalesce("municipality_confirmed_at", "created_at"))
        .order_by("confirmed_or_created", "pk")
    )


def partnerships_stale(*, now: dt.datetime | None = None, scope: Scope = Scope()) -> QuerySet:
    """The stale partnerships with the number of active editors of each side: what the staff
    list shows of them ("no editor" where a side has none)."""

    def editors_of(field: str):
        return Subquery(
            Membership.objects.filter(
                municipality=OuterRef(field),
                status=Membership.Status.ACTIVE,
                user__is_active=True,
            )
            .order_by()
            .values("municipality")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )

    return (
        partnerships_stale_base(now=now, scope=scope)
        .annotate(
            editors_a=Coalesce(editors_of("municipality_a"), Value(0)),
            editors_b=Coalesce(editors_of("municipality_b"), Value(0)),
        )
        .annotate(editors_count=F("editors_a") + F("editors_b"))
        .select_related("municipality_a", "municipality_b", "municipality_confirmed_by")
    )


def partnerships_awaiting_confirmation(
    municipality: Municipality, *, now: dt.datetime | None = None
) -> QuerySet:
    """What a municipality's editors should confirm: its published partnerships that it has
    never confirmed or not within STALE_AFTER, oldest first (for the editor's work page; one
    "still correct" or a save of the entry takes it off)."""
    return partnerships_stale_base(now=now, scope=Scope(municipality=municipality)).select_related(
        "municipality_a", "municipality_b"
    )


def partnerships_askable(*, now: dt.datetime | None = None, scope: Scope = Scope()) -> QuerySet:
    """Stale partnerships with an active editor on at least one side: those a reminder can
    reach."""
    return partnerships_stale_base(now=now, scope=scope).filter(
        Q(_has_editor("municipality_a")) | Q(_has_editor("municipality_b"))
    )


@dataclass(frozen=True, slots=True)
class StaleSummary:
    stale: int
    never_confirmed: int
    without_editor: int


def stale_summary(*, now: dt.datetime | None = None, scope: Scope = Scope()) -> StaleSummary:
    """The stale list's figures in one query: how many are stale, how many of them no
    municipality ever confirmed, and how many no reminder can reach (no editor on either
    side)."""
    figures = (
        partnerships_stale_base(now=now, scope=scope)
        .order_by()
        .aggregate(
            stale=Count("pk"),
            never=Count("pk", filter=Q(municipality_confirmed_at__isnull=True)),
            unreachable=Count(
                "pk",
                filter=~Q(_has_editor("municipality_a")) & ~Q(_has_editor("municipality_b")),
            ),
        )
    )
    return StaleSummary(figures["stale"], figures["never"], figures["unreachable"])


def municipalities_without_editor(
    *, now: dt.datetime | None = None, scope: Scope = Scope(), limit: int = 20
) -> list[tuple[Municipality, int]]:
    """German municipalities with stale partnerships and no active editor, most stale entries
    first: nobody there can be asked until someone is invited."""
    stale_ids = partnerships_stale_base(now=now, scope=scope).order_by().values("pk")
    counted = (
        Municipality.objects.german()
        .annotate(has_editor=_has_editor("pk"))
        .filter(has_editor=False)
        .annotate(
            stale=Count(
                "partnerships_as_a", filter=Q(partnerships_as_a__in=stale_ids), distinct=True
            )
            + Count("partnerships_as_b", filter=Q(partnerships_as_b__in=stale_ids), distinct=True)
        )
        .filter(stale__gt=0)
        .order_by("-stale", "name", "pk")
    )
    if scope.municipality is not None:
        counted = counted.filter(pk=scope.municipality.pk)
    elif scope.state:
        counted = counted.filter(state=scope.state)
    return [(municipality, municipality.stale) for municipality in counted[:limit]]


@dataclass(frozen=True, slots=True)
class RoundProgress:
    reminder_round: ReminderRound
    #: Stale entries in scope when the round started, and those asked about since.
    total: int
    asked: int
    #: Entries in scope that a municipality confirmed since the round started.
    confirmed_since: int


def reminder_rounds_running() -> list[RoundProgress]:
    """The running rounds with their progress ("1,200 of 21,371 asked")."""
    result = []
    for reminder_round in ReminderRound.objects.running().select_related("municipality"):
        confirmed = (
            Scope.of_round(reminder_round)
            .filter(Partnership.objects.public())
            .filter(municipality_confirmed_at__gte=reminder_round.started_at)
            .count()
        )
        result.append(
            RoundProgress(reminder_round, reminder_round.total, reminder_round.asked, confirmed)
        )
    return result


def states() -> list[str]:
    """The Länder, for the stale list's choice."""
    return list(
        Municipality.objects.german()
        .exclude(state="")
        .order_by("state")
        .values_list("state", flat=True)
        .distinct()
    )
