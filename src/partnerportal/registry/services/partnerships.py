"""Writes on partnerships: self-service edits, proposals and their acceptance by staff, the
status workflow, the municipality's confirmation that an entry is still current and the
agency's check (two different things: see Partnership.municipality_confirmed_at and
agency_checked_at; the reminders are in services.freshness). Each write checks
registry.permissions, runs in one transaction, attributes the change for the audit trail and
then tells the people concerned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from partnerportal.accounts.models import Membership
from partnerportal.accounts.roles import MANAGING_ROLES
from partnerportal.audit.actions import AuditAction
from partnerportal.audit.history import history_deferred
from partnerportal.audit.restore import fields_restore, m2m_restore
from partnerportal.audit.services import attribute_change, generic_restore
from partnerportal.core.concurrency import version_check, version_claim
from partnerportal.core.workflows import transition_check, transition_permitted
from partnerportal.notifications.events import Event
from partnerportal.notifications.services import notify

from .. import permissions
from ..actions import RegistryAction
from ..changes import registry_changed
from ..models import (
    Actor,
    ContactPerson,
    ImportRun,
    Municipality,
    Partnership,
    PartnershipStatus,
    PartnershipStatusChange,
    PartnershipType,
    Programme,
    Theme,
)
from ..workflows import TRANSITIONS, transitions_from

#: How long the e-mailed "still correct" link is valid.
CONFIRM_LINK_MAX_AGE = dt.timedelta(days=30)
_CONFIRM_SALT = "partnerportal.registry.partnership-confirm"

UPDATABLE_FIELDS = ("type", "start_year", "description")
#: Ids per IN (...) query: below SQLite's historical limit of 999 parameters.
QUERY_CHUNK = 900


# --- Who is told ------------------------------------------------------------------------------


def municipality_editors(municipality: Municipality) -> QuerySet:
    User = get_user_model()
    return User.objects.filter(
        is_active=True,
        memberships__municipality=municipality,
        memberships__status=Membership.Status.ACTIVE,
    ).distinct()


def registry_staff() -> QuerySet:
    User = get_user_model()
    return User.objects.filter(is_active=True, groups__name__in=MANAGING_ROLES).distinct()


def _partnership_url(partnership: Partnership) -> str:
    path = reverse("registry:partnership_detail", kwargs={"pk": partnership.pk})
    return settings.SITE_URL.rstrip("/") + path


def _other_side_editors(partnership: Partnership, actor) -> list:
    """Editors of the side(s) the actor does not edit: staff acting tells both sides (notify
    leaves out the actor)."""
    recipients = []
    for side in (partnership.municipality_a, partnership.municipality_b):
        if not permissions.edits_for(actor, side):
            recipients.extend(municipality_editors(side))
    return recipients


# --- Status workflow --------------------------------------------------------------------------


def partnership_transition(
    *,
    partnership: Partnership,
    action: str,
    actor,
    expected_version: int | None,
    valid_from: dt.date | None = None,
    note: str = "",
) -> PartnershipStatusChange:
    """The one way a partnership's status changes: the table in registry.workflows decides.
    `expected_version` is the version the person saw (None: no check, for scripts); a later
    one raises core.concurrency.EditConflict and nothing changes."""
    # Who may, before anything is locked or compared: an outsider learns nothing of the record.
    transition = transition_permitted(TRANSITIONS, action=action, obj=partnership, actor=actor)
    with transaction.atomic():
        locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
        version_claim(locked, expected_version=expected_version)
        # The state as it is now, under the lock, against the same table and in the same words
        # as every workflow (core.workflows).
        transition_check(
            TRANSITIONS,
            action=action,
            obj=locked,
            actor=actor,
            state=locked.status,
            state_label=locked.get_status_display(),
        )
        change = PartnershipStatusChange.objects.create(
            partnership=locked,
            status=transition.target,
            valid_from=valid_from or timezone.localdate(),
            note=note[:300],
            actor=actor if actor.is_authenticated else None,
        )
        locked.status = transition.target
        attribute_change(locked, actor=actor, action=RegistryAction.for_transition(action))
        locked.save()
        partnership.status = locked.status
        partnership.version = locked.version
        notify(
            event=Event.PARTNERSHIP_STATUS_CHANGED,
            recipients=_other_side_editors(locked, actor),
            actor=actor,
            target=locked,
            context={
                "status": locked.status,
                "status_label": str(PartnershipStatus(locked.status).label),
                "url": _partnership_url(locked),
            },
        )
    return change


def _transition_back(partnership: Partnership, *, status: str, actor) -> str:
    """The workflow action that leads from the partnership's status to `status` and that
    `actor` may perform; otherwise ValidationError saying why."""
    names = {
        "current": PartnershipStatus(partnership.status).label,
        "target": PartnershipStatus(status).label,
    }
    candidates = [t for t in transitions_from(partnership.status) if t.target == status]
    if not candidates:
        raise ValidationError(
            _(
                "Nothing was reverted: the workflow does not allow going from “%(current)s” to "
                "“%(target)s”."
            )
            % names
        )
    for transition in candidates:
        if transition.allowed(actor, partnership):
            return transition.action
    raise ValidationError(
        _("Nothing was reverted: you may not change the status from “%(current)s” to “%(target)s”.")
        % names
    )


#: What a revert leaves as it is: the status (it goes through the workflow), and who confirmed
#: or checked the entry when (facts about what people did, not content to take back).
RESTORE_KEEPS = frozenset(
    {
        "status",
        "municipality_confirmed_at",
        "municipality_confirmed_by",
        "agency_checked_at",
        "agency_checked_by",
    }
)


def partnership_restore(
    *, obj: Partnership, previous, actor, expected_version: int | None
) -> Partnership:
    """The revert of the audit trail for partnerships (registered with audit.restore): plain
    fields, themes and programmes come back as they were, but another status only through the
    workflow table, as if the person had chosen that step: checked, recorded as a
    PartnershipStatusChange and told to the other side. Where the table has no step back,
    nothing changes and the reason is given.
    Runs inside the revert's transaction, with `obj` locked."""
    if obj._state.adding:  # a deleted partnership comes back as it was: no step to take
        return generic_restore(
            obj=obj, previous=previous, actor=actor, expected_version=expected_version
        )
    with transaction.atomic():
        transitioned = previous.status != obj.status
        if transitioned:
            action = _transition_back(obj, status=previous.status, actor=actor)
            partnership_transition(
                partnership=obj, action=action, actor=actor, expected_version=expected_version
            )
            expected_version = obj.version
        changed = fields_restore(obj, previous, exclude=RESTORE_KEEPS)
        changed = m2m_restore(obj, previous) or changed
        if changed or not transitioned:
            version_claim(obj, expected_version=expected_version)
            attribute_change(obj, actor=actor, action=AuditAction.REVERTED)
            obj.save()
    return obj


# --- Self-service edits -----------------------------------------------------------------------


def partnership_update(
    *,
    partnership: Partnership,
    actor,
    expected_version: int | None,
    themes: Iterable | None = None,
    programmes: Iterable | None = None,
    actors: list[dict[str, Any]] | None = None,
    contacts: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Partnership:
    """Change what an editor may change. `actors` and `contacts` are lists of dicts with the
    model's fields plus an optional `id` (to change an existing row) and `delete`; rows of other
    partnerships and sides other than the two municipalities are refused.

    `expected_version` is the version the form was read at (None: no check, for scripts): if
    someone saved in between, core.concurrency.EditConflict is raised and nothing changes.

    A save by an editor of either side counts as the municipality's confirmation that the entry
    is current (municipality_confirmed_at): they had the whole entry in front of them. Staff
    saving is not the municipality's word and leaves it as it was."""
    if not permissions.can_edit_partnership(actor, partnership):
        raise PermissionDenied
    unknown = set(fields) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not updatable: {sorted(unknown)}")
    sides = {partnership.municipality_a_id, partnership.municipality_b_id}
    with transaction.atomic():
        version_claim(partnership, expected_version=expected_version)
        for name, value in fields.items():
            setattr(partnership, name, value)
        if permissions.can_confirm_partnership_current(actor, partnership):
            partnership.municipality_confirmed_at = timezone.now()
            partnership.municipality_confirmed_by = actor
        attribute_change(partnership, actor=actor, action=RegistryAction.PARTNERSHIP_UPDATED)
        partnership.full_clean(exclude=["municipality_a", "municipality_b"])
        # Themes and programmes first, recorded by the save: one edit, one entry in the trail.
        with history_deferred(partnership):
            if themes is not None:
                partnership.themes.set(themes)
            if programmes is not None:
                partnership.programmes.set(programmes)
        partnership.save()
        if actors is not None:
            _rows_save(Actor, partnership, actors, sides, actor, "actor")
        if contacts is not None:
            _rows_save(ContactPerson, partnership, contacts, sides, actor, "contact")
    return partnership


def _rows_save(model, partnership, rows, sides, actor, noun: str) -> None:
    existing = {obj.pk: obj for obj in model.objects.filter(partnership=partnership)}
    for row in rows:
        row = dict(row)
        pk = row.pop("id", None)
        pk = getattr(pk, "pk", pk)
        delete = row.pop("delete", False)
        if pk:
            obj = existing.get(pk)
            if obj is None:
                raise PermissionDenied  # a row of another partnership: a forged form
        else:
            if delete:
                continue
            obj = model(partnership=partnership)
        if delete:
            attribute_change(obj, actor=actor, action=f"{noun}.deleted")
            obj.delete()
            continue
        for name, value in row.items():
            setattr(obj, name, value)
        if obj.municipality_id not in sides:
            raise ValidationError(_("A side must be one of the partnership's municipalities."))
        attribute_change(obj, actor=actor, action=f"{noun}.{'updated' if pk else 'created'}")
        obj.full_clean()
        obj.save()


# --- Creation ---------------------------------------------------------------------------------


class PartnershipSource(StrEnum):
    """Where a new partnership comes from; SOURCE_RULES says what that means for it."""

    PROPOSAL = "proposal"  # a municipal editor's proposal (partnership_propose)
    REVIEW = "review"  # staff settled an import row in the review queue
    IMPORT = "import"  # a row of a twin towns file (importers/twinnings)
    DEMO = "demo"  # the demo data


@dataclass(frozen=True, slots=True)
class SourceRule:
    #: The audit trail's action (the history record's change reason).
    action: RegistryAction
    #: Public at once, or a proposal that staff confirm first.
    confirmed: bool
    #: The statuses it may start with: a person proposing states a beginning, staff settling a
    #: row record a partnership the list calls current, a file may record any stage.
    statuses: frozenset[str]
    #: Whether a first status with neither date nor start year holds from the day it is
    #: recorded: a person saying "active" means now; a file or the queue does not say.
    dated_today: bool
    #: Whether recording it means the agency checked it (staff settling a review item did;
    #: a file, a proposal still to be accepted and the demo data did not).
    agency_checked: bool = False


_ANY_STATUS = frozenset(PartnershipStatus.values)

SOURCE_RULES: dict[PartnershipSource, SourceRule] = {
    PartnershipSource.PROPOSAL: SourceRule(
        action=RegistryAction.PARTNERSHIP_PROPOSED,
        confirmed=False,
        statuses=frozenset({PartnershipStatus.INITIATION, PartnershipStatus.ACTIVE}),
        dated_today=True,
    ),
    PartnershipSource.REVIEW: SourceRule(
        action=RegistryAction.REVIEW_RESOLVED,
        confirmed=True,
        statuses=frozenset({PartnershipStatus.ACTIVE}),
        dated_today=False,
        agency_checked=True,
    ),
    PartnershipSource.IMPORT: SourceRule(
        action=RegistryAction.IMPORT_TWINNINGS,
        confirmed=True,
        statuses=_ANY_STATUS,
        dated_today=False,
    ),
    PartnershipSource.DEMO: SourceRule(
        action=RegistryAction.PARTNERSHIP_CREATED,
        confirmed=True,
        statuses=_ANY_STATUS,
        dated_today=False,
    ),
}


@dataclass(slots=True)
class PartnershipDraft:
    """A partnership to be created: the pair (in either order) and what is known about it."""

    municipality_a_id: int
    municipality_b_id: int
    type: str = PartnershipType.PARTNERSCHAFT
    status: str = PartnershipStatus.ACTIVE
    start_year: int | None = None
    #: Since when the first status holds, when known (else see first_status_change).
    since: dt.date | None = None
    description: str = ""
    theme_ids: Sequence[int] = ()
    programme_ids: Sequence[int] = ()
    import_run: ImportRun | None = None
    import_row: int | None = None


#: Foreign keys are left to the database's constraints: checking each would cost a query.
_NOT_CLEANED = [
    "municipality_a",
    "municipality_b",
    "import_run",
    "created_by",
    "agency_checked_by",
    "municipality_confirmed_by",
]


def _first_status_note(source: PartnershipSource, draft: PartnershipDraft) -> str:
    # An import's file and row are the partnership's provenance (import_run, import_row),
    # named on its page in the reader's language: a note here would be frozen in one.
    if source == PartnershipSource.REVIEW:
        return _("Recorded from the import review queue.")
    if source == PartnershipSource.DEMO:
        return _("Demo data")
    return ""


def first_status_change(
    partnership: Partnership, *, draft: PartnershipDraft, source: PartnershipSource, actor
) -> PartnershipStatusChange:
    """The entry a new partnership's status history starts with: its status, from the date
    given, else (SourceRule.dated_today) from today, else from an unknown date. The start year
    says when the partnership began, not since when it has had today's status (a partnership
    dormant now was not dormant in its first year), so it never dates the status."""
    valid_from = draft.since
    if valid_from is None and SOURCE_RULES[source].dated_today:
        valid_from = timezone.localdate()
    return PartnershipStatusChange(
        partnership=partnership,
        status=partnership.status,
        valid_from=valid_from,
        note=_first_status_note(source, draft)[:300],
        actor=actor,
    )


def _draft_partnership(draft: PartnershipDraft, *, source: PartnershipSource, user) -> Partnership:
    """The unsaved partnership, checked by the model's own field rules (validators.py) and by
    the source's allowed first statuses."""
    rule = SOURCE_RULES[source]
    if draft.municipality_a_id == draft.municipality_b_id:
        raise ValidationError(_("A municipality cannot partner with itself."))
    a, b = sorted((draft.municipality_a_id, draft.municipality_b_id))
    partnership = Partnership(
        municipality_a_id=a,
        municipality_b_id=b,
        type=draft.type,
        status=draft.status,
        start_year=draft.start_year,
        description=draft.description,
        is_confirmed=rule.confirmed,
        import_run=draft.import_run,
        import_row=draft.import_row,
        created_by=user,
    )
    if rule.agency_checked:
        partnership.agency_checked_at = timezone.now()
        partnership.agency_checked_by = user
    partnership.clean_fields(exclude=_NOT_CLEANED)
    if draft.status not in rule.statuses:
        raise ValidationError(
            _("A new partnership cannot start with the status “%(status)s”.")
            % {"status": partnership.get_status_display()}
        )
    return partnership


def partnerships_create(
    drafts: Sequence[PartnershipDraft],
    *,
    actor,
    source: PartnershipSource,
    batch_size: int = 1000,
) -> list[Partnership]:
    """Every new partnership comes into the registry here, one or thousands at a time (the
    importer): checked by the same rules, with its history record and its first status entry
    (first_status_change) written in bulk. Callers check who may (a proposal, the review
    queue); scripts pass actor None. A pair already stored, or twice in `drafts`, raises
    ValidationError and nothing is written."""
    user = actor if (actor is not None and actor.is_authenticated) else None
    partnerships = [_draft_partnership(draft, source=source, user=user) for draft in drafts]
    if not partnerships:
        return []
    pairs = [(p.municipality_a_id, p.municipality_b_id) for p in partnerships]
    if len(set(pairs)) != len(pairs):
        raise ValidationError(_("This partnership is already in the registry."))
    with transaction.atomic():
        wanted = set(pairs)
        firsts = sorted({a for a, _b in pairs})
        for start in range(0, len(firsts), QUERY_CHUNK):
            stored = Partnership.objects.filter(
                municipality_a_id__in=firsts[start : start + QUERY_CHUNK]
            ).values_list("municipality_a_id", "municipality_b_id")
            if any(pair in wanted for pair in stored):
                raise ValidationError(_("This partnership is already in the registry."))
        registry_changed()  # bulk writes send no signals
        try:
            with transaction.atomic():
                created = bulk_create_with_history(
                    partnerships,
                    Partnership,
                    batch_size=batch_size,
                    default_user=user,
                    default_change_reason=SOURCE_RULES[source].action,
                )
        except IntegrityError:
            # Someone stored one of the pairs between the check above and the insert.
            if Partnership.objects.filter(
                municipality_a_id__in=firsts, municipality_b_id__in={b for _a, b in pairs}
            ).exists():
                raise ValidationError(_("This partnership is already in the registry.")) from None
            raise
        PartnershipStatusChange.objects.bulk_create(
            [
                first_status_change(partnership, draft=draft, source=source, actor=user)
                for partnership, draft in zip(created, drafts, strict=True)
            ],
            batch_size=batch_size,
        )
        for relation, ids_of in (
            (Partnership.themes, lambda draft: draft.theme_ids),
            (Partnership.programmes, lambda draft: draft.programme_ids),
        ):
            through = relation.through
            target = relation.field.m2m_reverse_field_name()
            rows = [
                through(partnership_id=partnership.pk, **{f"{target}_id": pk})
                for partnership, draft in zip(created, drafts, strict=True)
                for pk in dict.fromkeys(ids_of(draft))
            ]
            through.objects.bulk_create(rows, batch_size=batch_size)
    return created


def partnership_create(
    *,
    actor,
    source: PartnershipSource,
    municipality: Municipality,
    partner: Municipality,
    type: str = PartnershipType.PARTNERSCHAFT,
    status: str = PartnershipStatus.ACTIVE,
    start_year: int | None = None,
    since: dt.date | None = None,
    description: str = "",
    themes: Iterable[Theme] = (),
    programmes: Iterable[Programme] = (),
    import_run: ImportRun | None = None,
    import_row: int | None = None,
) -> Partnership:
    """One new partnership: partnerships_create for a single pair (same checks, same first
    status entry)."""
    draft = PartnershipDraft(
        municipality_a_id=municipality.pk,
        municipality_b_id=partner.pk,
        type=type,
        status=status,
        start_year=start_year,
        since=since,
        description=description,
        theme_ids=[theme.pk for theme in themes],
        programme_ids=[programme.pk for programme in programmes],
        import_run=import_run,
        import_row=import_row,
    )
    [partnership] = partnerships_create([draft], actor=actor, source=source)
    partnership.municipality_a, partnership.municipality_b = Partnership.ordered_pair(
        municipality, partner
    )
    return partnership


# --- Proposals --------------------------------------------------------------------------------


def partnership_propose(
    *,
    actor,
    municipality: Municipality,
    partner: Municipality,
    type: str = PartnershipType.PARTNERSCHAFT,
    start_year: int | None = None,
    description: str = "",
    status: str = PartnershipStatus.ACTIVE,
) -> Partnership:
    """A municipal editor records a partnership of their municipality. It stays unpublished
    until staff confirm it; the partner side's editors can see it meanwhile."""
    if not permissions.can_propose_partnership(actor, municipality):
        raise PermissionDenied
    with transaction.atomic():
        partnership = partnership_create(
            actor=actor,
            source=PartnershipSource.PROPOSAL,
            municipality=municipality,
            partner=partner,
            type=type,
            status=status,
            start_year=start_year,
            description=description,
        )
        recipients = [*registry_staff(), *municipality_editors(partner)]
        notify(
            event=Event.PARTNERSHIP_PROPOSED,
            recipients=[user for user in recipients if user.pk != actor.pk],
            actor=actor,
            target=partnership,
            context={"url": _partnership_url(partnership)},
        )
    return partnership


def _proposal_people(partnership: Partnership, actor) -> list:
    people = [*municipality_editors(partnership.municipality_a)]
    people += municipality_editors(partnership.municipality_b)
    if partnership.created_by_id:
        people.append(partnership.created_by)
    return people  # notify leaves out the actor and the inactive


def partnership_confirm_proposal(
    *, partnership: Partnership, actor, expected_version: int | None
) -> Partnership:
    """Staff publish a proposed partnership: the agency has checked it (agency_checked_at); the
    municipality's confirmation is its editors' to give. Only the version staff looked at is
    published (see partnership_update)."""
    if not permissions.can_confirm_proposed_partnership(actor, partnership):
        raise PermissionDenied
    with transaction.atomic():
        version_claim(partnership, expected_version=expected_version)
        partnership.is_confirmed = True
        partnership.agency_checked_at = timezone.now()
        partnership.agency_checked_by = actor
        attribute_change(partnership, actor=actor, action=RegistryAction.PROPOSAL_CONFIRMED)
        partnership.save()
        notify(
            event=Event.PARTNERSHIP_PROPOSAL_CONFIRMED,
            recipients=_proposal_people(partnership, actor),
            actor=actor,
            target=partnership,
            context={"url": _partnership_url(partnership)},
        )
    return partnership


def partnership_reject_proposal(
    *, partnership: Partnership, actor, expected_version: int | None, reason: str = ""
) -> None:
    """Staff remove a proposal that is wrong; the history keeps the deleted record. Only the
    version staff looked at is removed (see partnership_update)."""
    if not permissions.can_reject_proposed_partnership(actor, partnership):
        raise PermissionDenied
    with transaction.atomic():
        version_claim(partnership, expected_version=expected_version)
        notify(
            event=Event.PARTNERSHIP_PROPOSAL_REJECTED,
            recipients=_proposal_people(partnership, actor),
            actor=actor,
            target=partnership,
            context={"reason": reason[:500]},
        )
        attribute_change(partnership, actor=actor, action=RegistryAction.PROPOSAL_REJECTED)
        partnership.delete()


# --- Keeping current --------------------------------------------------------------------------


def partnership_confirm_current(
    *, partnership: Partnership, actor, expected_version: int | None
) -> Partnership:
    """'Still correct', said by an editor of either side: the municipality confirms the entry
    is current (municipality_confirmed_at), which takes it off the stale list. It confirms the
    version that person saw, so a later one raises EditConflict; it does not change the
    content, so the version stays (an editor's open form is still good)."""
    if not permissions.can_confirm_partnership_current(actor, partnership):
        raise PermissionDenied
    with transaction.atomic():
        version_check(partnership, expected_version=expected_version)
        partnership.municipality_confirmed_at = timezone.now()
        partnership.municipality_confirmed_by = actor
        attribute_change(partnership, actor=actor, action=RegistryAction.CONFIRMED_CURRENT)
        partnership.save(
            update_fields=["municipality_confirmed_at", "municipality_confirmed_by", "updated_at"]
        )
    return partnership


def partnership_check(
    *, partnership: Partnership, actor, expected_version: int | None
) -> Partnership:
    """Agency staff mark a published entry as checked by the agency (agency_checked_at). This
    is not the municipality's confirmation and leaves the stale list as it is. Same version
    rule as partnership_confirm_current."""
    if not permissions.can_check_partnership(actor, partnership):
        raise PermissionDenied
    with transaction.atomic():
        version_check(partnership, expected_version=expected_version)
        partnership.agency_checked_at = timezone.now()
        partnership.agency_checked_by = actor
        attribute_change(partnership, actor=actor, action=RegistryAction.AGENCY_CHECKED)
        partnership.save(update_fields=["agency_checked_at", "agency_checked_by", "updated_at"])
    return partnership


def confirmation_token_make(*, partnership: Partnership, user) -> str:
    """A link token bound to one partnership and one recipient, so a forwarded e-mail does not
    let someone else confirm; it expires after CONFIRM_LINK_MAX_AGE."""
    signer = signing.TimestampSigner(salt=_CONFIRM_SALT)
    return signer.sign(f"{partnership.pk}.{user.pk}")


def confirmation_token_read(token: str) -> tuple[int, int] | None:
    """(partnership id, user id) of a valid token, else None."""
    signer = signing.TimestampSigner(salt=_CONFIRM_SALT)
    try:
        value = signer.unsign(token, max_age=CONFIRM_LINK_MAX_AGE)
        partnership_id, user_id = value.split(".")
        return int(partnership_id), int(user_id)
    except (signing.BadSignature, ValueError):
        return None
