"""Self-service edits, proposals and the 'still correct' confirmation, at the service level."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.notifications.models import Activity
from partnerportal.registry.models import (
    ContactPerson,
    Partnership,
    PartnershipStatusChange,
    Theme,
)
from partnerportal.registry.services import partnerships as services
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


def make_world() -> dict:
    """Köln with its editor, its partner Yarinacocha with an editor, and someone else's town."""
    koeln = MunicipalityFactory(name="Köln")
    yarinacocha = ForeignMunicipalityFactory(name="Yarinacocha", iso2="PE")
    other = MunicipalityFactory(name="Anderswo")
    return {
        "koeln": koeln,
        "partner": yarinacocha,
        "other": other,
        "partnership": PartnershipFactory(between=(koeln, yarinacocha), description="Alt"),
        "editor": UserFactory(municipality=koeln),
        "partner_editor": UserFactory(municipality=yarinacocha),
        "other_editor": UserFactory(municipality=other),
        "staff": UserFactory(role="agency_editor", mfa=True),
    }


@pytest.fixture
def world():
    return make_world()


def test_update_changes_fields_and_m2m_and_is_attributed(world):
    theme = Theme.objects.first() or Theme.objects.create(
        code="wasser", kind="field", name_de="Wasser", name_en="Water"
    )
    partnership = world["partnership"]
    services.partnership_update(
        partnership=partnership,
        expected_version=partnership.version,
        actor=world["editor"],
        type="klimapartnerschaft",
        start_year=2015,
        description="Neu",
        themes=[theme],
    )
    partnership.refresh_from_db()
    assert (partnership.type, partnership.start_year, partnership.description) == (
        "klimapartnerschaft",
        2015,
        "Neu",
    )
    assert list(partnership.themes.all()) == [theme]
    latest = partnership.history.latest()
    assert latest.history_user == world["editor"]
    assert latest.history_change_reason == "partnership.updated"
    assert latest.description == "Neu"


def test_update_by_someone_elses_editor_is_refused_and_changes_nothing(world):
    partnership = world["partnership"]
    with pytest.raises(PermissionDenied):
        services.partnership_update(
            partnership=partnership,
            expected_version=partnership.version,
            actor=world["other_editor"],
            description="Gehackt",
        )
    partnership.refresh_from_db()
    assert partnership.description == "Alt"


def test_update_rows_of_contacts_and_actors(world):
    partnership, koeln = world["partnership"], world["koeln"]
    services.partnership_update(
        partnership=partnership,
        expected_version=partnership.version,
        actor=world["partner_editor"],
        contacts=[{"municipality": koeln, "name": "Paula", "visibility": "public"}],
        actors=[{"municipality": koeln, "name": "Verein", "kind": "association"}],
    )
    contact = partnership.contacts.get()
    assert contact.name == "Paula" and contact.history.latest().history_user is not None
    services.partnership_update(
        partnership=partnership,
        expected_version=partnership.version,
        actor=world["editor"],
        contacts=[{"id": contact.pk, "name": "Paula P.", "visibility": "editors"}],
    )
    contact.refresh_from_db()
    assert (contact.name, contact.visibility) == ("Paula P.", "editors")
    services.partnership_update(
        partnership=partnership,
        expected_version=partnership.version,
        actor=world["editor"],
        contacts=[{"id": contact.pk, "delete": True}],
    )
    assert not partnership.contacts.exists()


def test_update_refuses_rows_of_another_partnership_and_foreign_sides(world):
    partnership = world["partnership"]
    seen = partnership.version  # both attempts come from a form read at this version
    elsewhere = PartnershipFactory(
        between=(world["other"], ForeignMunicipalityFactory(name="Irgendwo", iso2="PE"))
    )
    stranger = ContactPerson.objects.create(
        partnership=elsewhere, municipality=world["other"], name="Fremd"
    )
    with pytest.raises(PermissionDenied):
        services.partnership_update(
            partnership=partnership,
            expected_version=seen,
            actor=world["editor"],
            contacts=[{"id": stranger.pk, "name": "Übernommen"}],
        )
    stranger.refresh_from_db()
    assert stranger.name == "Fremd"
    with pytest.raises(ValidationError):
        services.partnership_update(
            partnership=partnership,
            expected_version=seen,
            actor=world["editor"],
            description="Teil",
            contacts=[{"municipality": world["other"], "name": "Falsche Seite"}],
        )
    partnership.refresh_from_db()
    assert partnership.description == "Alt"  # atomic: the field change was rolled back too


def test_propose_creates_an_unconfirmed_partnership_and_tells_staff_and_partner(
    world, django_capture_on_commit_callbacks
):
    new_partner = ForeignMunicipalityFactory(name="Kidira", iso2="SN")
    partner_editor = UserFactory(municipality=new_partner)
    with django_capture_on_commit_callbacks(execute=True):
        partnership = services.partnership_propose(
            actor=world["editor"],
            municipality=world["koeln"],
            partner=new_partner,
            type="projektpartnerschaft",
            start_year=2020,
            description="Vorschlag",
        )
    assert not partnership.is_confirmed and partnership.created_by == world["editor"]
    assert partnership.municipality_a_id < partnership.municipality_b_id
    assert PartnershipStatusChange.objects.filter(partnership=partnership).count() == 1
    told = set(
        Activity.objects.filter(event="partnership.proposed").values_list("recipient", flat=True)
    )
    assert told == {world["staff"].pk, partner_editor.pk}
    assert len(mail.outbox) == 2
    # The partner side's editors can see the proposal; others cannot.
    from partnerportal.registry import permissions

    assert permissions.can_view_partnership(partner_editor, partnership)
    assert not permissions.can_view_partnership(world["other_editor"], partnership)


def test_propose_refuses_others_duplicates_and_self(world):
    with pytest.raises(PermissionDenied):
        services.partnership_propose(
            actor=world["other_editor"],
            municipality=world["koeln"],
            partner=ForeignMunicipalityFactory(name="X", iso2="PE"),
        )
    with pytest.raises(ValidationError):
        services.partnership_propose(
            actor=world["editor"], municipality=world["koeln"], partner=world["partner"]
        )
    with pytest.raises(ValidationError):
        services.partnership_propose(
            actor=world["editor"], municipality=world["koeln"], partner=world["koeln"]
        )


def test_staff_confirm_or_reject_a_proposal(world):
    proposal = services.partnership_propose(
        actor=world["editor"],
        municipality=world["koeln"],
        partner=ForeignMunicipalityFactory(name="Kidira", iso2="SN"),
    )
    with pytest.raises(PermissionDenied):
        services.partnership_confirm_proposal(
            partnership=proposal, expected_version=proposal.version, actor=world["editor"]
        )
    services.partnership_confirm_proposal(
        partnership=proposal, expected_version=proposal.version, actor=world["staff"]
    )
    proposal.refresh_from_db()
    assert proposal.is_confirmed and proposal.agency_checked_by == world["staff"]
    assert (
        proposal.municipality_confirmed_at is None
    )  # the agency accepted; no municipality said so
    assert Activity.objects.filter(
        event="partnership.proposal_confirmed", recipient=world["editor"]
    ).exists()

    second = services.partnership_propose(
        actor=world["editor"],
        municipality=world["koeln"],
        partner=ForeignMunicipalityFactory(name="Padang", iso2="ID"),
    )
    with pytest.raises(PermissionDenied):
        services.partnership_reject_proposal(
            partnership=second, expected_version=second.version, actor=world["editor"]
        )
    pk = second.pk
    services.partnership_reject_proposal(
        partnership=second, expected_version=second.version, actor=world["staff"], reason="Doppelt"
    )
    assert not Partnership.objects.filter(pk=pk).exists()
    deleted = Partnership.history.filter(id=pk).latest()
    assert deleted.history_type == "-" and deleted.history_user == world["staff"]


def test_confirm_current_sets_when_and_who(world):
    partnership = world["partnership"]
    with pytest.raises(PermissionDenied):
        services.partnership_confirm_current(
            partnership=partnership,
            expected_version=partnership.version,
            actor=world["other_editor"],
        )
    services.partnership_confirm_current(
        partnership=partnership, expected_version=partnership.version, actor=world["partner_editor"]
    )
    partnership.refresh_from_db()
    assert partnership.municipality_confirmed_by == world["partner_editor"]
    assert partnership.municipality_confirmed_at is not None
    assert partnership.history.latest().history_change_reason == "partnership.confirmed_current"


def test_confirmation_token_is_bound_and_signed(world):
    token = services.confirmation_token_make(partnership=world["partnership"], user=world["editor"])
    assert services.confirmation_token_read(token) == (
        world["partnership"].pk,
        world["editor"].pk,
    )
    assert services.confirmation_token_read(token + "x") is None
    assert services.confirmation_token_read("1.2:abc:def") is None
