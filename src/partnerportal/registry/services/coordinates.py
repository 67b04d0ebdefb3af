"""Coordinates that lie outside their country go to the review queue.

Every place's coordinates are checked against its country's outline (geo.outlines.country_fit):
the twin towns import checks the places it creates, `partnerportal check_coordinates` checks
the whole registry (the same check cleans the data of earlier imports), and the edit forms refuse
coordinates that do not fit (Municipality.clean). A place that does not fit gets one review item
of kind "coordinates" (one per place, however often it is checked) and leaves the map: its
coordinates are cleared (the item and the history keep them), because a point in the wrong
country misleads more than a missing one. Places of the Destatis Gemeindeverzeichnis keep their
official coordinates and are only listed (their only misfit in the real data is Borkum, where
the 1:50m outlines are too coarse).

The outlines are coarse, so staff have the last word: "keep as they are" (review_item_
coordinates_keep) gives the place back the coordinates of its item and resolves it. Coordinates
staff kept, that is the coordinates in the raw row of an item they settled (kept, or dismissed),
are not flagged again by a later check or import, and the edit forms accept them. A settled item
is opened again only when the place's coordinates have changed since.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerportal.audit.services import attribute_change
from partnerportal.geo.outlines import CountryFit, country_fit

from ..actions import RegistryAction
from ..changes import registry_changed
from ..coordinate_rules import (
    _kept,
    _misfit_text,
    _same_point,
    coordinates_refusal,
    coordinates_review_key,
)
from ..models import ImportRun, Municipality, ReviewItem

#: progress(done, total)
Progress = Callable[[int, int], None]
BATCH = 2000


@dataclass
class CoordinatesOutcome:
    checked: int = 0
    fitting: int = 0
    unknown: int = 0  # no outline for the country, or a territory without a code
    #: (pk, name, country, distance in km) of every place moved to the review queue.
    moved: list[tuple[int, str, str, float]] = field(default_factory=list)
    #: Official places (Destatis) that do not fit: listed in the queue, coordinates kept.
    flagged_official: list[tuple[int, str, str, float]] = field(default_factory=list)
    #: Places that do not fit but whose coordinates staff kept (left alone).
    kept: int = 0
    run: ImportRun | None = None


def _review_item(
    municipality: Municipality,
    fit: CountryFit,
    run: ImportRun,
    row: int,
    existing: ReviewItem | None,
) -> ReviewItem:
    """One item per place, created when missing. An open item for these same coordinates is
    left as it is (items staff settled keeping them never come here, see _kept); when the place
    has moved since the item was written, or comes back with coordinates staff replaced, the
    item records the coordinates now and is open again."""
    if (
        existing is not None
        and existing.status == ReviewItem.Status.OPEN
        and _same_point(
            existing.raw if isinstance(existing.raw, dict) else {},
            municipality.latitude,
            municipality.longitude,
        )
    ):
        return existing
    raw = {
        "name": municipality.name,
        "country": municipality.country_id,
        "latitude": municipality.latitude,
        "longitude": municipality.longitude,
        "distance_km": None if fit.distance_km == float("inf") else round(fit.distance_km, 1),
        "lies_in": fit.lies_in,
    }
    values = {
        "import_run": run,
        "row_number": row,
        "side": "",
        "raw": raw,
        "reason": _misfit_text(fit, municipality.country_id)[:300],
        "kind": ReviewItem.Kind.COORDINATES,
        "municipality": municipality,
        "status": ReviewItem.Status.OPEN,
        "resolved_by": None,
        "resolved_at": None,
        "resolved_municipality": None,
    }
    if existing is None:
        return ReviewItem.objects.create(key=coordinates_review_key(municipality.pk), **values)
    for name, value in values.items():
        setattr(existing, name, value)
    existing.save()
    return existing


def municipalities_coordinates_check(
    *,
    actor,
    municipalities: Iterable[Municipality] | None = None,
    run: ImportRun | None = None,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> CoordinatesOutcome:
    """Check the coordinates of `municipalities` (default: every place that has some) and move
    those outside their country to the review queue. Items are recorded under `run` (the import
    that brought the places), or under a run of kind "coordinate check" made for this call."""
    outcome = CoordinatesOutcome()
    if municipalities is None:
        places = Municipality.objects.filter(latitude__isnull=False, longitude__isnull=False)
        total = places.count()
        municipalities = places.order_by("pk").iterator(chunk_size=BATCH)
    else:
        municipalities = [m for m in municipalities if m.latitude is not None]
        total = len(municipalities)
    misplaced: list[tuple[Municipality, CountryFit]] = []
    for municipality in municipalities:
        if municipality.longitude is None:
            continue
        fit = country_fit(municipality.latitude, municipality.longitude, municipality.country_id)
        outcome.checked += 1
        if fit.fits is None:
            outcome.unknown += 1
        elif fit.fits:
            outcome.fitting += 1
        else:
            misplaced.append((municipality, fit))
        if progress and outcome.checked % 1000 == 0:
            progress(outcome.checked, total)
    if progress:
        progress(outcome.checked, total)
    items = {
        item.key: item
        for item in ReviewItem.objects.filter(
            key__in=[coordinates_review_key(m.pk) for m, _fit in misplaced]
        )
    }
    doubted = []
    for municipality, fit in misplaced:
        item = items.get(coordinates_review_key(municipality.pk))
        if _kept(item, municipality.latitude, municipality.longitude):
            outcome.kept += 1  # staff kept these coordinates: not flagged again
        else:
            doubted.append((municipality, fit, item))
    misplaced = [(municipality, fit) for municipality, fit, _item in doubted]
    for municipality, fit in misplaced:
        entry = (municipality.pk, municipality.name, municipality.country_id, fit.distance_km)
        if municipality.source == Municipality.Source.DESTATIS:
            outcome.flagged_official.append(entry)
        else:
            outcome.moved.append(entry)
    if dry_run or not misplaced:
        return outcome
    history_user = actor if (actor is not None and actor.is_authenticated) else None
    with transaction.atomic():
        if run is None:
            run = ImportRun.objects.create(
                kind=ImportRun.Kind.COORDINATES,
                file_name=_("coordinate check"),
                actor=history_user,
                finished_at=timezone.now(),
                counts={},
            )
        for row, (municipality, fit, item) in enumerate(doubted, start=1):
            _review_item(municipality, fit, run, row, item)
            if municipality.source == Municipality.Source.DESTATIS:
                continue
            municipality.latitude = municipality.longitude = None
            attribute_change(
                municipality, actor=history_user, action=RegistryAction.COORDINATES_TO_REVIEW
            )
            municipality.save(update_fields=["latitude", "longitude"])
        if run.kind == ImportRun.Kind.COORDINATES:
            run.counts = {
                "checked": outcome.checked,
                "fitting": outcome.fitting,
                "unknown": outcome.unknown,
                "moved": len(outcome.moved),
                "official": len(outcome.flagged_official),
                "kept": outcome.kept,
            }
            run.save(update_fields=["counts"])
        registry_changed()
    outcome.run = run
    return outcome


def review_item_coordinates_resolve(
    *, item: ReviewItem, actor, latitude: float, longitude: float
) -> Municipality:
    """Staff give the place its right coordinates: they must fit its country; the item is
    resolved with the place as its answer."""
    from .review import _check, _state_set  # the review queue's one table and state change

    _check(item, actor, "resolve")
    municipality = item.municipality
    if municipality is None:
        raise ValidationError(_("This item names no municipality."))
    error = coordinates_refusal(
        latitude=latitude, longitude=longitude, country_id=municipality.country_id
    )
    if error is not None:
        raise error
    with transaction.atomic():
        locked = ReviewItem.objects.select_for_update().get(pk=item.pk)
        transition = _check(locked, actor, "resolve")
        municipality.latitude, municipality.longitude = latitude, longitude
        attribute_change(municipality, actor=actor, action=RegistryAction.COORDINATES_CORRECTED)
        municipality.save(update_fields=["latitude", "longitude"])
        _state_set(locked, transition, actor)
        locked.resolved_municipality = municipality
        locked.save()
    item.status, item.resolved_by, item.resolved_at = (
        locked.status,
        locked.resolved_by,
        locked.resolved_at,
    )
    return municipality


def review_item_coordinates_keep(*, item: ReviewItem, actor) -> Municipality:
    """Staff keep the coordinates as they are: the outlines doubt them, but they are right
    (Borkum, Melilla, Kastellorizo). The place gets back the coordinates its item recorded (a
    check had cleared them) and the item is resolved with the place; later checks and imports
    leave these coordinates alone (see _kept)."""
    from .review import _check, _state_set  # the review queue's one table and state change

    _check(item, actor, "resolve")
    municipality = item.municipality
    raw = item.raw if isinstance(item.raw, dict) else {}
    if item.kind != ReviewItem.Kind.COORDINATES or municipality is None:
        raise ValidationError(_("This item names no municipality."))
    if raw.get("latitude") is None or raw.get("longitude") is None:
        raise ValidationError(_("This item records no coordinates to keep."))
    latitude, longitude = float(raw["latitude"]), float(raw["longitude"])
    with transaction.atomic():
        locked = ReviewItem.objects.select_for_update().get(pk=item.pk)
        transition = _check(locked, actor, "resolve")
        municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
        if (municipality.latitude, municipality.longitude) != (latitude, longitude):
            municipality.latitude, municipality.longitude = latitude, longitude
            attribute_change(municipality, actor=actor, action=RegistryAction.COORDINATES_CORRECTED)
            municipality.save(update_fields=["latitude", "longitude"])
        _state_set(locked, transition, actor)
        locked.raw = {**raw, "kept": True}
        locked.resolved_municipality = municipality
        locked.save()
    item.status, item.resolved_by, item.resolved_at, item.raw = (
        locked.status,
        locked.resolved_by,
        locked.resolved_at,
        locked.raw,
    )
    item.resolved_municipality = municipality
    return municipality
