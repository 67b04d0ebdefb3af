"""Staff settle the import rows that could not be resolved without guessing: they pick the
municipality (or create it) and the partnership of that row is recorded with the row as its
provenance, or they dismiss the row."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerportal.audit.services import attribute_change
from partnerportal.core.workflows import Transition, transition_check
from partnerportal.geo.models import Country

from ..actions import RegistryAction
from ..models import Municipality, Partnership, ReviewItem
from ..workflows import REVIEW_ITEM_TRANSITIONS
from .partnerships import PartnershipSource, partnership_create


def review_item_sibling(item: ReviewItem) -> ReviewItem | None:
    """The item for the other side of the same row, when both sides failed."""
    return (
        ReviewItem.objects.filter(import_run_id=item.import_run_id, row_number=item.row_number)
        .exclude(pk=item.pk)
        .select_related("resolved_municipality")
        .first()
    )


def review_item_known_partner(sibling: ReviewItem | None) -> Municipality | None:
    """The other side of a row when staff have already settled it: the municipality chosen for
    the sibling item (the other side of the same row), if any. The caller reads the sibling
    once (review_item_sibling) and passes it."""
    return sibling.resolved_municipality if sibling is not None else None


def _check(item: ReviewItem, actor, action: str) -> Transition:
    """The row of the table (registry.workflows) that allows `action` on `item` now."""
    return transition_check(
        REVIEW_ITEM_TRANSITIONS,
        action=action,
        obj=item,
        actor=actor,
        state=item.status,
        wrong_state_message=_("This row has already been dealt with."),
    )


def _state_set(item: ReviewItem, transition: Transition, actor, *, at=None) -> None:
    """The state change every transition of a review item makes, and who made it when."""
    item.status = transition.target
    item.resolved_by = actor
    item.resolved_at = at or timezone.now()


def review_item_transition(*, obj: ReviewItem, action: str, actor) -> ReviewItem:
    """The one way a review item changes state without recording anything else ("dismiss");
    "resolve" and "create" need a municipality and go through review_item_resolve and
    review_item_municipality_create, which check the same table."""
    transition = _check(obj, actor, action)
    if transition.action != "dismiss":
        raise ValidationError(_("Please choose a municipality."), code="municipality_required")
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().get(pk=obj.pk)
        transition = _check(item, actor, action)
        _state_set(item, transition, actor)
        item.save()
    obj.status, obj.resolved_by, obj.resolved_at = item.status, item.resolved_by, item.resolved_at
    return obj


def review_item_resolve(
    *, item: ReviewItem, actor, municipality: Municipality, partner: Municipality | None = None
) -> Partnership | None:
    """Record the chosen municipality and, once both sides are known, the row's partnership
    (pair ordered, one partnership for A–B and B–A). Returns the partnership, or None while the
    other side of the row still waits in the queue."""
    _check(item, actor, "resolve")
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().get(pk=item.pk)
        transition = _check(item, actor, "resolve")
        sibling = review_item_sibling(item)
        if partner is None:
            partner = review_item_known_partner(sibling)
        if partner is None and not (sibling and sibling.status == ReviewItem.Status.OPEN):
            raise ValidationError(_("Please choose the partner municipality as well."))
        if partner is not None and partner.pk == municipality.pk:
            raise ValidationError(_("A municipality cannot partner with itself."))
        _state_set(item, transition, actor)
        item.resolved_municipality = municipality
        item.save()
        if partner is None:
            return None
        if sibling is not None and sibling.status == ReviewItem.Status.OPEN:
            _state_set(sibling, transition, actor, at=item.resolved_at)
            sibling.resolved_municipality = partner
            sibling.save()
        first, second = Partnership.ordered_pair(municipality, partner)
        partnership = Partnership.objects.filter(
            municipality_a=first, municipality_b=second
        ).first()
        if partnership is None:
            partnership = partnership_create(
                actor=actor,
                source=PartnershipSource.REVIEW,
                municipality=first,
                partner=second,
                import_run=item.import_run,
                import_row=item.row_number,
            )
    return partnership


def review_item_dismiss(*, item: ReviewItem, actor) -> ReviewItem:
    """The row is wrong or not a partnership: keep it for the record, record nothing."""
    return review_item_transition(obj=item, action="dismiss", actor=actor)


def review_item_municipality_create(
    *,
    item: ReviewItem,
    actor,
    name: str,
    country: Country,
    latitude: float | None = None,
    longitude: float | None = None,
    partner: Municipality | None = None,
) -> tuple[Municipality, Partnership | None]:
    """A place no gazetteer lists: staff create it (checked by a person, hence verified) and
    resolve the row with it."""
    _check(item, actor, "create")
    with transaction.atomic():
        municipality = Municipality(
            name=name,
            country=country,
            kind=Municipality.Kind.GEMEINDE if country.pk == "DE" else Municipality.Kind.FOREIGN,
            latitude=latitude,
            longitude=longitude,
            source=Municipality.Source.STAFF,
            verified=True,
        )
        attribute_change(municipality, actor=actor, action=RegistryAction.MUNICIPALITY_CREATED)
        municipality.save()
        partnership = review_item_resolve(
            item=item, actor=actor, municipality=municipality, partner=partner
        )
    return municipality, partnership
