import pytest
from django.urls import reverse

from partnerportal.accounts.tests.factories import MembershipFactory, UserFactory


@pytest.mark.django_db
def test_staff_reach_the_audit_trail_of_each_membership(client, site):
    membership = MembershipFactory()
    client.force_login(UserFactory(role="agency_editor", mfa=True))

    html = client.get(reverse("accounts:staff_memberships")).content.decode()

    trail = reverse("audit:history", args=["accounts", "membership", membership.pk])
    assert trail in html
    assert client.get(trail).status_code == 200
