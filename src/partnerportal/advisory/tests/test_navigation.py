"""The way into the advisory pages: the header and the account page lead experts to their
profile, municipal editors to their plans and the agency's staff to the dashboard, whose
navigation reaches the experts, deployments and needs; nobody is shown a link they may not
follow."""

import pytest
from django.urls import reverse

from partnerportal.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STAFF_PAGES = ("expert_list", "deployment_list", "need_list", "evaluation_overview")


def _links(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_expert_finds_their_profile(client, site):
    client.force_login(UserFactory(expert=True))
    mine = reverse("advisory:my_expert_page")
    for url in (reverse("content:home"), reverse("accounts:overview")):
        body = _links(client, url)
        assert f'href="{mine}"' in body
        assert reverse("advisory:dashboard") not in body
    assert client.get(mine).status_code == 200


def test_staff_find_the_dashboard_and_from_there_experts_deployments_and_needs(client, site):
    client.force_login(UserFactory(agency_staff=True))
    dashboard = reverse("advisory:dashboard")
    assert f'href="{dashboard}"' in _links(client, reverse("content:home"))
    assert f'href="{dashboard}"' in _links(client, reverse("accounts:overview"))
    body = _links(client, dashboard)
    for name in STAFF_PAGES:
        url = reverse(f"advisory:{name}")
        assert f'href="{url}"' in body, name
        assert f'href="{dashboard}"' in _links(client, url), name  # and back
    assert reverse("advisory:my_expert_page") not in body


@pytest.mark.parametrize("who", ["public", "registered", "editor"])
def test_others_see_no_staff_or_expert_links(client, site, who):
    if who != "public":
        from partnerportal.registry.tests.factories import MunicipalityFactory

        user = UserFactory(municipality=MunicipalityFactory()) if who == "editor" else UserFactory()
        client.force_login(user)
    body = _links(client, reverse("content:home"))
    assert reverse("advisory:dashboard") not in body
    assert reverse("advisory:my_expert_page") not in body
    if who == "editor":
        assert reverse("advisory:my_plans") in _links(client, reverse("accounts:overview"))
