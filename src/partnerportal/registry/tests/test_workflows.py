"""The status workflow: a table, one service, and the buttons it offers to whom."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partnerportal.notifications.models import Activity
from partnerportal.registry.models import PartnershipStatus, PartnershipStatusChange
from partnerportal.registry.services.partnerships import partnership_transition
from partnerportal.registry.workflows import TRANSITIONS, available_actions, transitions_from

from .test_services_partnerships import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


S = PartnershipStatus


def test_table_covers_the_lifecycle():
    edges = {(source, t.target) for t in TRANSITIONS for source in t.sources}
    assert (S.INITIATION, S.ACTIVE) in edges
    assert (S.ACTIVE, S.DORMANT) in edges
    assert (S.DORMANT, S.REACTIVATED) in edges
    assert (S.REACTIVATED, S.DORMANT) in edges
    for source in (S.INITIATION, S.ACTIVE, S.DORMANT, S.REACTIVATED):
        assert (source, S.ENDED) in edges
    assert (S.ENDED, S.REACTIVATED) in edges
    assert all(t.target not in t.sources for t in TRANSITIONS)
    assert [t.action for t in transitions_from(S.ACTIVE)] == ["pause", "end"]


def test_available_actions_by_person(world):
    partnership = world["partnership"]
    assert [t.action for t in available_actions(partnership, world["editor"])] == ["pause", "end"]
    assert available_actions(partnership, world["partner_editor"])
    assert available_actions(partnership, world["staff"])
    assert available_actions(partnership, world["other_editor"]) == []
    from django.contrib.auth.models import AnonymousUser

    assert available_actions(partnership, AnonymousUser()) == []


def test_transition_records_history_audit_and_tells_the_other_side(world):
    partnership = world["partnership"]
    change = partnership_transition(
        partnership=partnership,
        expected_version=partnership.version,
        action="pause",
        actor=world["editor"],
        valid_from=dt.date(2024, 3, 1),
        note="Pause wegen Wahl",
    )
    partnership.refresh_from_db()
    assert partnership.status == S.DORMANT
    assert (change.status, change.valid_from, change.actor) == (
        S.DORMANT,
        dt.date(2024, 3, 1),
        world["editor"],
    )
    record = partnership.history.latest()
    assert (record.history_user, record.history_change_reason) == (
        world["editor"],
        "partnership.pause",
    )
    told = set(
        Activity.objects.filter(event="partnership.status_changed").values_list(
            "recipient", flat=True
        )
    )
    assert told == {world["partner_editor"].pk}

    partnership_transition(
        partnership=partnership,
        expected_version=partnership.version,
        action="reactivate",
        actor=world["staff"],
    )
    partnership.refresh_from_db()
    assert partnership.status == S.REACTIVATED
    assert PartnershipStatusChange.objects.filter(partnership=partnership).count() == 2


def test_transition_from_the_wrong_state_or_by_the_wrong_person_changes_nothing(world):
    partnership = world["partnership"]
    with pytest.raises(ValidationError):
        partnership_transition(
            partnership=partnership,
            expected_version=partnership.version,
            action="activate",
            actor=world["editor"],
        )
    with pytest.raises(ValidationError):
        partnership_transition(
            partnership=partnership,
            expected_version=partnership.version,
            action="fly",
            actor=world["editor"],
        )
    with pytest.raises(PermissionDenied):
        partnership_transition(
            partnership=partnership,
            expected_version=partnership.version,
            action="end",
            actor=world["other_editor"],
        )
    partnership.refresh_from_db()
    assert partnership.status == S.ACTIVE
    assert not PartnershipStatusChange.objects.exists()
