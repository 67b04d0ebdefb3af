"""Asking municipalities to confirm their entries, in batches staff steer.

Staff start a reminder round for a Land, one municipality or everything, with a number of
entries per municipality and run. The daily job (tasks.partnerships_remind_stale) then asks,
for each running round, each municipality's editors about at most that many of its stale
entries, oldest first: one e-mail per editor and municipality. Nobody receives a list of 500
entries at once, and the 21,000 entries of an import are worked through over days. An entry is
asked about at most once per REMINDER_INTERVAL, whichever round it belongs to; a municipality is
asked about at most as many entries per run as the largest batch of the rounds covering it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partnerportal.accounts.models import Membership
from partnerportal.notifications.events import Event
from partnerportal.notifications.services import notify

from .. import permissions
from ..models import Municipality, Partnership, ReminderRound
from ..selectors.freshness import Scope, partnerships_askable, partnerships_stale_base
from .partnerships import confirmation_token_make

#: At most one reminder per partnership in this time (the e-mailed link is valid as long).
REMINDER_INTERVAL = dt.timedelta(days=30)
#: The largest batch staff may choose: entries per municipality and run.
PER_MUNICIPALITY_MAX = 100


def reminder_round_start(
    *,
    actor,
    per_municipality: int,
    state: str = "",
    municipality: Municipality | None = None,
) -> ReminderRound:
    """Start asking the municipalities in scope; the job's next run sends the first batch."""
    if not permissions.can_run_reminder_rounds(actor):
        raise PermissionDenied
    if not 1 <= per_municipality <= PER_MUNICIPALITY_MAX:
        raise ValidationError(
            _("Choose between 1 and %(max)d entries per municipality.")
            % {"max": PER_MUNICIPALITY_MAX}
        )
    scope = Scope(state="" if municipality else state, municipality=municipality)
    with transaction.atomic():
        return ReminderRound.objects.create(
            state=scope.state,
            municipality=municipality,
            per_municipality=per_municipality,
            total=partnerships_stale_base(scope=scope).count(),
            started_by=actor,
        )


def reminder_round_end(*, reminder_round: ReminderRound, actor) -> ReminderRound:
    """Stop a round: nothing more is sent for it; what was sent stays counted."""
    if not permissions.can_run_reminder_rounds(actor):
        raise PermissionDenied
    with transaction.atomic():
        locked = ReminderRound.objects.select_for_update().get(pk=reminder_round.pk)
        if locked.ended_at is None:
            locked.ended_at = timezone.now()
            locked.save(update_fields=["ended_at"])
    return locked


def _due(reminder_round: ReminderRound, now: dt.datetime) -> list[tuple[int, int, int, bool]]:
    """(partnership, side a, side b, asked in this round before) of the round's reachable stale
    entries not asked within REMINDER_INTERVAL: first those this round has not asked about,
    then the oldest."""
    rows = (
        partnerships_askable(now=now, scope=Scope.of_round(reminder_round))
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=now - REMINDER_INTERVAL))
        .values_list(
            "pk",
            "municipality_a_id",
            "municipality_b_id",
            "last_reminded_at",
            "confirmed_or_created",
        )
    )
    started = reminder_round.started_at
    due = [
        (pk, a, b, reminded is not None and reminded >= started, when)
        for pk, a, b, reminded, when in rows
    ]
    due.sort(key=lambda row: (row[3], row[4], row[0]))
    return [row[:4] for row in due]


def partnerships_remind_stale(*, now: dt.datetime | None = None) -> int:
    """One run of the reminders over every running round (see the module's docstring).
    Returns the number of partnerships asked about. `last_reminded_at` is bookkeeping, not a
    change of the entry, so it is written without an audit record."""
    now = now or timezone.now()
    with transaction.atomic():
        # The running rounds are locked for the whole run: a second run at the same time (a
        # manual one beside the scheduler, a lost scheduler lock) waits, then finds the
        # entries just asked about reminded, and asks nobody twice (PostgreSQL; SQLite runs
        # one writer at a time anyway).
        return _remind_stale(now)


def _remind_stale(now: dt.datetime) -> int:
    rounds = list(ReminderRound.objects.running().select_for_update().order_by("started_at", "pk"))
    per_side: dict[int, list[int]] = defaultdict(list)  # municipality -> partnerships, in order
    chosen: set[int] = set()
    new_in_round: dict[int, int] = defaultdict(int)
    editors_of: dict[int, list] = {}
    for reminder_round in rounds:
        due = _due(reminder_round, now)
        sides = {a for _pk, a, _b, _x in due} | {b for _pk, _a, b, _x in due}
        missing = sides - editors_of.keys()
        for municipality_id in missing:
            editors_of[municipality_id] = []
        for membership in (
            Membership.objects.active()
            .filter(user__is_active=True, municipality_id__in=missing)
            .select_related("user")
        ):
            editors_of[membership.municipality_id].append(membership.user)
        limit = reminder_round.per_municipality
        for pk, a, b, asked_before in due:
            if pk in chosen:
                continue
            taken = False
            for side in (a, b):
                if editors_of[side] and len(per_side[side]) < limit:
                    per_side[side].append(pk)
                    taken = True
            if taken:
                chosen.add(pk)
                if not asked_before:
                    new_in_round[reminder_round.pk] += 1
    if not chosen:
        ReminderRound.objects.running().update(last_run_at=now)
        return 0
    partnerships = {
        p.pk: p
        for p in Partnership.objects.filter(pk__in=chosen).select_related(
            "municipality_a", "municipality_b"
        )
    }
    municipalities = {
        m.pk: m for m in Municipality.objects.filter(pk__in=[k for k, v in per_side.items() if v])
    }
    base = settings.SITE_URL.rstrip("/")
    for municipality_id, pks in per_side.items():
        if not pks:
            continue
        for user in editors_of[municipality_id]:
            with translation.override(user.language or "de"):
                items = [_item(partnerships[pk], user, base) for pk in pks]
            notify(
                event=Event.PARTNERSHIP_CONFIRMATION_REQUESTED,
                recipients=[user],
                target=municipalities[municipality_id],
                context={"partnerships": items},
            )
    Partnership.objects.filter(pk__in=chosen).update(last_reminded_at=now)
    for reminder_round in rounds:
        ReminderRound.objects.filter(pk=reminder_round.pk).update(
            last_run_at=now, asked=F("asked") + new_in_round[reminder_round.pk]
        )
    return len(chosen)


def _item(partnership: Partnership, user, base: str) -> dict[str, Any]:
    token = confirmation_token_make(partnership=partnership, user=user)
    return {
        "name": str(partnership),
        "confirm_url": base + reverse("registry:partnership_confirm_link", kwargs={"token": token}),
        "edit_url": base + reverse("registry:partnership_edit", kwargs={"pk": partnership.pk}),
    }
