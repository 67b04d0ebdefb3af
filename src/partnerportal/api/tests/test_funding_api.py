"""GET /api/v1/per-diem: the hand-worked cases of funding/tests/test_per_diem.py through the
API, every 422 with the parameter named and a message in the request's language, the OpenAPI
document, the rate limit and who may call it (everyone)."""

import pytest

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.funding.tests.conftest import TABLE_2025_2026, table_import

pytestmark = pytest.mark.django_db

URL = "/api/v1/per-diem"
PARIS = {
    "country": "FR",
    "city": "Paris",
    "start": "2026-03-02T07:30",
    "end": "2026-03-04T19:00",
}


@pytest.fixture
def rates(db):
    return table_import(TABLE_2025_2026)


def _get(client, language="en", **params):
    return client.get(URL, params, HTTP_ACCEPT_LANGUAGE=language)


def _problems(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {problem["loc"][-1]: problem["msg"] for problem in response.json()["detail"]}


def test_paris_three_days_with_meals(client, rates):
    # 58 24-hour rate: day 1 (39) B+L+D 58.00 capped at 39 -> 0; day 2 (58) B 11.60 -> 46.40;
    # day 3 (39) -> 39.00; total 85.40
    response = _get(client, **PARIS, breakfasts=2, lunches=1, dinners=1)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"] == "85.40"
    assert body["currency"] == "EUR"
    assert body["city_fallback"] is False
    assert body["message"] == ""
    assert body["tables"] == [rates.table.pk]
    assert body["start"].startswith("2026-03-02T07:30:00+01:00")
    assert [
        (d["date"], d["kind"], d["rate"], d["deductions"], d["amount"]) for d in body["days"]
    ] == [
        ("2026-03-02", "partial", "39.00", "39.00", "0.00"),
        ("2026-03-03", "full", "58.00", "11.60", "46.40"),
        ("2026-03-04", "partial", "39.00", "0.00", "39.00"),
    ]
    assert body["days"][0]["breakfast"] and body["days"][0]["lunch"]
    assert body["days"][0]["city"].startswith("Paris")


def test_a_city_that_is_not_listed_says_so_in_the_request_language(client, rates):
    params = {**PARIS, "city": "Lyon"}
    body = _get(client, **params).json()
    assert body["total"] == "125.00"  # France: 36 + 53 + 36
    assert body["city_fallback"] is True
    assert body["message"] == "Lyon is not listed separately: the rate of the country applies."
    assert body["listed_cities"] == ["Paris sowie die Departments 77, 78, 91 bis 95"]
    german = _get(client, language="de", **params).json()
    assert german["message"] == (
        "Lyon ist nicht gesondert aufgeführt: Es gilt der Satz des Landes."
    )


def test_one_day_trips_through_the_api(client, rates):
    nine = _get(client, country="FR", start="2026-03-02T08:00", end="2026-03-02T17:00").json()
    assert (nine["total"], nine["days"][0]["kind"]) == ("36.00", "partial")
    seven = _get(client, country="FR", start="2026-03-02T08:00", end="2026-03-02T15:00").json()
    assert (seven["total"], seven["days"][0]["kind"], len(seven["days"])) == ("0.00", "none", 1)


def test_a_trip_over_the_year_change_through_the_api(client, rates):
    body = _get(
        client, country="CH", city="Bern", start="2025-12-30T09:00", end="2026-01-02T18:00"
    ).json()
    assert body["total"] == "244.00"
    assert [d["amount"] for d in body["days"]] == ["43.00", "64.00", "82.00", "55.00"]
    assert body["city_fallback"] is True  # Bern has its own rate only from 2026


@pytest.mark.parametrize(
    ("params", "field", "english", "german"),
    [
        (
            {"country": "ZZ"},
            "country",
            "“ZZ” is not an ISO 3166 country code.",
            "„ZZ“ ist kein Ländercode nach ISO 3166.",
        ),
        ({"country": "BR"}, "country", "has no rate for Brazil", "keinen Satz für Brasilien"),
        (
            {"start": "2027-01-04T08:00", "end": "2027-01-04T18:00"},
            "start",
            "No per-diem table covers 2027-01-04",
            "Keine Tagegeldtabelle gilt für 2027-01-04",
        ),
        (
            {"end": "2026-03-01T19:00"},
            "end",
            "The end lies before the start.",
            "Das Ende liegt vor dem Beginn.",
        ),
        ({"start": "2.3.2026"}, "start", "Not a date and time", "Kein Zeitpunkt"),
        ({"end": "morgen"}, "end", "Not a date and time", "Kein Zeitpunkt"),
        ({"start": "2026-03-02"}, "start", "Not a date and time", "Kein Zeitpunkt"),
        (
            {"breakfasts": "-1"},
            "breakfasts",
            "A whole number from 0 to 366",
            "Eine ganze Zahl von 0 bis 366",
        ),
        ({"lunches": "x"}, "lunches", "A whole number", "Eine ganze Zahl"),
        (
            {"dinners": "4"},
            "dinners",
            "At most one a day: the trip has 3 days.",
            "Höchstens eine am Tag: Die Reise hat 3 Tage.",
        ),
    ],
)
def test_every_invalid_parameter_is_a_422_naming_it(client, rates, params, field, english, german):
    query = {**PARIS, **params}
    assert english in _problems(_get(client, **query))[field]
    assert german in _problems(_get(client, language="de", **query))[field]


def test_several_problems_are_named_together(client, rates):
    problems = _problems(_get(client, **{**PARIS, "start": "x", "end": "y", "lunches": "z"}))
    assert set(problems) == {"start", "end", "lunches"}


def test_a_missing_parameter_is_a_422(client, rates):
    response = client.get(URL, {"country": "FR", "start": "2026-03-02T07:30"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "end"]


def test_an_empty_installation_answers_422_not_500(client, db):
    assert "start" in _problems(_get(client, **PARIS))


def test_the_openapi_document_describes_the_endpoint(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/per-diem"]["get"]
    names = {p["name"]: p for p in operation["parameters"]}
    assert set(names) == {"country", "city", "start", "end", "breakfasts", "lunches", "dinners"}
    assert names["start"]["schema"]["format"] == "date-time"
    assert names["start"]["required"] and not names["city"].get("required", False)
    assert names["breakfasts"]["schema"]["type"] == "integer"
    assert {"200", "422", "429"} <= set(operation["responses"])


def test_the_endpoint_is_rate_limited(client, rates, settings):
    settings.API_ANON_RATE = "2/m"
    assert _get(client, **PARIS).status_code == 200
    assert _get(client, **PARIS).status_code == 200
    response = _get(client, **PARIS)
    assert response.status_code == 429
    assert "Retry-After" in response


@pytest.mark.parametrize("role", [None, "reviewer", "agency_staff"])
def test_everyone_may_calculate(client, rates, role):
    if role:
        client.force_login(UserFactory(**{role: True}))
    assert _get(client, **PARIS).json()["total"] == "136.00"


def test_the_query_count_is_bounded(client, rates, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert _get(client, **{**PARIS, "end": "2026-06-30T19:00"}).status_code == 200
