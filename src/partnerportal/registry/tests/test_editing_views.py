"""Editing pages: who may open and post them, forged forms, and that refused requests change
nothing."""

import pytest
from django.urls import reverse

from partnerportal.accounts.tests.clients import Client
from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.registry.models import Partnership, PartnershipStatus
from partnerportal.registry.services.partnerships import confirmation_token_make
from partnerportal.registry.tests.factories import ForeignMunicipalityFactory, PartnershipFactory

from .test_services_partnerships import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def edit_data(partnership, **overrides) -> dict:
    data = {
        "type": partnership.type,
        "start_year": partnership.start_year or "",
        "description": partnership.description,
        "version": partnership.version,
        "actors-TOTAL_FORMS": "0",
        "actors-INITIAL_FORMS": "0",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_editor_edits_their_partnership(client, site, world):
    partnership = world["partnership"]
    url = reverse("registry:partnership_edit", args=[partnership.pk])
    client.force_login(world["editor"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        edit_data(
            partnership,
            description="Neue Beschreibung",
            start_year="1999",
            **{
                "contacts-TOTAL_FORMS": "1",
                "contacts-0-municipality": str(world["koeln"].pk),
                "contacts-0-name": "Paula",
                "contacts-0-visibility": "public",
            },
        ),
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert (partnership.description, partnership.start_year) == ("Neue Beschreibung", 1999)
    assert partnership.contacts.get().name == "Paula"
    assert partnership.history.latest().history_user == world["editor"]


def test_editor_of_another_municipality_gets_403_and_nothing_changes(client, site, world):
    partnership = world["partnership"]
    url = reverse("registry:partnership_edit", args=[partnership.pk])
    client.force_login(world["other_editor"])
    assert client.get(url).status_code == 403
    response = client.post(url, edit_data(partnership, description="Gehackt"))
    assert response.status_code == 403
    partnership.refresh_from_db()
    assert partnership.description == "Alt"


def test_anonymous_is_sent_to_login(client, site, world):
    url = reverse("registry:partnership_edit", args=[world["partnership"].pk])
    response = client.get(url)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_forged_form_without_csrf_token_is_refused(site, world):
    partnership = world["partnership"]
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(world["editor"])
    url = reverse("registry:partnership_edit", args=[partnership.pk])
    response = csrf_client.post(url, edit_data(partnership, description="Gefälscht"))
    assert response.status_code == 403
    response = csrf_client.post(
        reverse("registry:partnership_confirm_current", args=[partnership.pk])
    )
    assert response.status_code == 403
    partnership.refresh_from_db()
    assert partnership.description == "Alt" and partnership.municipality_confirmed_at is None


def test_forged_contact_row_of_another_partnership_is_refused(client, site, world):
    partnership = world["partnership"]
    fremdstadt = ForeignMunicipalityFactory(name="Fremdstadt", iso2="PE")
    other = PartnershipFactory(between=(world["other"], fremdstadt))
    stranger = other.contacts.create(municipality=world["other"], name="Fremd")
    client.force_login(world["editor"])
    url = reverse("registry:partnership_edit", args=[partnership.pk])
    response = client.post(
        url,
        edit_data(
            partnership,
            description="Mit fremdem Kontakt",
            **{
                "contacts-TOTAL_FORMS": "1",
                "contacts-INITIAL_FORMS": "1",
                "contacts-0-id": str(stranger.pk),
                "contacts-0-municipality": str(world["koeln"].pk),
                "contacts-0-name": "Übernommen",
                "contacts-0-visibility": "public",
            },
        ),
    )
    assert response.status_code in (400, 403)
    stranger.refresh_from_db()
    partnership.refresh_from_db()
    assert stranger.name == "Fremd" and stranger.partnership == other
    assert partnership.description == "Alt"


def test_still_correct_button(client, site, world):
    partnership = world["partnership"]
    url = reverse("registry:partnership_confirm_current", args=[partnership.pk])
    client.force_login(world["editor"])
    assert client.get(url).status_code == 405
    assert client.post(url, {"version": partnership.version}).status_code == 302
    partnership.refresh_from_db()
    assert partnership.municipality_confirmed_by == world["editor"]
    client.force_login(world["other_editor"])
    assert client.post(url, {"version": partnership.version}).status_code == 403


def test_signed_link_shows_a_page_and_only_post_confirms(client, site, world):
    partnership = world["partnership"]
    token = confirmation_token_make(partnership=partnership, user=world["editor"])
    url = reverse("registry:partnership_confirm_link", args=[token])
    client.force_login(world["editor"])
    response = client.get(url)
    assert response.status_code == 200 and "<form" in response.text
    partnership.refresh_from_db()
    assert partnership.municipality_confirmed_at is None
    assert client.post(url, {"version": partnership.version}).status_code == 302
    partnership.refresh_from_db()
    assert partnership.municipality_confirmed_by == world["editor"]


def test_signed_link_is_bound_to_its_recipient_and_expires(client, site, world, settings):
    partnership = world["partnership"]
    token = confirmation_token_make(partnership=partnership, user=world["editor"])
    url = reverse("registry:partnership_confirm_link", args=[token])
    client.force_login(world["partner_editor"])  # an editor too, but not the recipient
    assert client.post(url).status_code == 403
    client.force_login(world["editor"])
    bad = reverse("registry:partnership_confirm_link", args=[token[:-2] + "xx"])
    assert client.post(bad).status_code == 400


def test_status_transition_page(client, site, world):
    partnership = world["partnership"]
    url = reverse("registry:partnership_transition", args=[partnership.pk, "pause"])
    client.force_login(world["other_editor"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"note": "x"}).status_code == 403
    client.force_login(world["editor"])
    assert client.get(url).status_code == 200
    data = {"valid_from": "2024-01-01", "note": "Ruht", "version": partnership.version}
    assert client.post(url, data).status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.DORMANT
    unknown = reverse("registry:partnership_transition", args=[partnership.pk, "fly"])
    assert client.get(unknown).status_code == 404


def test_propose_search_and_post(client, site, world):
    kidira = ForeignMunicipalityFactory(name="Kidira", iso2="SN")
    url = reverse("registry:partnership_propose", args=[world["koeln"].pk])
    client.force_login(world["other_editor"])
    assert client.get(url).status_code == 403
    client.force_login(world["editor"])
    response = client.get(url, {"q": "kidira"})
    assert response.status_code == 200 and f"?partner={kidira.pk}" in response.text
    assert client.get(url, {"partner": kidira.pk}).status_code == 200
    # Digits Python's isdigit() knows but int() does not ("²"), or too large for the database.
    for odd in ("²", "١٢", "9" * 30):
        assert client.get(url, {"partner": odd}).status_code == 200
    response = client.post(
        url,
        {"partner": kidira.pk, "type": "kontakt", "status": "anbahnung", "description": "Neu"},
    )
    assert response.status_code == 302
    proposal = Partnership.objects.get(description="Neu")
    assert not proposal.is_confirmed and proposal.status == "anbahnung"


def test_proposal_decisions_are_for_staff(client, site, world):
    world["partnership"].is_confirmed = False
    world["partnership"].save()
    confirm = reverse("registry:partnership_proposal_confirm", args=[world["partnership"].pk])
    seen = {"version": world["partnership"].version}
    client.force_login(world["editor"])
    assert client.post(confirm, seen).status_code == 403
    client.force_login(world["staff"])
    assert client.post(confirm, seen).status_code == 302
    world["partnership"].refresh_from_db()
    assert world["partnership"].is_confirmed


def test_stale_list_is_for_staff(client, site, world):
    url = reverse("registry:stale_list")
    client.force_login(world["editor"])
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(role="agency_admin", mfa=True))
    assert client.get(url).status_code == 200


def test_actions_partial_shows_buttons_by_person(client, site, world):
    from django.template.loader import render_to_string

    partnership = world["partnership"]
    html = render_to_string(
        "registry/editing/partials/partnership_actions.html",
        {"partnership": partnership, "user": world["editor"]},
    )
    assert reverse("registry:partnership_edit", args=[partnership.pk]) in html
    assert reverse("registry:partnership_confirm_current", args=[partnership.pk]) in html
    assert "/aenderungen/" not in html  # the audit trail is for staff
    html = render_to_string(
        "registry/editing/partials/partnership_actions.html",
        {"partnership": partnership, "user": world["staff"]},
    )
    assert "/aenderungen/registry/partnership/" in html
    html = render_to_string(
        "registry/editing/partials/partnership_actions.html",
        {"partnership": partnership, "user": world["other_editor"]},
    )
    assert "<form" not in html and "bearbeiten" not in html


def test_untouched_extra_rows_are_skipped(client, site, world):
    """The browser sends the blank extra row with its preselected side and default choices."""
    partnership = world["partnership"]
    client.force_login(world["editor"])
    data = edit_data(
        partnership,
        description="Nur Text",
        **{
            "actors-TOTAL_FORMS": "1",
            "actors-0-municipality": str(partnership.municipality_a_id),
            "actors-0-kind": "association",
            "contacts-TOTAL_FORMS": "1",
            "contacts-0-municipality": str(partnership.municipality_a_id),
            "contacts-0-visibility": "editors",
        },
    )
    response = client.post(reverse("registry:partnership_edit", args=[partnership.pk]), data)
    assert response.status_code == 302
    assert not partnership.actors.exists() and not partnership.contacts.exists()


def test_staff_see_who_changed_what_and_revert_it(client, site, world):
    partnership = world["partnership"]
    client.force_login(world["editor"])
    url = reverse("registry:partnership_edit", args=[partnership.pk])
    client.post(url, edit_data(partnership, description="Falsch"))
    history_url = reverse(
        "audit:history",
        kwargs={"app_label": "registry", "model_name": "partnership", "pk": partnership.pk},
    )
    assert client.get(history_url).status_code == 403  # the trail is for staff
    client.force_login(world["staff"])
    text = client.get(history_url).text
    assert world["editor"].display_name in text and "Falsch" in text
    record = partnership.history.latest()
    revert_url = reverse(
        "audit:revert",
        kwargs={
            "app_label": "registry",
            "model_name": "partnership",
            "pk": partnership.pk,
            "history_id": record.history_id,
        },
    )
    partnership.refresh_from_db()
    assert client.post(revert_url, {"version": partnership.version}).status_code == 302
    partnership.refresh_from_db()
    assert partnership.description == "Alt"


def test_abilities_agree_with_the_single_permission_checks(world):
    from django.contrib.auth.models import AnonymousUser

    from partnerportal.registry import permissions

    for proposed in (False, True):
        partnership = world["partnership"]
        partnership.is_confirmed = not proposed
        for user in (
            AnonymousUser(),
            world["editor"],
            world["partner_editor"],
            world["other_editor"],
            world["staff"],
        ):
            may = permissions.partnership_abilities(user, partnership)
            assert may == {
                "edit": permissions.can_edit_partnership(user, partnership),
                "confirm_current": permissions.can_confirm_partnership_current(user, partnership),
                "check": permissions.can_check_partnership(user, partnership),
                "decide_proposal": permissions.can_confirm_proposed_partnership(user, partnership),
                "history": permissions.can_view_partnership_history(user, partnership),
            }


def test_a_row_removed_meanwhile_shows_what_changed_not_a_hidden_field_error(client, site, world):
    """Someone removes a contact while another editor has the form open: the second save is
    refused as a conflict that names the change, with the person's other input kept."""
    partnership = world["partnership"]
    url = reverse("registry:partnership_edit", args=[partnership.pk])
    row = {
        "contacts-0-municipality": str(world["koeln"].pk),
        "contacts-0-name": "Paula",
        "contacts-0-visibility": "public",
    }
    client.force_login(world["editor"])
    client.post(url, edit_data(partnership, **{"contacts-TOTAL_FORMS": "1", **row}))
    partnership.refresh_from_db()
    contact = partnership.contacts.get()
    seen = edit_data(
        partnership,
        description="Meine Ergänzung",
        **{
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "1",
            "contacts-0-id": str(contact.pk),
            **row,
        },
    )
    # Meanwhile someone else (agency staff) removes the contact.
    staff = Client()
    staff.force_login(UserFactory(role="agency_editor", mfa=True))
    removal = {**seen, "description": partnership.description, "contacts-0-DELETE": "on"}
    assert staff.post(url, removal).status_code == 302

    response = client.post(url, seen)
    assert response.status_code == 409
    text = response.content.decode()
    assert "Nicht gespeichert" in text
    assert "Meine Ergänzung" in text
    partnership.refresh_from_db()
    assert partnership.description != "Meine Ergänzung"
    assert not partnership.contacts.exists()
