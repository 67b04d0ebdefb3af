"""A revert goes through the app that owns the record: a partnership's status comes back only
through its workflow (a status change, checked and told to the other side), a step the
workflow does not offer is refused with the reason, and plain fields come back as before."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from partnerportal.audit.actions import AuditAction
from partnerportal.audit.services import change_revert
from partnerportal.notifications.models import Activity
from partnerportal.registry.actions import RegistryAction
from partnerportal.registry.models import Partnership, PartnershipStatus, PartnershipStatusChange
from partnerportal.registry.services.partnerships import (
    partnership_propose,
    partnership_reject_proposal,
    partnership_restore,
    partnership_transition,
    partnership_update,
)
from partnerportal.registry.tests.factories import ForeignMunicipalityFactory
from partnerportal.registry.tests.test_services_partnerships import make_world

pytestmark = pytest.mark.django_db

S = PartnershipStatus


@pytest.fixture
def world():
    return make_world()


def _revert_url(partnership, record) -> str:
    return reverse(
        "audit:revert",
        kwargs={
            "app_label": "registry",
            "model_name": "partnership",
            "pk": partnership.pk,
            "history_id": record.history_id,
        },
    )


def _step(world, action: str) -> None:
    partnership = world["partnership"]
    partnership_transition(
        partnership=partnership,
        action=action,
        actor=world["editor"],
        expected_version=partnership.version,
    )


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_status_revert_through_the_view_is_a_workflow_step_and_tells_both_sides(
    client, site, world, django_capture_on_commit_callbacks
):
    partnership = world["partnership"]
    _step(world, "pause")
    _step(world, "reactivate")
    record = partnership.history.latest()
    partnership.refresh_from_db()
    changes_before = PartnershipStatusChange.objects.filter(partnership=partnership).count()
    Activity.objects.all().delete()
    mail.outbox.clear()
    client.force_login(world["staff"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _revert_url(partnership, record), {"version": partnership.version}, follow=True
        )

    assert response.status_code == 200
    assert _messages(response) == [_("The change has been reverted.")]
    partnership.refresh_from_db()
    assert partnership.status == S.DORMANT
    changes = PartnershipStatusChange.objects.filter(partnership=partnership).order_by("pk")
    assert changes.count() == changes_before + 1
    assert (changes.last().status, changes.last().actor) == (S.DORMANT, world["staff"])
    # One entry in the trail: the workflow's own step, by the person who reverted.
    latest = partnership.history.latest()
    assert (latest.history_change_reason, latest.history_user) == (
        RegistryAction.STATUS_PAUSE,
        world["staff"],
    )
    assert partnership.history.filter(history_id__gt=record.history_id).count() == 1
    # Staff acting: the editors of both sides are told, in the feed and by e-mail.
    told = set(
        Activity.objects.filter(event="partnership.status_changed").values_list(
            "recipient", flat=True
        )
    )
    assert told == {world["editor"].pk, world["partner_editor"].pk}
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [world["editor"].email, world["partner_editor"].email]
    )


def test_revert_the_workflow_does_not_offer_is_refused_with_the_reason(client, site, world):
    partnership = world["partnership"]
    _step(world, "end")  # Active -> Ended; the table has no step from Ended back to Active
    record = partnership.history.latest()
    partnership.refresh_from_db()
    version, trail = partnership.version, partnership.history.count()
    status_changes = PartnershipStatusChange.objects.count()
    activities = Activity.objects.count()
    client.force_login(world["staff"])

    response = client.post(
        _revert_url(partnership, record), {"version": partnership.version}, follow=True
    )

    assert response.status_code == 200
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        reason = _(
            "Nothing was reverted: the workflow does not allow going from “%(current)s” to "
            "“%(target)s”."
        ) % {"current": S.ENDED.label, "target": S.ACTIVE.label}
    assert _messages(response) == [reason]
    assert reason in response.text
    partnership.refresh_from_db()
    assert (partnership.status, partnership.version) == (S.ENDED, version)
    assert partnership.history.count() == trail
    assert PartnershipStatusChange.objects.count() == status_changes
    assert Activity.objects.count() == activities


def test_refused_revert_names_both_statuses_in_german(client, site, world):
    partnership = world["partnership"]
    _step(world, "end")
    record = partnership.history.latest()
    partnership.refresh_from_db()
    client.force_login(world["staff"])
    with translation.override("de"):
        url = _revert_url(partnership, record)
    response = client.post(url, {"version": partnership.version}, follow=True)
    assert "„Beendet“" in response.text and "„Aktiv“" in response.text


def test_a_person_the_workflow_does_not_let_take_the_step_is_refused(world):
    partnership = world["partnership"]
    _step(world, "pause")
    _step(world, "reactivate")
    partnership.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        partnership_restore(
            obj=partnership,
            previous=partnership.history.latest().prev_record,
            actor=world["other_editor"],
            expected_version=partnership.version,
        )
    assert refused.value.messages == [
        _("Nothing was reverted: you may not change the status from “%(current)s” to “%(target)s”.")
        % {"current": S.REACTIVATED.label, "target": S.DORMANT.label}
    ]
    partnership.refresh_from_db()
    assert partnership.status == S.REACTIVATED


def test_status_revert_on_an_older_page_is_refused_as_a_conflict(client, site, world):
    partnership = world["partnership"]
    _step(world, "pause")
    _step(world, "reactivate")
    record = partnership.history.latest()
    partnership.refresh_from_db()
    seen = partnership.version
    partnership_update(
        partnership=partnership, actor=world["editor"], expected_version=seen, description="Neu"
    )
    status_changes = PartnershipStatusChange.objects.count()
    client.force_login(world["staff"])

    response = client.post(_revert_url(partnership, record), {"version": seen}, follow=True)

    assert "Nichts wurde rückgängig gemacht" in response.text
    partnership.refresh_from_db()
    assert (partnership.status, partnership.description) == (S.REACTIVATED, "Neu")
    assert PartnershipStatusChange.objects.count() == status_changes


def test_plain_field_revert_still_restores_the_fields(client, site, world):
    partnership = world["partnership"]
    partnership_update(
        partnership=partnership,
        actor=world["editor"],
        expected_version=partnership.version,
        description="Falsch",
        start_year=1990,
    )
    record = partnership.history.latest()
    client.force_login(world["staff"])

    response = client.post(
        _revert_url(partnership, record), {"version": partnership.version}, follow=True
    )

    assert _messages(response) == [_("The change has been reverted.")]
    partnership.refresh_from_db()
    assert (partnership.description, partnership.start_year) == ("Alt", None)
    assert partnership.status == S.ACTIVE
    assert not PartnershipStatusChange.objects.exists()
    latest = partnership.history.latest()
    assert (latest.history_change_reason, latest.history_user) == (
        AuditAction.REVERTED,
        world["staff"],
    )


def test_a_deleted_partnership_comes_back_as_it_was(world):
    proposal = partnership_propose(
        actor=world["editor"],
        municipality=world["koeln"],
        partner=ForeignMunicipalityFactory(name="Padang", iso2="ID"),
    )
    pk = proposal.pk
    partnership_reject_proposal(
        partnership=proposal, actor=world["staff"], expected_version=proposal.version
    )
    status_changes = PartnershipStatusChange.objects.count()

    change_revert(
        actor=world["staff"],
        history_record=Partnership.history.filter(id=pk).latest(),
        expected_version=None,
    )

    restored = Partnership.objects.get(pk=pk)
    assert (restored.status, restored.is_confirmed) == (S.ACTIVE, False)
    assert restored.history.latest().history_change_reason == AuditAction.REVERTED
    assert PartnershipStatusChange.objects.count() == status_changes


def test_a_membership_revert_is_refused_and_changes_nothing(client, site, world):
    """An ended membership cannot be brought back to life behind its workflow (no step, nobody
    told): the person asks again or is invited."""
    from partnerportal.accounts.models import Membership
    from partnerportal.accounts.services import membership_end

    membership = Membership.objects.get(user=world["editor"], municipality=world["koeln"])
    membership_end(actor=world["staff"], membership=membership)
    record = membership.history.latest()
    history_before = membership.history.count()
    client.force_login(world["staff"])

    response = client.post(
        reverse(
            "audit:revert",
            kwargs={
                "app_label": "accounts",
                "model_name": "membership",
                "pk": membership.pk,
                "history_id": record.history_id,
            },
        ),
        follow=True,
    )

    assert response.status_code == 200
    refusal = _(
        "A membership cannot be reverted. It changes only through its own steps: the "
        "person asks again, or the agency invites them."
    )
    assert any(refusal in message for message in _messages(response))
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ENDED
    assert membership.history.count() == history_before
