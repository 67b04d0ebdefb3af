"""Seats and the waiting list of one event, counted from the registrations themselves.

Nothing here is a stored counter: `seats_count` reads the confirmed and offered registrations
(an offered seat is held until it is accepted, declined or expires) and works out what is free
in each *pool*:

- one pool per participant group (`ParticipantGroup.seats`), given only to people the group is
  for: a `partner_side` group to people from municipalities outside Germany; any other group
  only to a registration the organisers put in it explicitly. Free group seats are never given
  to others.
- the open pool: the event's capacity minus all group seats, open to everyone. No capacity
  means no limit.

A person takes a seat in a group they belong to first and in the open pool otherwise, so that
open seats stay for those who have no group.

The waiting list is ordered by `queued_at` (then by the delegation, then by id); a delegation's
people share one `queued_at` and count as one place. **Strict order:** a unit (a person, or a
delegation) that does not fit blocks every pool it could use, so no later unit (however small)
takes a seat it was waiting for; later units may only take seats in pools the blocked unit
cannot use (e.g. partner seats behind a German delegation waiting for open seats). A delegation
that allows splitting takes the seats that are free and leaves the rest of its people waiting
at its place, where they block as above.

Every function here must run inside the transaction that holds the event's lock
(`registrations._event_locked`): they read, decide and (in `waitlist_advance`) write, and only
the lock makes that one step.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Q

from .models import Event, ParticipantGroup, Registration

#: The pool of seats that are in no group.
OPEN = "open"
#: A registration holds a seat in these states.
SEATED = (Registration.Status.CONFIRMED, Registration.Status.OFFERED)
#: Germany: participants from municipalities elsewhere are the partner side.
HOME_COUNTRY = "DE"


@dataclass
class Seats:
    """Free seats per pool (None: no limit) and the pools a waiting unit has blocked."""

    free: dict[object, int | None]
    groups: list[ParticipantGroup]
    blocked: set = field(default_factory=set)
    #: People on the waiting list when counted (0: `waitlist_advance` need not read it).
    waiting: int = 0
    #: Seats taken (confirmed or offered) when counted.
    taken: int = 0

    def total_free(self) -> int | None:
        if self.free.get(OPEN) is None:
            return None
        return sum(n or 0 for n in self.free.values())

    def any_free(self) -> bool:
        return any(n is None or n > 0 for key, n in self.free.items() if key not in self.blocked)


def seats_count(event: Event) -> Seats:
    """What is free in each pool now, from the rows (see the module docstring)."""
    groups = list(event.groups.all())
    # One grouped query for the seats and the waiting list; order_by() drops the model's
    # ordering, whose "event" would otherwise join the events table into the count.
    taken: dict[object, int] = {}
    waiting = 0
    for group_id, status, n in (
        Registration.objects.filter(
            event=event, status__in=(*SEATED, Registration.Status.WAITLISTED)
        )
        .order_by()
        .values("group_id", "status")
        .annotate(n=Count("pk"))
        .values_list("group_id", "status", "n")
    ):
        if status == Registration.Status.WAITLISTED:
            waiting += n
        else:
            taken[group_id] = taken.get(group_id, 0) + n
    free: dict[object, int | None] = {}
    for group in groups:
        free[group.pk] = max(group.seats - taken.get(group.pk, 0), 0)
    if event.capacity is None:
        free[OPEN] = None
    else:
        open_seats = max(event.capacity - sum(g.seats for g in groups), 0)
        free[OPEN] = max(open_seats - taken.get(None, 0), 0)
    return Seats(free=free, groups=groups, waiting=waiting, taken=sum(taken.values()))


def is_partner_side(registration: Registration) -> bool:
    """From a municipality outside Germany (a free-text organisation is not counted as one)."""
    municipality = registration.municipality
    return municipality is not None and municipality.country_id != HOME_COUNTRY


def pools_for(registration: Registration, seats: Seats) -> list:
    """The pools `registration` may take a seat in, in the order it should: its groups first."""
    if registration.group_id is not None:
        # Put in a group explicitly by the organisers: that group's seats, then open ones.
        return [registration.group_id, OPEN]
    partner = is_partner_side(registration)
    return [g.pk for g in seats.groups if g.partner_side and partner] + [OPEN]


def unit_place(
    members: list[Registration], seats: Seats, *, allow_split: bool
) -> dict[int, object]:
    """Try to seat a unit; returns {index in members: pool} for those seated and takes their
    seats from `seats`. All or nothing unless `allow_split`. Members left waiting block the
    pools they could have used."""
    free = dict(seats.free)
    placed: dict[int, object] = {}
    for index, member in enumerate(members):
        for pool in pools_for(member, seats):
            if pool in seats.blocked or pool not in free:
                continue
            if free[pool] is None or free[pool] > 0:
                if free[pool] is not None:
                    free[pool] -= 1
                placed[index] = pool
                break
    if len(placed) < len(members) and not allow_split:
        placed = {}
    if placed:
        for pool in placed.values():
            if seats.free[pool] is not None:
                seats.free[pool] -= 1
    for index, member in enumerate(members):
        if index not in placed:
            seats.blocked.update(pools_for(member, seats))
    return placed


def _units(rows: Iterable[Registration]) -> Iterator[list[Registration]]:
    """Consecutive rows of one delegation form one unit; everyone else is a unit alone."""
    unit: list[Registration] = []
    for row in rows:
        if unit and (row.delegation_id is None or row.delegation_id != unit[0].delegation_id):
            yield unit
            unit = []
        unit.append(row)
    if unit:
        yield unit


def waiting_rows(event: Event):
    return (
        Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED)
        .select_related("municipality", "delegation")
        .order_by("queued_at", "delegation_id", "pk")
    )


def waitlist_advance(event: Event, seats: Seats) -> list[tuple[Registration, object]]:
    """Seat waiting units in strict order while seats are free (see the module docstring).
    Returns the (registration, pool) pairs seated; the caller writes their new state (confirmed
    or offered, by the event's mode). Leaves `seats.blocked` naming the pools that waiting units
    hold, which a new registration must respect."""
    seated: list[tuple[Registration, object]] = []
    if not seats.waiting or not seats.any_free():
        # Nothing to give, or nobody to give it to: every waiting unit is blocked by the full
        # pools anyway, and a newcomer finds no free seat either. Skips reading the waiting
        # list (a server-side cursor on PostgreSQL: three round trips under the event's lock).
        return seated
    for unit in _units(waiting_rows(event).iterator(chunk_size=200)):
        if not seats.any_free():
            break
        allow_split = unit[0].delegation is not None and unit[0].delegation.allow_split
        placed = unit_place(unit, seats, allow_split=allow_split)
        for index, pool in placed.items():
            seated.append((unit[index], pool))
    return seated


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first unit on the waiting list; a delegation counts once. None when not
    waiting."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=Registration.Status.WAITLISTED
    ).filter(
        Q(queued_at__lt=registration.queued_at)
        | Q(queued_at=registration.queued_at, pk__lt=registration.pk)
    )
    if registration.delegation_id is not None:
        ahead = ahead.exclude(delegation_id=registration.delegation_id)
    people = ahead.filter(delegation__isnull=True).count()
    delegations = ahead.filter(delegation__isnull=False).values("delegation_id").distinct().count()
    return people + delegations + 1


def waitlist_units_count(event: Event) -> int:
    """Places on the waiting list (a delegation once)."""
    counts = (
        Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED)
        .order_by()
        .aggregate(
            alone=Count("pk", filter=Q(delegation__isnull=True)),
            delegations=Count("delegation_id", distinct=True),
        )
    )
    return counts["alone"] + counts["delegations"]
