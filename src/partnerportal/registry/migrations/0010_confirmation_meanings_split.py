"""Data for 0008/0009: who confirmed what.

- A confirmation made by someone who never edited for either side (agency staff accepting a
  proposal, or pressing "still correct" themselves) was the agency's check, not the
  municipality's: it moves to agency_checked_*. Where the person is gone, the history's action
  decides (an accepted proposal was the agency's).
- A partnership staff recorded from the import review queue was checked by them when it was
  recorded.
- The first status entry of an imported partnership carried "Imported from <file>, row <n>",
  frozen in the importer's language: the partnership's provenance says this now, in the page's
  language, so the note goes.
"""

from django.db import migrations

BATCH = 500
PROPOSAL_CONFIRMED = "partnership.proposal_confirmed"
REVIEW_RESOLVED = "partnership.review_resolved"
IMPORT_NOTE_PREFIXES = ("Importiert aus ", "Imported from ")


def split_confirmations(apps, schema_editor):
    Partnership = apps.get_model("registry", "Partnership")
    HistoricalPartnership = apps.get_model("registry", "HistoricalPartnership")
    Membership = apps.get_model("accounts", "Membership")
    # Who edited for a municipality (now or earlier); a request or a declined one is not.
    editors = set(
        Membership.objects.filter(status__in=("active", "ended")).values_list(
            "user_id", "municipality_id"
        )
    )
    moved = []
    for partnership in Partnership.objects.filter(municipality_confirmed_at__isnull=False).iterator(
        chunk_size=BATCH
    ):
        person = partnership.municipality_confirmed_by_id
        if person is not None:
            municipal = (person, partnership.municipality_a_id) in editors or (
                person,
                partnership.municipality_b_id,
            ) in editors
        else:
            municipal = not HistoricalPartnership.objects.filter(
                id=partnership.pk,
                municipality_confirmed_at=partnership.municipality_confirmed_at,
                history_change_reason=PROPOSAL_CONFIRMED,
            ).exists()
        if municipal:
            continue
        partnership.agency_checked_at = partnership.municipality_confirmed_at
        partnership.agency_checked_by_id = person
        partnership.municipality_confirmed_at = None
        partnership.municipality_confirmed_by_id = None
        moved.append(partnership)
    Partnership.objects.bulk_update(
        moved,
        [
            "agency_checked_at",
            "agency_checked_by",
            "municipality_confirmed_at",
            "municipality_confirmed_by",
        ],
        batch_size=BATCH,
    )
    # Recorded by staff from the review queue: checked then (unless a later check moved above).
    already = {p.pk for p in moved}
    reviewed = HistoricalPartnership.objects.filter(
        history_type="+", history_change_reason=REVIEW_RESOLVED
    ).values_list("id", "history_date", "history_user_id")
    checked = [
        Partnership(pk=pk, agency_checked_at=when, agency_checked_by_id=person)
        for pk, when, person in reviewed.iterator(chunk_size=BATCH)
        if pk not in already
    ]
    alive = set()
    for start in range(0, len(checked), BATCH):  # deleted since: nothing to update
        chunk = [p.pk for p in checked[start : start + BATCH]]
        alive.update(Partnership.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    Partnership.objects.bulk_update(
        [p for p in checked if p.pk in alive],
        ["agency_checked_at", "agency_checked_by"],
        batch_size=BATCH,
    )


def merge_confirmations_back(apps, schema_editor):
    """Backwards: before 0008 there was one "last confirmed"; an agency check becomes it where
    no municipality confirmed, so that going back loses no date (0009 then drops the fields)."""
    from django.db.models import F

    Partnership = apps.get_model("registry", "Partnership")
    Partnership.objects.filter(
        municipality_confirmed_at__isnull=True, agency_checked_at__isnull=False
    ).update(
        municipality_confirmed_at=F("agency_checked_at"),
        municipality_confirmed_by=F("agency_checked_by"),
    )


def drop_frozen_import_notes(apps, schema_editor):
    from django.db.models import Q

    PartnershipStatusChange = apps.get_model("registry", "PartnershipStatusChange")
    frozen = Q()
    for prefix in IMPORT_NOTE_PREFIXES:
        frozen |= Q(note__startswith=prefix)
    PartnershipStatusChange.objects.filter(frozen, partnership__import_run__isnull=False).update(
        note=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_agency_checked_reminder_round"),
        ("accounts", "0003_role_groups"),
    ]

    operations = [
        migrations.RunPython(split_confirmations, merge_confirmations_back),
        migrations.RunPython(drop_frozen_import_notes, migrations.RunPython.noop),
    ]
