from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from partnerportal.accounts.models import Membership
from partnerportal.accounts.tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    UserFactory,
)
from partnerportal.audit.permissions import can_revert_change, can_view_history
from partnerportal.audit.selectors import history_model_for, object_history
from partnerportal.audit.services import REVERT_ACTION, attribute_change, change_revert
from partnerportal.registry.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.PARTNERPORTAL_STAFF_MFA_REQUIRED = False


def _rename(municipality, *, actor, name):
    attribute_change(municipality, actor=actor, action="municipality.renamed")
    municipality.name = name
    municipality.save()


def _history_url(obj):
    return reverse("audit:history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


def _revert_url(obj, history_id):
    opts = obj._meta
    return reverse("audit:revert", args=[opts.app_label, opts.model_name, obj.pk, history_id])


def test_object_history_lists_who_when_action_and_diff():
    editor = UserFactory(role="agency_editor", name="Erika Editor")
    municipality = MunicipalityFactory(name="Altstadt")
    _rename(municipality, actor=editor, name="Neustadt")

    changes = object_history(municipality)

    assert [c.action for c in changes] == ["municipality.renamed", "create"]
    latest = changes[0]
    assert latest.who == "Erika Editor"
    assert [(c.label, c.before, c.after) for c in latest.changes] == [
        (str(Municipality._meta.get_field("name").verbose_name), "Altstadt", "Neustadt")
    ]
    assert changes[1].who == str(_("system"))
    assert changes[1].is_creation


def test_choice_fields_show_labels():
    membership = MembershipFactory(requested=True)
    membership.status = Membership.Status.ACTIVE
    membership.save()
    (change,) = object_history(membership)[0].changes
    assert (str(change.before), str(change.after)) == (
        str(Membership.Status.REQUESTED.label),
        str(Membership.Status.ACTIVE.label),
    )


def test_foreign_keys_show_the_related_object():
    editor = UserFactory(name="Erika Editor")
    membership = MembershipFactory(requested=True)
    membership.decided_by = editor
    membership.save()
    (change,) = object_history(membership)[0].changes
    assert (change.before, change.after) == (None, "Erika Editor")
    editor_pk = editor.pk
    editor.delete()
    (change,) = object_history(membership)[0].changes
    assert change.after == _("#%(pk)s (deleted)") % {"pk": editor_pk}


def test_permissions_only_agency_admin_and_editor():
    municipality = MunicipalityFactory()
    cases = [("agency_admin", True), ("agency_editor", True), ("reviewer", False), (None, False)]
    for role, allowed in cases:
        user = UserFactory(role=role)
        assert can_view_history(user, municipality) is allowed
        assert can_revert_change(user, municipality) is allowed


def test_history_model_lookup_is_limited_to_tracked_models():
    assert history_model_for("registry", "municipality") is Municipality
    assert history_model_for("accounts", "membership") is Membership
    assert history_model_for("accounts", "user") is None
    assert history_model_for("os", "system") is None
    assert history_model_for("registry.municipality", "x") is None


def test_change_revert_restores_state_before_the_change_and_is_recorded():
    editor = UserFactory(role="agency_editor")
    municipality = MunicipalityFactory(name="Altstadt")
    _rename(municipality, actor=editor, name="Neustadt")
    record = municipality.history.latest()

    change_revert(actor=editor, history_record=record, expected_version=None)

    municipality.refresh_from_db()
    assert municipality.name == "Altstadt"
    latest = municipality.history.latest()
    assert latest.history_change_reason == REVERT_ACTION
    assert latest.history_user == editor


def test_change_revert_keeps_untracked_fields():
    """A field the history does not track keeps its current value. (This test reverted a
    membership's status; memberships now refuse every revert, see
    test_revert_workflow.test_a_membership_revert_is_refused_and_changes_nothing, so a
    partnership's untracked reminder date stands in.)"""
    from django.utils import timezone

    from partnerportal.registry.tests.factories import PartnershipFactory

    admin = UserFactory(role="agency_admin")
    reminded = timezone.now().replace(microsecond=0)
    partnership = PartnershipFactory(description="Alt", last_reminded_at=reminded)
    partnership.description = "Neu"
    partnership.save()

    change_revert(actor=admin, history_record=partnership.history.latest(), expected_version=None)

    partnership.refresh_from_db()
    assert partnership.description == "Alt"
    assert partnership.last_reminded_at == reminded

    membership = MembershipFactory(requested=True, message="Bitte aufnehmen")
    membership.status = Membership.Status.ACTIVE
    membership.save()
    with pytest.raises(ValidationError):
        change_revert(
            actor=admin, history_record=membership.history.latest(), expected_version=None
        )
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE
    assert membership.message == "Bitte aufnehmen"


def test_change_revert_of_creation_is_refused():
    editor = UserFactory(role="agency_editor")
    municipality = MunicipalityFactory()
    with pytest.raises(ValidationError):
        change_revert(
            actor=editor, history_record=municipality.history.earliest(), expected_version=None
        )


def test_change_revert_needs_permission():
    municipality = MunicipalityFactory(name="Altstadt")
    municipality.name = "Neustadt"
    municipality.save()
    with pytest.raises(PermissionDenied):
        change_revert(
            actor=UserFactory(), history_record=municipality.history.latest(), expected_version=None
        )
    municipality.refresh_from_db()
    assert municipality.name == "Neustadt"


def test_change_revert_restores_a_deleted_object():
    editor = UserFactory(role="agency_editor")
    municipality = MunicipalityFactory(name="Altstadt")
    pk = municipality.pk
    municipality.delete()
    record = Municipality.history.filter(id=pk).latest()
    change_revert(actor=editor, history_record=record, expected_version=None)
    assert Municipality.objects.get(pk=pk).name == "Altstadt"


def test_history_view_renders_diff_and_revert_buttons(client):
    editor = UserFactory(role="agency_editor")
    municipality = MunicipalityFactory(name="Altstadt")
    _rename(municipality, actor=editor, name="Neustadt")
    client.force_login(editor)

    response = client.get(_history_url(municipality))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<del class="pp-diff pp-diff--before"' in html
    assert "Altstadt</del>" in html
    assert "Neustadt</ins>" in html
    assert "data-confirm=" in html
    assert html.count('class="kern-btn kern-btn--secondary"') >= 1
    assert " style=" not in html


def test_revert_view_reverts_a_real_change(client):
    editor = UserFactory(role="agency_editor")
    municipality = MunicipalityFactory(name="Altstadt")
    _rename(municipality, actor=editor, name="Neustadt")
    client.force_login(editor)

    response = client.post(
        _revert_url(municipality, municipality.history.latest().history_id),
        {"version": municipality.version},
    )

    assert response.status_code == 302
    assert response["Location"] == _history_url(municipality)
    municipality.refresh_from_db()
    assert municipality.name == "Altstadt"


@pytest.mark.parametrize("version", ["", "-1", "²", "1.0"])
def test_revert_view_refuses_a_malformed_version_with_message(client, version):
    editor = UserFactory(role="agency_editor")
    municipality = MunicipalityFactory(name="Altstadt")
    _rename(municipality, actor=editor, name="Neustadt")
    client.force_login(editor)

    response = client.post(
        _revert_url(municipality, municipality.history.latest().history_id),
        {"version": version},
        follow=True,
    )

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        _("The form is incomplete. Please reload the page and try again.")
    ]
    municipality.refresh_from_db()
    assert municipality.name == "Neustadt"


def test_revert_view_refuses_creation_with_message(client):
    editor = UserFactory(role="agency_editor")
    municipality = MunicipalityFactory(name="Altstadt")
    client.force_login(editor)
    first = municipality.history.earliest().history_id
    response = client.post(_revert_url(municipality, first), follow=True)
    assert response.status_code == 200
    assert Municipality.objects.filter(pk=municipality.pk).exists()
    assert len(list(response.context["messages"])) == 1


@pytest.mark.parametrize("role", [None, "reviewer", "expert"])
def test_revert_view_is_forbidden_for_others_and_changes_nothing(client, role):
    municipality = MunicipalityFactory(name="Altstadt")
    _rename(municipality, actor=UserFactory(role="agency_editor"), name="Neustadt")
    count = municipality.history.count()
    client.force_login(UserFactory(role=role))

    response = client.post(_revert_url(municipality, municipality.history.latest().history_id))

    assert response.status_code == 403
    municipality.refresh_from_db()
    assert municipality.name == "Neustadt"
    assert municipality.history.count() == count
    assert client.get(_history_url(municipality)).status_code == 403


def test_municipal_editor_is_forbidden(client):
    municipality = MunicipalityFactory()
    client.force_login(UserFactory(municipality=municipality))
    assert client.get(_history_url(municipality)).status_code == 403


def test_anonymous_is_sent_to_login(client):
    municipality = MunicipalityFactory()
    assert client.get(_history_url(municipality)).status_code == 302


@pytest.mark.parametrize(
    "app_label,model_name,pk",
    [
        ("registry", "nomodel", "1"),
        ("accounts", "user", "1"),
        ("registry", "municipality", "999999"),
        ("registry", "municipality", "abc"),
        ("registry", "partnership", "1.5"),
        ("geo", "country", "D\x00"),  # a DataError (500) on PostgreSQL
    ],
)
def test_unknown_or_untracked_model_or_object_is_404(client, app_label, model_name, pk):
    client.force_login(UserFactory(role="agency_admin"))
    # Built by hand: reverse() refuses a key the URL pattern does not take ("1.5").
    history_url = reverse("audit:history", args=[app_label, model_name, "0"]).replace(
        "/0/", f"/{quote(pk)}/"
    )
    revert_url = f"{history_url}1/revert/"
    assert client.get(history_url).status_code == 404
    assert client.post(revert_url).status_code == 404


def test_unknown_history_record_is_404(client):
    municipality = MunicipalityFactory()
    other = MunicipalityFactory()
    client.force_login(UserFactory(role="agency_admin"))
    foreign_record = other.history.latest().history_id
    assert client.post(_revert_url(municipality, foreign_record)).status_code == 404


def test_change_revert_conflicting_with_unique_value_is_refused_cleanly():
    editor = UserFactory(role="agency_editor")
    municipality = MunicipalityFactory(ags="01001000")
    attribute_change(municipality, actor=editor, action="municipality.updated")
    municipality.ags = "01002000"
    municipality.save()
    MunicipalityFactory(ags="01001000")
    with pytest.raises(ValidationError):
        change_revert(
            actor=editor, history_record=municipality.history.latest(), expected_version=None
        )
    municipality.refresh_from_db()
    assert municipality.ags == "01002000"


def test_history_page_query_count_does_not_grow_with_the_trail(client, site):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    editor = UserFactory(role="agency_editor")
    membership = MembershipFactory(requested=True)
    client.force_login(editor)
    url = _history_url(membership)

    def change(times):
        for status in [Membership.Status.ACTIVE, Membership.Status.ENDED] * times:
            attribute_change(membership, actor=UserFactory(), action="membership.changed")
            membership.status = status
            membership.decided_by = editor
            membership.save()

    def count_queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    change(1)
    short = count_queries()
    change(10)
    assert count_queries() == short
