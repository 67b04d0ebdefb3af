"""Every action the trail records is a registered member of an app's enumeration, with a label in
German and English, and the history pages show the label, not the code."""

import warnings

import pytest
from django.urls import reverse
from django.utils import translation

from partnerportal.accounts import services as accounts_services
from partnerportal.accounts.actions import AccountsAction
from partnerportal.accounts.tests.factories import (
    InvitationFactory,
    MembershipFactory,
    MunicipalityFactory,
    UserFactory,
)
from partnerportal.audit.actions import (
    AuditAction,
    UnknownActionWarning,
    action_check,
    action_label,
    registered_actions,
)
from partnerportal.audit.selectors import _tracked_models, history_manager
from partnerportal.audit.services import attribute_change, change_revert
from partnerportal.geo.actions import GeoAction
from partnerportal.geo.services import SYNC_ACTION, countries_sync
from partnerportal.registry.actions import RegistryAction
from partnerportal.registry.importers import destatis
from partnerportal.registry.importers.twinnings import writing as twinnings
from partnerportal.registry.models import Actor, ContactPerson, PartnershipStatus, Theme
from partnerportal.registry.services import partnerships as registry_services
from partnerportal.registry.tests.factories import ForeignMunicipalityFactory, PartnershipFactory
from partnerportal.registry.tests.test_services_partnerships import make_world
from partnerportal.registry.workflows import TRANSITIONS

pytestmark = pytest.mark.django_db

ENUMS = (AuditAction, AccountsAction, RegistryAction, GeoAction)


def _recorded_actions() -> set[str]:
    """Every action (or, without one, kind of save) in every history table."""
    from partnerportal.audit.selectors import HISTORY_TYPE_ACTIONS

    found = set()
    for model in _tracked_models():
        for reason, kind in history_manager(model).values_list(
            "history_change_reason", "history_type"
        ):
            found.add(reason or HISTORY_TYPE_ACTIONS[kind])
    return found


def _exercise_registry() -> None:
    world = make_world()
    staff, editor = world["staff"], world["editor"]
    partnership = world["partnership"]
    theme = Theme.objects.create(code="t-wasser", kind="field", name_de="Wasser", name_en="Water")
    registry_services.partnership_update(
        partnership=partnership,
        actor=editor,
        expected_version=partnership.version,
        description="Neu",
        themes=[theme],
        actors=[{"municipality": world["koeln"], "name": "Verein", "kind": Actor.Kind.ASSOCIATION}],
        contacts=[
            {
                "municipality": world["koeln"],
                "name": "Paula",
                "visibility": ContactPerson.Visibility.PUBLIC,
            }
        ],
    )
    actor, contact = Actor.objects.get(), ContactPerson.objects.get()
    registry_services.partnership_update(
        partnership=partnership,
        actor=editor,
        expected_version=partnership.version,
        actors=[{"id": actor.pk, "name": "Verein e. V."}],
        contacts=[{"id": contact.pk, "name": "Paula P."}],
    )
    registry_services.partnership_update(
        partnership=partnership,
        actor=editor,
        expected_version=partnership.version,
        actors=[{"id": actor.pk, "delete": True}],
        contacts=[{"id": contact.pk, "delete": True}],
    )
    for action in ("pause", "reactivate", "end", "reactivate"):
        registry_services.partnership_transition(
            partnership=partnership, action=action, actor=staff, expected_version=None
        )
    fresh = PartnershipFactory(
        between=(world["other"], ForeignMunicipalityFactory(name="Lima", iso2="PE")),
        status=PartnershipStatus.INITIATION,
    )
    registry_services.partnership_transition(
        partnership=fresh, action="activate", actor=staff, expected_version=None
    )
    registry_services.partnership_confirm_current(
        partnership=partnership, actor=editor, expected_version=partnership.version
    )
    proposed = registry_services.partnership_propose(
        actor=editor,
        municipality=world["koeln"],
        partner=ForeignMunicipalityFactory(name="Cusco", iso2="PE"),
    )
    registry_services.partnership_confirm_proposal(
        partnership=proposed, actor=staff, expected_version=proposed.version
    )
    rejected = registry_services.partnership_propose(
        actor=editor,
        municipality=world["koeln"],
        partner=ForeignMunicipalityFactory(name="Puno", iso2="PE"),
    )
    registry_services.partnership_reject_proposal(
        partnership=rejected, actor=staff, expected_version=rejected.version
    )
    change_revert(actor=staff, history_record=partnership.history.latest(), expected_version=None)


def _exercise_accounts() -> None:
    municipality = MunicipalityFactory()
    staff = UserFactory(role="agency_admin")
    person = UserFactory()
    membership = accounts_services.membership_request(actor=person, municipality=municipality)
    membership = accounts_services.membership_confirm(actor=staff, membership=membership)
    accounts_services.membership_end(actor=staff, membership=membership)
    other = UserFactory()
    declined = accounts_services.membership_request(actor=other, municipality=municipality)
    accounts_services.membership_decline(actor=staff, membership=declined)
    withdrawn = MembershipFactory(requested=True)
    accounts_services.membership_withdraw(actor=withdrawn.user, membership=withdrawn)
    left = MembershipFactory()
    accounts_services.membership_withdraw(actor=left.user, membership=left)
    invitation = accounts_services.invitation_create(
        actor=staff, email="neu@example.org", municipality=municipality
    )
    accounts_services.invitation_accept(
        actor=UserFactory(email="neu@example.org"), invitation=invitation
    )
    accounts_services.invitation_revoke(
        actor=staff, invitation=InvitationFactory(municipality=municipality)
    )
    accounts_services.user_profile_update(actor=person, user=person, name="Neu", language="en")
    accounts_services.account_delete(actor=other, user=other)


def test_every_recorded_action_is_a_registered_member_with_a_label(settings):
    settings.PARTNERPORTAL_STAFF_MFA_REQUIRED = False
    _exercise_registry()
    _exercise_accounts()
    countries_sync(overwrite=True)

    recorded = _recorded_actions()

    known = registered_actions()
    assert recorded - set(known) == set()
    # The exercise reached the services' own actions, not only simple-history's kinds of save.
    assert {
        RegistryAction.PARTNERSHIP_UPDATED,
        RegistryAction.CONTACT_DELETED,
        RegistryAction.STATUS_END,
        RegistryAction.PROPOSAL_REJECTED,
        AccountsAction.MEMBERSHIP_ENDED,
        AccountsAction.MEMBERSHIP_DECLINED,
        AuditAction.REVERTED,
    } <= recorded


def test_codes_outside_the_services_are_registered_too():
    """The importers write their history in bulk (no signal), the workflow builds its codes."""
    known = registered_actions()
    for code in (twinnings.CHANGE_REASON, destatis.CHANGE_REASON, SYNC_ACTION):
        assert code in known
    for transition in TRANSITIONS:
        assert RegistryAction.for_transition(transition.action) in known


@pytest.mark.parametrize("enum", ENUMS, ids=lambda enum: enum.__name__)
def test_every_member_is_registered_and_translated(enum):
    known = registered_actions()
    for member in enum:
        assert known[member.value] is member
        with translation.override("en"):
            english = str(member.label)
        with translation.override("de"):
            german = action_label(member.value)
        assert german != english, f"{member.value}: no German label"
        assert german != member.value


def test_an_unregistered_code_warns_when_it_is_recorded():
    municipality = MunicipalityFactory()
    attribute_change(municipality, actor=None, action="municipality.teleported")
    with pytest.warns(UnknownActionWarning, match="municipality.teleported"):
        municipality.save()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        action_check(RegistryAction.MUNICIPALITY_UPDATED)
        action_check(None)
    assert action_label("municipality.teleported") == "municipality.teleported"


def test_history_page_shows_the_label_not_the_code(client):
    editor = UserFactory(role="agency_editor", mfa=True)
    municipality = MunicipalityFactory(name="Altstadt")
    attribute_change(municipality, actor=editor, action=RegistryAction.MUNICIPALITY_RENAMED)
    municipality.name = "Neustadt"
    municipality.save()
    client.force_login(editor)
    with translation.override("de"):
        url = reverse("audit:history", args=["registry", "municipality", municipality.pk])
        html = client.get(url).content.decode()
        label = str(RegistryAction.MUNICIPALITY_RENAMED.label)
    assert label in html
    assert "municipality.renamed" not in html
