"""The editor's work page: one municipality's partnerships, what needs confirming, the open
proposals and what changed lately, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerportal.accounts.roles import STAFF_ROLES, edited_municipality_ids
from partnerportal.audit.selectors import ChangeView, change_views
from partnerportal.notifications.feed import FeedEntry, FeedSection

from ..models import Municipality, Partnership
from .freshness import stale_cutoff

#: How many changes the page lists (the audit trail of each partnership has the rest).
RECENT_CHANGES = 10

#: What municipal editors see of a change: the entry's content. Who confirmed or checked it,
#: who created it and from which import file stay in the staff's audit trail.
EDITOR_VISIBLE_FIELDS = frozenset(
    {
        "type",
        "status",
        "start_year",
        "description",
        "themes",
        "programmes",
        "is_confirmed",
        "municipality_confirmed_at",
        "agency_checked_at",
    }
)


def _actors_for_editors(users) -> Callable[[object], str]:
    """How a page for editors names who acted: staff as "the agency" (one query for all of
    them), an editor by the name they gave, never by an e-mail address (display_name falls
    back to it)."""
    ids = {user.pk for user in users if user is not None}
    staff = set(
        get_user_model()
        .objects.filter(pk__in=ids)
        .filter(Q(is_superuser=True) | Q(groups__name__in=STAFF_ROLES))
        .values_list("pk", flat=True)
    )

    def who(user) -> str:
        if user.pk in staff:
            return _("the agency")
        return (getattr(user, "name", "") or "").strip() or _("an editor")

    return who


@dataclass
class WorkRow:
    partnership: Partnership
    partner: Municipality
    #: never confirmed by a municipality, or longer ago than STALE_AFTER: to confirm
    needs_confirming: bool


@dataclass
class WorkPage:
    municipality: Municipality
    partnerships: list[WorkRow] = field(default_factory=list)
    proposals: list[WorkRow] = field(default_factory=list)
    changes: list[tuple[Partnership | None, ChangeView]] = field(default_factory=list)

    @property
    def to_confirm(self) -> list[WorkRow]:
        return [row for row in self.partnerships if row.needs_confirming]


def municipality_work_page(
    municipality: Municipality, *, now: dt.datetime | None = None
) -> WorkPage:
    now = now or timezone.now()
    cutoff = stale_cutoff(now)
    partnerships = list(
        Partnership.objects.involving(municipality)
        .select_related(
            "municipality_a__country", "municipality_b__country", "municipality_confirmed_by"
        )
        .order_by("pk")
    )
    page = WorkPage(municipality=municipality)
    for partnership in partnerships:
        partner = (
            partnership.municipality_b
            if partnership.municipality_a_id == municipality.pk
            else partnership.municipality_a
        )
        # The rule of the staff's stale list and the reminders (freshness), read here for one
        # municipality: never confirmed by a municipality, or not within STALE_AFTER.
        confirmed = partnership.municipality_confirmed_at
        row = WorkRow(
            partnership=partnership,
            partner=partner,
            needs_confirming=partnership.is_confirmed and (confirmed is None or confirmed < cutoff),
        )
        (page.partnerships if partnership.is_confirmed else page.proposals).append(row)
    page.partnerships.sort(key=lambda row: (not row.needs_confirming, row.partner.search_name))
    page.proposals.sort(key=lambda row: row.partner.search_name)
    page.changes = partnership_recent_changes([municipality.pk])
    return page


def partnership_recent_changes(
    municipality_ids: Iterable[int], *, limit: int = RECENT_CHANGES
) -> list[tuple[Partnership | None, ChangeView]]:
    """The latest changes to the partnerships of these municipalities from the audit trail,
    newest first, each against the record before it (three queries, however long the
    histories). The partnership is None once it has been deleted."""
    ids = list(municipality_ids)
    if not ids:
        return []
    history = Partnership.history.model
    records = list(
        history.objects.filter(Q(municipality_a_id__in=ids) | Q(municipality_b_id__in=ids))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    if not records:
        return []
    earlier: dict[int, list] = {}
    for record in history.objects.filter(id__in={r.id for r in records}).order_by(
        "-history_date", "-history_id"
    ):
        earlier.setdefault(record.id, []).append(record)

    def previous(record):
        versions = earlier.get(record.id, [])
        for i, candidate in enumerate(versions):
            if candidate.history_id == record.history_id:
                return versions[i + 1] if i + 1 < len(versions) else None
        return None

    pairs = [(record, previous(record)) for record in records]
    who = _actors_for_editors(record.history_user for record in records)
    views = change_views(Partnership, pairs, fields=EDITOR_VISIBLE_FIELDS, who=who)
    existing = Partnership.objects.select_related("municipality_a", "municipality_b").in_bulk(
        {record.id for record in records}
    )
    return [(existing.get(record.id), view) for record, view in zip(records, views, strict=True)]


def feed_section_municipality_changes(user):
    """The activity page's section for a municipal editor: the latest changes to the
    partnerships of the municipalities they edit for, their own included (notifications.feed)."""
    ids = edited_municipality_ids(user)
    if not ids:
        return None
    entries = [
        FeedEntry(
            when=change.when,
            who=change.who,
            by_you=change.user_id == user.pk,
            text=str(change.action_label),
            url=reverse("registry:partnership_detail", kwargs={"pk": partnership.pk})
            if partnership is not None
            else "",
            link_text=str(partnership) if partnership is not None else "",
            details=[
                f"{str(item.label)[:1].upper()}{str(item.label)[1:]}: "
                f"{item.before if item.before not in (None, '') else '–'} → "
                f"{item.after if item.after not in (None, '') else '–'}"
                for item in change.changes
            ],
        )
        for partnership, change in partnership_recent_changes(ids)
    ]
    return FeedSection(
        title=_("Recent changes in your municipalities"),
        entries=entries,
        more_url=reverse("registry:my_municipality"),
        more_label=_("Your municipality's work page"),
    )
