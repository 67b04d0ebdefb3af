"""The funding records in the account's export (Art. 15 GDPR) and erasure (Art. 17): the
applications, roles and documents of the person; erasure removes their name and addresses from
the records' texts and keeps the financial records (legal retention duty)."""

import pytest

from partnerportal.accounts import services as account_services
from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.funding.models import CostLine, Decision, PaymentRequest
from partnerportal.funding.payments import payment_request_create
from partnerportal.funding.personal_data import erase, export

from .factories_review import SubmittedApplicationFactory, approved_application, staff

pytestmark = pytest.mark.django_db


def test_export_lists_applications_roles_and_documents():
    assessor = staff(name="Erika Prüferin")
    application = approved_application(assessor=assessor)
    author = application.created_by
    payment_request_create(application=application, actor=author, amount="100")
    SubmittedApplicationFactory()  # someone else's
    mine = export(author)
    assert [row["id"] for row in mine["applications"]] == [application.pk]
    assert set(mine["applications"][0]["roles"]) == {"applicant", "payment_requested"}
    assert "retention" in mine["note"] or "Aufbewahrung" in mine["note"]
    theirs = export(assessor)
    assert {"formal_check", "assessment", "assessed"} <= set(theirs["applications"][0]["roles"])
    assert export(UserFactory())["applications"] == []


def test_the_account_export_has_the_funding_section():
    application = approved_application()
    author = application.created_by
    data = account_services.account_export(actor=author, user=author)
    assert data["funding"]["applications"][0]["reference"] == application.reference


def test_erasure_removes_the_name_and_keeps_the_money():
    application = approved_application()
    author = application.created_by
    author.name = "Max Mustermann"
    author.save()
    application.measure = "Ansprechpartner: Max Mustermann, max@example.org"
    application.save()
    decision = application.decision
    decision.conditions = "Rückfragen an Max Mustermann."
    decision.save()
    payment = payment_request_create(
        application=application, actor=author, amount="100", note="Konto von Max Mustermann"
    )
    other = SubmittedApplicationFactory(measure="Max Mustermann besucht uns")  # not theirs
    lines_before = CostLine.objects.filter(application=application).count()
    erase(author, ["max@example.org"])
    application.refresh_from_db()
    assert "Mustermann" not in application.measure and "max@example.org" not in application.measure
    assert "Mustermann" not in Decision.objects.get(pk=decision.pk).conditions
    assert "Mustermann" not in PaymentRequest.objects.get(pk=payment.pk).note
    # the financial records stay, as they were
    assert PaymentRequest.objects.get(pk=payment.pk).amount == payment.amount
    assert Decision.objects.get(pk=decision.pk).approved_total == decision.approved_total
    assert CostLine.objects.filter(application=application).count() == lines_before
    other.refresh_from_db()
    assert other.measure == "Max Mustermann besucht uns"
    # nor is the name left in an earlier version of the records (their history tables)
    versions = application.history.all()
    assert versions.count() >= 2
    assert not versions.filter(measure__icontains="Mustermann").exists()
    assert not decision.history.filter(conditions__icontains="Mustermann").exists()
    assert not payment.history.filter(note__icontains="Mustermann").exists()
    assert other.history.filter(measure__icontains="Mustermann").exists()  # not theirs


def test_account_deletion_anonymises_funding_records(client):
    application = approved_application()
    author = application.created_by
    author.name = "Maxi Musterfrau"
    author.save()
    application.goals = "Maxi Musterfrau koordiniert."
    application.save()
    account_services.account_delete(actor=author, user=author)
    application.refresh_from_db()
    assert "Musterfrau" not in application.goals
    assert application.created_by_id == author.pk  # the record stays, pointing at no one


def test_deletion_page_says_what_is_kept(client):
    user = UserFactory()
    client.force_login(user)
    from django.urls import reverse

    page = client.get(reverse("accounts:account_delete")).content.decode()
    assert "retention" in page or "Aufbewahrung" in page
