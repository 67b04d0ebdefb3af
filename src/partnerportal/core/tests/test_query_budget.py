"""The home page declares how many queries it may make (see STYLE.md: "Pages declare how many
queries they may make, and a test holds them to it"). Raise a budget only with a reason."""

import pytest

from partnerportal.accounts.tests.factories import UserFactory

#: Measured 2026-11: anonymous 6 (site, locale, page and its view restrictions, one query for
#: the language links, one for the cached footer's version); the footer's legal links come from
#: the cache since session 2 (they cost three queries before).
#: Issue 11: the home page lists the latest news and practice examples (one query for both, a
#: window function) and the programme pages, after one query for the view restrictions they
#: share: 3 more. With articles, their lists' addresses and the lead images with their
#: thumbnails add up to 3 (content/tests/test_articles.py holds those).
HOME_ANONYMOUS = 10
#: Logged in adds the session, the user, the roles, membership and the MFA check: measured 11.
HOME_LOGGED_IN = 15


@pytest.fixture
def warm_client(client, site):
    # The first request per language fills the caches (Site root paths, ContentTypes, the
    # footer's legal links); the budget is for the pages people see after that.
    client.get("/de/")
    client.get("/en/")
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
