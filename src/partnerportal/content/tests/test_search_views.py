"""The search page (/<lang>/suche/), the header's search field and GET /api/v1/search."""

import pytest
from django.utils.html import escape

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.content.models import StandardPage
from partnerportal.registry.tests.factories import ForeignMunicipalityFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

#: Measured: session-less anonymous request, 2 for the search (one statement for hits, total
#: and facets; one for the documents), 1 for the theme names, 1 for the country names, and the
#: layout's (site, language links, footer version).
SEARCH_ANONYMOUS = 8
SEARCH_LOGGED_IN = 13


@pytest.fixture
def found(site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(25):
            page = site.add_child(
                instance=StandardPage(
                    title=f"Klimapartnerschaft {n}", body="<p>Die Partnerschaft mit München</p>"
                )
            )
            page.save_revision().publish()
        koeln = MunicipalityFactory(name="Köln")
        ForeignMunicipalityFactory(name="Kölnische Höhe <b>", iso2="FR")
        draft = site.add_child(instance=StandardPage(title="Klimapartnerschaft geheim", live=False))
        draft.save_revision()
    return koeln


@pytest.mark.parametrize("language", ["de", "en"])
def test_header_offers_the_search_on_every_page(client, site, language):
    response = client.get(f"/{language}/")
    assert f'action="/{language}/suche/"' in response.content.decode()
    assert 'role="search"' in response.content.decode()


@pytest.mark.parametrize("user", [None, "registered", "agency_admin"])
def test_everyone_searches_and_sees_only_public_results(client, found, user):
    if user:
        client.force_login(UserFactory(role=user if user != "registered" else None, mfa=True))
    response = client.get("/de/suche/", {"q": "Klimapartnerschaften"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "25 Ergebnisse" in html
    assert "Klimapartnerschaft 24" in html
    assert "geheim" not in html
    assert 'aria-current="page"' in html  # the pagination
    second = client.get("/de/suche/", {"q": "Klimapartnerschaften", "page": 2}).content.decode()
    assert "Klimapartnerschaft 0" in second and "Klimapartnerschaft 24" not in second


def test_snippets_mark_matches_and_escape_html(client, found):
    html = client.get("/de/suche/", {"q": "Muenchen"}).content.decode()
    assert "<mark>München</mark>" in html
    html = client.get("/de/suche/", {"q": "Koelnische"}).content.decode()
    assert escape("Kölnische Höhe <b>") in html
    assert "Höhe <b>" not in html


def test_facets_link_to_narrowed_results_and_back(client, found):
    html = client.get("/de/suche/", {"q": "Koeln"}).content.decode()
    assert "Kommunen" in html and "?q=Koeln&amp;type=municipality" in html
    assert "?q=Koeln&amp;country=FR" in html
    narrowed = client.get("/de/suche/", {"q": "Koeln", "country": "FR"}).content.decode()
    assert "Kölnische Höhe" in narrowed and ">Köln</a>" not in narrowed
    assert 'href="?q=Koeln" aria-current="true"' in narrowed  # removes the filter


def test_english_page_and_empty_and_bad_input(client, site):
    html = client.get("/en/suche/").content.decode()
    assert "Type a word to search" in html
    response = client.get("/de/suche/", {"q": "x" * 201})
    assert response.status_code == 200
    assert "Bitte korrigieren" in response.content.decode()
    response = client.get("/de/suche/", {"q": "Köln", "type": "gibtsnicht"})
    assert response.status_code == 200
    assert "Ergebnis" not in response.content.decode().split("search-results")[1][:400]
    assert client.get("/de/suche/", {"q": "Köln", "page": "zwei"}).status_code == 200


def test_nothing_in_the_database_still_answers(client, db):
    assert client.get("/de/suche/", {"q": "Köln"}).status_code == 200


def test_as_you_type_answers_the_results_alone(client, found):
    response = client.get("/de/suche/", {"q": "Klimap"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Klimapartnerschaft" in html and "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_search_page_query_budget(client, found, django_assert_max_num_queries):
    client.get("/de/suche/", {"q": "Koeln"})  # warms the layout's caches
    with django_assert_max_num_queries(SEARCH_ANONYMOUS):
        assert client.get("/de/suche/", {"q": "Koeln"}).status_code == 200
    client.force_login(UserFactory(role="agency_admin", mfa=True))
    with django_assert_max_num_queries(SEARCH_LOGGED_IN):
        assert client.get("/de/suche/", {"q": "Koeln"}).status_code == 200


# --- API ----------------------------------------------------------------------------------------


def test_api_search_returns_ranked_results_with_type_title_url_snippet(client, found):
    body = client.get("/api/v1/search", {"q": "Koeln"}).json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first["title"] == "Köln" and first["type"] == "municipality"
    assert first["url"].startswith("http://testserver/de/register/kommunen/")
    assert "<mark>Köln</mark>" in first["snippet"]
    assert {f["value"]: f["count"] for f in body["facets"]["country"]} == {"DE": 1, "FR": 1}
    english = client.get("/api/v1/search", {"q": "Koeln", "lang": "en"}).json()
    assert english["results"][0]["url"].startswith("http://testserver/en/")


def test_api_search_filters_by_type_and_pages(client, found):
    body = client.get("/api/v1/search", {"q": "Partnerschaft", "type": "page"}).json()
    assert body["count"] == 25 and body["pages"] == 2 and len(body["results"]) == 20
    assert {r["type"] for r in body["results"]} == {"page"}
    assert "geheim" not in str(body)
    assert (
        len(client.get("/api/v1/search", {"q": "Partnerschaft", "page": 2}).json()["results"]) == 5
    )


def test_api_search_refuses_bad_input_with_422(client, site):
    assert client.get("/api/v1/search").status_code == 422
    assert client.get("/api/v1/search", {"q": ""}).status_code == 422
    assert client.get("/api/v1/search", {"q": "a", "type": "nope"}).status_code == 422
    assert client.get("/api/v1/search", {"q": "a", "page": 0}).status_code == 422
    assert client.get("/api/v1/search", {"q": "a", "lang": "xx"}).status_code == 422
    assert client.get("/api/v1/search", {"q": "a", "country": "D\x00E"}).status_code == 200


def test_api_search_is_rate_limited(client, site, settings):
    settings.API_ANON_RATE = "2/m"
    answers = [client.get("/api/v1/search", {"q": "Köln"}).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_api_search_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/search"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "type", "theme", "country", "page"}
    assert {"200", "422", "429"} <= set(operation["responses"])


def test_search_page_is_rate_limited_like_the_api(client, site, settings):
    settings.API_ANON_RATE = "2/m"
    assert [client.get("/de/suche/", {"q": "Koeln"}).status_code for _ in range(2)] == [200, 200]
    refused = client.get("/en/suche/", {"q": "Koeln"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "searched many times" in refused.content.decode()
