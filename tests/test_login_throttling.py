"""Login throttling: after repeated failures even the right password is refused for a while,
counted in the shared cache so that it holds across app servers."""

import pytest
from django.urls import reverse

from partnerportal.accounts.tests.factories import PASSWORD, UserFactory


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_address_for_a_while(client, site):
    person = UserFactory()
    url = reverse("account_login")
    for _attempt in range(5):
        response = client.post(url, {"login": person.email, "password": "wrong-password"})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    response = client.post(url, {"login": person.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    body = response.content.decode()
    assert response.status_code in (200, 429)
    assert "Zu viele" in body or "Too many" in body


@pytest.mark.django_db
def test_the_right_password_works_when_not_throttled(client, site):
    person = UserFactory()
    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


@pytest.mark.django_db
def test_a_flood_of_login_requests_from_one_address_gets_a_friendly_429(client, site):
    url = reverse("account_login")
    statuses = [
        client.post(url, {"login": f"nobody{i}@example.org", "password": "x"}).status_code
        for i in range(35)
    ]
    assert 429 in statuses
    response = client.post(url, {"login": "nobody@example.org", "password": "x"})
    assert response.status_code == 429
    assert "Zu viele Versuche" in response.content.decode()
