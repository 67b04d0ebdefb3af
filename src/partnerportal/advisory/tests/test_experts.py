"""Expert profiles: who edits them, what the public sees, and the DSGVO export and erasure."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from partnerportal.accounts import services as account_services
from partnerportal.accounts.tests.factories import UserFactory

from ..expert_data import expert_profile_export
from ..experts import ProfileInput, expert_profile_create, expert_profile_update
from ..models import ExpertProfile
from .expert_factories import ExpertProfileFactory, active_pair, deployment_make

pytestmark = pytest.mark.django_db


def data(**values) -> ProfileInput:
    return ProfileInput(
        **{"name": "Erika Muster", "kind": "local_expert", "cv": "Lebenslauf", **values}
    )


def test_staff_create_a_profile_linked_to_an_expert_account():
    staff = UserFactory(agency_staff=True)
    expert_user = UserFactory(expert=True)
    profile = expert_profile_create(
        actor=staff, data=data(languages=[("fr", "C1")]), user=expert_user
    )
    assert profile.user == expert_user
    assert not profile.has_public_parts  # nothing public by default
    assert [(e.language, e.level) for e in profile.languages.all()] == [("fr", "C1")]
    assert profile.history.latest().history_user == staff


def test_only_staff_create_and_only_expert_accounts_are_linked():
    with pytest.raises(PermissionDenied):
        expert_profile_create(actor=UserFactory(expert=True), data=data())
    with pytest.raises(PermissionDenied):
        expert_profile_create(actor=UserFactory(reviewer=True), data=data())
    with pytest.raises(ValidationError, match="Fachkraft"):
        expert_profile_create(actor=UserFactory(agency_staff=True), data=data(), user=UserFactory())


def test_the_expert_edits_their_own_and_no_other():
    me = UserFactory(expert=True)
    mine = ExpertProfileFactory(user=me)
    theirs = ExpertProfileFactory(user=UserFactory(expert=True))
    expert_profile_update(
        actor=me,
        profile=mine,
        data=data(public={"name": True}),
        expected_version=mine.version,
    )
    mine.refresh_from_db()
    assert mine.public_name and mine.name == "Erika Muster"
    with pytest.raises(PermissionDenied):
        expert_profile_update(actor=me, profile=theirs, data=data(), expected_version=None)


def test_pages_show_the_cv_only_to_staff_and_the_expert(client):
    me = UserFactory(expert=True)
    profile = ExpertProfileFactory(user=me, cv="Mein geheimer Lebenslauf")
    url = reverse("advisory:expert_detail", kwargs={"pk": profile.pk})
    for user, status in (
        (me, 200),
        (UserFactory(agency_staff=True), 200),
        (UserFactory(expert=True), 404),
        (UserFactory(reviewer=True), 404),
        (UserFactory(), 404),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        assert ("Mein geheimer Lebenslauf" in response.content.decode()) == (status == 200)
    client.logout()
    assert client.get(url).status_code == 302


def test_the_public_profile_shows_only_what_the_expert_chose(client):
    profile = ExpertProfileFactory(
        name="Erika Muster", cv="Privater Lebenslauf", fields=["gesundheit"]
    )
    url = reverse("advisory:expert_public", kwargs={"pk": profile.pk})
    assert client.get(url).status_code == 404  # nothing public yet
    profile.public_fields = True
    profile.save()
    text = client.get(url).content.decode()
    assert "Gesundheit" in text or "Health" in text
    assert "Erika Muster" not in text and "Privater Lebenslauf" not in text
    profile.public_name = profile.public_cv = True
    profile.save()
    text = client.get(url).content.decode()
    assert "Erika Muster" in text and "Privater Lebenslauf" in text


def test_staff_cannot_choose_what_is_public_for_the_expert(client):
    staff = UserFactory(agency_staff=True)
    profile = ExpertProfileFactory(user=UserFactory(expert=True))
    client.force_login(staff)
    url = reverse("advisory:expert_edit", kwargs={"pk": profile.pk})
    response = client.post(
        url,
        {
            "name": "Neu",
            "kind": "local_expert",
            "public_name": "on",
            "public_cv": "on",
            "version": profile.version,
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.name == "Neu"
    assert not profile.public_name and not profile.public_cv


def test_export_and_erasure():
    staff = UserFactory(agency_staff=True)
    person = UserFactory(expert=True)
    profile = ExpertProfileFactory(
        user=person, name="Erika Muster", cv="Lebenslauf", public_name=True
    )
    _german, partner, _p = active_pair()
    deployment = deployment_make(staff, partner, expert=profile)
    exported = account_services.account_export(actor=person, user=person)
    section = expert_profile_export(person)
    assert section[0]["name"] == "Erika Muster"
    assert section[0]["cv"] == "Lebenslauf"
    assert section[0]["deployments"][0]["id"] == deployment.pk
    assert exported["expert_profiles"][0]["cv"] == "Lebenslauf"
    account_services.account_delete(actor=person, user=person)
    profile.refresh_from_db()
    assert profile.anonymised_at is not None
    assert profile.user is None and profile.cv == "" and "Erika" not in profile.name
    assert not profile.public_name
    assert not profile.history.filter(name="Erika Muster").exists()
    assert not profile.history.filter(cv="Lebenslauf").exists()
    deployment.refresh_from_db()
    assert deployment.expert == profile  # the deployment keeps its facts
    assert ExpertProfile.objects.count() == 1
