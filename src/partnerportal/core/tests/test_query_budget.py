"""The home page declares how many queries it may make (see STYLE.md: "Pages declare how many
queries they may make, and a test holds them to it"). Raise a budget only with a reason."""

import pytest

from partnerportal.accounts.tests.factories import UserFactory

#: Measured 2026-11: anonymous 9 in German, 10 in English (site, locale, page and its view
#: restrictions, one query for the language links, three for the legal pages in the footer).
HOME_ANONYMOUS = 10
#: Logged in adds the session, the user, the roles, membership and the MFA check: measured 14-15.
HOME_LOGGED_IN = 15


@pytest.fixture
def warm_client(client, site):
    client.get("/de/")  # first request fills per-process caches (Site root paths, ContentTypes)
    return client


@pytest.mark.parametrize("language", ["de", "en"])
def test_home_page_query_budget_anonymous(warm_client, django_assert_max_num_queries, language):
    with django_assert_max_num_queries(HOME_ANONYMOUS):
        response = warm_client.get(f"/{language}/")
    assert response.status_code == 200


@pytest.mark.parametrize("role", [None, "agency_admin"])
def test_home_page_query_budget_logged_in(warm_client, django_assert_max_num_queries, role):
    user = UserFactory(role=role, mfa=True) if role else UserFactory()
    warm_client.force_login(user)
    with django_assert_max_num_queries(HOME_LOGGED_IN):
        response = warm_client.get("/de/")
    assert response.status_code == 200
