"""The membership workflow: every row of the table performed once, and what is not in it
refused with a message, changing nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from partnerportal.accounts import services
from partnerportal.accounts.models import Membership
from partnerportal.accounts.workflows import NEW, TRANSITIONS, available_actions
from partnerportal.core.workflows import TransitionRefused

from .factories import MembershipFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

M = Membership.Status


def _membership(state: str, municipality) -> Membership:
    if state == NEW:
        return Membership(user=UserFactory(), municipality=municipality)
    return MembershipFactory(municipality=municipality, status=state)


def _allowed_actor(action: str, membership: Membership):
    if action in ("request", "withdraw", "leave"):
        return membership.user
    if action in ("confirm", "decline"):
        return UserFactory(municipality=membership.municipality)  # a local editor decides too
    return UserFactory(role="agency_admin", mfa=True)


ROWS = [(t.action, source) for t in TRANSITIONS for source in sorted(t.sources)]


@pytest.mark.parametrize(("action", "source"), ROWS)
def test_every_row_of_the_table(action, source, notifications, django_capture_on_commit_callbacks):
    transition = next(t for t in TRANSITIONS if t.action == action)
    municipality = MunicipalityFactory()
    staff = UserFactory(role="agency_editor", mfa=True)
    membership = _membership(source, municipality)
    actor = _allowed_actor(action, membership)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.membership_transition(obj=membership, action=action, actor=actor)
    if transition.target is None:
        assert result is None
        assert not Membership.objects.filter(pk=membership.pk).exists()
        deleted = Membership.history.filter(id=membership.pk, history_type="-").get()
        assert deleted.history_change_reason == transition.audit_action
    else:
        stored = Membership.objects.get(user=membership.user, municipality=municipality)
        assert stored.status == transition.target
        latest = stored.history.latest()
        assert (latest.history_change_reason, latest.history_user) == (
            transition.audit_action,
            actor,
        )
    if transition.event:
        assert notifications.events() == [str(transition.event)]
        recipients = notifications.calls[0]["recipients"]
        expected = [membership.user] if action != "request" else [staff]
        assert set(recipients) >= set(expected)
    else:
        assert notifications.events() == []


@pytest.mark.parametrize(
    ("action", "state"),
    [
        ("confirm", M.ACTIVE),
        ("decline", M.DECLINED),
        ("end", M.REQUESTED),
        ("leave", M.ENDED),
        ("withdraw", M.ACTIVE),
        ("request", M.ACTIVE),
    ],
)
def test_a_transition_not_in_the_table_is_refused_and_changes_nothing(action, state, notifications):
    membership = MembershipFactory(status=state)
    actor = _allowed_actor(action, membership)
    before = membership.history.count()
    with pytest.raises(TransitionRefused) as refused:
        services.membership_transition(obj=membership, action=action, actor=actor)
    assert refused.value.messages and refused.value.messages[0]
    assert isinstance(refused.value, ValidationError)  # pages show the message
    assert isinstance(refused.value, PermissionDenied)  # the old callers' "not allowed"
    membership.refresh_from_db()
    assert membership.status == state
    assert membership.history.count() == before
    assert notifications.events() == []


def test_the_refusal_names_the_state():
    membership = MembershipFactory(status=M.ENDED)
    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        services.membership_transition(obj=membership, action="leave", actor=membership.user)
    assert refused.value.messages == ["“Leave” is not possible while the status is “ended”."]


def test_an_unknown_action_is_refused():
    membership = MembershipFactory(requested=True)
    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        services.membership_transition(
            obj=membership, action="promote", actor=UserFactory(role="agency_admin")
        )
    assert refused.value.messages == ["Unknown action."]
    membership.refresh_from_db()
    assert membership.status == M.REQUESTED


@pytest.mark.parametrize("action", ["confirm", "decline", "withdraw", "end"])
def test_someone_not_allowed_is_refused_and_nothing_changes(action):
    membership = MembershipFactory(status=M.ACTIVE if action == "end" else M.REQUESTED)
    outsider = UserFactory(municipality=MunicipalityFactory())
    with pytest.raises(PermissionDenied):
        services.membership_transition(obj=membership, action=action, actor=outsider)
    membership.refresh_from_db()
    assert membership.status in (M.ACTIVE, M.REQUESTED)
    assert membership.decided_by is None


def test_available_actions_by_person():
    municipality = MunicipalityFactory()
    request = MembershipFactory(municipality=municipality, requested=True)
    active = MembershipFactory(municipality=municipality)
    staff = UserFactory(role="agency_editor", mfa=True)
    local = active.user

    def actions(membership, user):
        return [t.action for t in available_actions(membership, user)]

    assert actions(request, staff) == ["confirm", "decline"]
    assert actions(request, local) == ["confirm", "decline"]
    assert actions(request, request.user) == ["withdraw"]
    assert actions(request, UserFactory()) == []
    assert actions(active, local) == ["leave"]
    assert actions(active, staff) == ["end"]
    assert actions(MembershipFactory(status=M.DECLINED), staff) == []


def test_the_page_shows_the_refusal_and_nothing_changes(client):
    from django.contrib.messages import get_messages
    from django.urls import reverse

    staff = UserFactory(role="agency_admin", mfa=True)
    declined = MembershipFactory(status=M.DECLINED)
    client.force_login(staff)
    response = client.post(reverse("accounts:membership_confirm", args=[declined.pk]))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Über diese Anfrage wurde bereits entschieden."
    ]
    declined.refresh_from_db()
    assert (declined.status, declined.decided_by) == (M.DECLINED, None)
