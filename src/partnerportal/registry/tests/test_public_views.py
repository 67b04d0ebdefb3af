"""The public registry pages: search (full page and htmx partial), municipality page, partnership
page and list; who sees what; query counts that do not grow with the data."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.registry.models import (
    ContactPerson,
    Municipality,
    PartnershipStatusChange,
)
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def koeln(site):
    return MunicipalityFactory(
        name="Köln",
        name_suffix="Stadt",
        kind="kreisfreie_stadt",
        state="Nordrhein-Westfalen",
        population=1_084_831,
        latitude=50.9375,
        longitude=6.9603,
        source="destatis",
    )


# --- Search -----------------------------------------------------------------------------------


def test_search_page_finds_folded_names(client, koeln):
    MunicipalityFactory(name="Münster")
    url = reverse("registry:municipality_search")
    response = client.get(url, {"q": "Koln"})
    assert response.status_code == 200
    assert "Köln" in response.text and "Münster" not in response.text
    assert 'aria-live="polite"' in response.text
    assert 'hx-trigger="input changed delay:250ms, search"' in response.text
    assert "<html" in response.text
    assert "Münster" in client.get(url, {"q": "Munster"}).text


def test_search_partial_for_htmx(client, koeln):
    response = client.get(
        reverse("registry:municipality_search"), {"q": "köln"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Köln" in response.text
    assert "1 " in response.text  # the results count
    assert "HX-Request" in response["Vary"]


def test_search_paginates_and_keeps_the_query(client, site):
    for n in range(25):
        MunicipalityFactory(name=f"Neustadt {n:02d}", population=1000 + n)
    response = client.get(reverse("registry:municipality_search"), {"q": "neustadt"})
    assert "q=neustadt&amp;page=2" in response.text
    second = client.get(reverse("registry:municipality_search"), {"q": "neustadt", "page": 2})
    assert "Neustadt 00" in second.text


def test_search_query_count_is_bounded(client, koeln, django_assert_max_num_queries):
    for n in range(30):
        MunicipalityFactory(name=f"Kölnhausen {n}")
    with django_assert_max_num_queries(3):
        client.get(
            reverse("registry:municipality_search"), {"q": "koln"}, headers={"HX-Request": "true"}
        )


# --- Municipality page ------------------------------------------------------------------------


def test_municipality_page_shows_facts_source_map_and_partnerships(client, koeln):
    partner = ForeignMunicipalityFactory(name="Yarinacocha", iso2="PE", source="geonames")
    partnership = PartnershipFactory(
        between=(koeln, partner), type="klimapartnerschaft", start_year=2015
    )
    PartnershipStatusChange.objects.create(
        partnership=partnership, status="anbahnung", valid_from=date(2014, 3, 1)
    )
    PartnershipStatusChange.objects.create(
        partnership=partnership, status="aktiv", valid_from=date(2015, 6, 1)
    )
    response = client.get(reverse("registry:municipality_detail", args=[koeln.pk]))
    assert response.status_code == 200
    text = response.text
    assert "Köln, Stadt" in text
    assert "1.084.831" in text  # the number filter, German locale
    assert "Destatis" in text and "2.0" in text
    # The atlas, focused on the place and its partners, on the offline basemap.
    assert f'data-focus-place="{koeln.pk}"' in text and 'data-tile-url=""' in text
    assert "leaflet/leaflet.js" in text and "atlas/atlas.js" in text
    # The link to the full atlas opens it on the place, marked with its partner lines.
    assert f'{reverse("atlas:map")}?place={koeln.pk}"' in text
    assert "Yarinacocha" in text and "2015" in text
    assert reverse("registry:partnership_detail", args=[partnership.pk]) in text
    country = reverse("registry:country_detail", args=[partner.country_id])
    assert f'href="{country}"' in text  # the partner's country links to its page
    partner_page = client.get(reverse("registry:municipality_detail", args=[partner.pk]))
    # The source by its name, with the licence linked (in the page's language).
    assert "GeoNames-Ortsverzeichnis" in partner_page.text
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in partner_page.text


def test_municipality_page_with_tile_server(client, koeln, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    response = client.get(reverse("registry:municipality_detail", args=[koeln.pk]))
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in response.text


def test_editor_names_only_for_logged_in_people(client, koeln):
    UserFactory(name="Erika Editor", municipality=koeln)
    url = reverse("registry:municipality_detail", args=[koeln.pk])
    public = client.get(url).text
    assert "Erika Editor" not in public
    assert "1 person keeps" in public or "1 Person" in public or "1 " in public
    client.force_login(UserFactory())
    assert "Erika Editor" in client.get(url).text


def test_unconfirmed_partnerships_are_hidden_from_the_public_on_the_municipality_page(
    client, koeln
):
    secret = ForeignMunicipalityFactory(name="Geheimstadt", iso2="PE")
    PartnershipFactory(between=(koeln, secret), proposed=True)
    url = reverse("registry:municipality_detail", args=[koeln.pk])
    assert "Geheimstadt" not in client.get(url).text
    client.force_login(UserFactory(municipality=koeln))
    assert "Geheimstadt" in client.get(url).text


def _add_partners(koeln: Municipality, start: int, count: int) -> None:
    for n in range(start, start + count):
        partner = ForeignMunicipalityFactory(name=f"Partner {n}", iso2="PE")
        p = PartnershipFactory(between=(koeln, partner), start_year=2000 + n)
        PartnershipStatusChange.objects.create(partnership=p, status="aktiv")


@pytest.mark.parametrize("logged_in", [False, True])
def test_municipality_page_query_count_does_not_grow(
    client, koeln, django_assert_max_num_queries, django_assert_num_queries, logged_in
):
    """Layout (4) + municipality + partnerships + their history + editors; a login adds the
    session, the user and the role checks."""
    UserFactory(municipality=koeln)
    if logged_in:
        client.force_login(UserFactory(municipality=koeln))
    url = reverse("registry:municipality_detail", args=[koeln.pk])
    _add_partners(koeln, 0, 2)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _add_partners(koeln, 2, 30)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    # Sections of events, advisory cases and deployments: one query each (bounded, not per row).
    assert len(few) <= (16 if logged_in else 12)
    assert response.text.count("Partner 2") >= 6


def test_unknown_municipality_is_404(client, site):
    assert client.get(reverse("registry:municipality_detail", args=[999999])).status_code == 404


# --- Partnership page -------------------------------------------------------------------------


def test_partnership_page(client, koeln):
    partner = ForeignMunicipalityFactory(name="Yarinacocha", iso2="PE")
    partnership = PartnershipFactory(
        between=(koeln, partner),
        type="klimapartnerschaft",
        start_year=2015,
        description="Wasser und Klima",
    )
    PartnershipStatusChange.objects.create(
        partnership=partnership, status="aktiv", valid_from=date(2015, 6, 1)
    )
    partnership.actors.create(municipality=koeln, name="Partnerschaftsverein Köln")
    ContactPerson.objects.create(
        partnership=partnership, municipality=koeln, name="Public Paula", visibility="public"
    )
    ContactPerson.objects.create(
        partnership=partnership, municipality=koeln, name="Editor Emil", visibility="editors"
    )
    ContactPerson.objects.create(
        partnership=partnership, municipality=koeln, name="Staff Stefan", visibility="staff"
    )
    url = reverse("registry:partnership_detail", args=[partnership.pk])
    text = client.get(url).text
    assert "Köln" in text and "Yarinacocha" in text and "Wasser und Klima" in text
    assert "Partnerschaftsverein Köln" in text
    assert "Public Paula" in text
    assert "Editor Emil" not in text and "Staff Stefan" not in text
    client.force_login(UserFactory(municipality=koeln))
    text = client.get(url).text
    assert "Editor Emil" in text and "Staff Stefan" not in text
    client.force_login(UserFactory(role="agency_editor", mfa=True))
    text = client.get(url).text
    assert "Editor Emil" in text and "Staff Stefan" in text


def test_unconfirmed_partnership_is_404_for_the_public(client, koeln):
    secret = ForeignMunicipalityFactory(name="Geheimstadt", iso2="PE")
    partnership = PartnershipFactory(between=(koeln, secret), proposed=True)
    url = reverse("registry:partnership_detail", args=[partnership.pk])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(municipality=MunicipalityFactory()))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(municipality=koeln))
    assert client.get(url).status_code == 200


def test_partnership_page_query_count(client, koeln, django_assert_max_num_queries):
    partner = ForeignMunicipalityFactory(name="Yarinacocha", iso2="PE")
    partnership = PartnershipFactory(between=(koeln, partner))
    for n in range(5):
        ContactPerson.objects.create(
            partnership=partnership, municipality=koeln, name=f"P{n}", visibility="public"
        )
        partnership.actors.create(municipality=koeln, name=f"Verein {n}")
    url = reverse("registry:partnership_detail", args=[partnership.pk])
    client.get(url)
    # The partnership, five prefetches (history, themes, programmes, actors, contacts), layout,
    # and the sections other apps add (registry/sections.py): content's articles, the events'
    # and advisory's cases and deployments.
    with django_assert_max_num_queries(15):
        client.get(url)


# --- Partnership list -------------------------------------------------------------------------


@pytest.fixture
def many(koeln):
    partners = [
        ForeignMunicipalityFactory(name=f"Ort {n:02d}", iso2="PE" if n % 2 else "UA")
        for n in range(60)
    ]
    leipzig = MunicipalityFactory(name="Leipzig", state="Sachsen")
    rows = [
        PartnershipFactory(between=(koeln, p), type="partnerschaft", start_year=1950 + n)
        for n, p in enumerate(partners)
    ]
    rows.append(
        PartnershipFactory(between=(leipzig, partners[0]), type="freundschaft", start_year=1990)
    )
    # No German side:
    rows.append(PartnershipFactory(between=(partners[1], partners[2]), type="freundschaft"))
    PartnershipFactory(between=(leipzig, partners[3]), proposed=True)
    return rows


def test_list_counts_paginates_and_keeps_filters_in_page_links(client, many):
    url = reverse("registry:partnership_list")
    response = client.get(url, {"type": "partnerschaft", "sort": "start", "order": "desc"})
    assert response.status_code == 200
    assert "60" in response.text
    assert "type=partnerschaft&amp;sort=start&amp;order=desc&amp;page=2" in response.text
    second = client.get(url, {"type": "partnerschaft", "sort": "start", "order": "desc", "page": 2})
    assert "Ort 09" in second.text and "Ort 59" not in second.text


def test_list_filters_change_the_result(client, many):
    url = reverse("registry:partnership_list")
    assert "Leipzig" in client.get(url, {"type": "freundschaft"}).text
    assert "Leipzig" not in client.get(url, {"state": "Nordrhein-Westfalen"}).text
    text = client.get(url, {"type": "freundschaft", "all_pairs": "on"}).text
    assert "Ort 02" in text
    assert "Ort 02" not in client.get(url, {"type": "freundschaft"}).text
    assert "Ort 03" not in client.get(url, {"state": "Sachsen"}).text  # unconfirmed


def test_list_sort_links_toggle_the_order(client, many):
    response = client.get(
        reverse("registry:partnership_list"), {"sort": "partner", "state": "Sachsen"}
    )
    assert "state=Sachsen&amp;sort=partner&amp;order=desc" in response.text
    assert 'aria-sort="ascending"' in response.text


def test_list_ignores_mangled_values(client, many):
    response = client.get(reverse("registry:partnership_list"), {"year_from": "abc", "sort": "x"})
    assert response.status_code == 200


def test_list_query_count_is_bounded(client, many, django_assert_max_num_queries):
    """Countries + themes + one count + one page, and the layout (4 to 6: Wagtail's site and
    legal pages, partly cached)."""
    url = reverse("registry:partnership_list")
    client.get(url)
    with django_assert_max_num_queries(10):
        client.get(url, {"state": "Nordrhein-Westfalen", "sort": "country"})


def test_navigation_links_the_list(client, site):
    assert reverse("registry:partnership_list") in client.get("/de/").text


# --- Phones and long lists (issue 10) ----------------------------------------------------------


def test_list_text_filter_finds_a_name_on_either_side(client, many):
    url = reverse("registry:partnership_list")
    text = client.get(url, {"q": "ort 05"}).text
    assert "Ort 05" in text and "Ort 06" not in text
    leipzig = client.get(url, {"q": "LEIPZIG"}).text
    assert "Leipzig" in leipzig and "Ort 10" not in leipzig
    # The text filter travels to the atlas, the statistics and the downloads.
    assert "q=LEIPZIG" in leipzig.split('id="partnership-count"')[1]


def test_list_filters_fold_into_an_accordion_open_while_set(client, many):
    url = reverse("registry:partnership_list")
    assert '<details class="kern-accordion pp-filter-panel" data-pp-open-wide>' in (
        client.get(url).text
    )
    assert "data-pp-open-wide open>" in client.get(url, {"state": "Sachsen"}).text
    assert "data-pp-open-wide open>" not in client.get(url, {"sort": "start"}).text


def test_list_rows_name_their_columns_for_stacking(client, many):
    text = client.get(reverse("registry:partnership_list")).text
    assert 'class="kern-table pp-table--stack"' in text
    assert 'data-label="Deutsche Kommune"' in text
    assert 'data-label="Von der Kommune bestätigt"' in text
    assert ">noch nicht</td>" in text  # a row no municipality ever confirmed says so


def test_municipality_page_pages_filters_and_sorts_its_partnerships(client, koeln):
    _add_partners(koeln, 0, 30)
    url = reverse("registry:municipality_detail", args=[koeln.pk])
    first = client.get(url).text
    assert first.count('data-label="Partner"') == 25
    assert 'aria-current="page"' in first and "?page=2#partnerships-heading" in first
    second = client.get(url, {"page": 2}).text
    assert second.count('data-label="Partner"') == 5
    only = client.get(url, {"q": "partner 17"}).text
    assert only.count('data-label="Partner"') == 1 and "Partner 17" in only
    assert "1 von 30 Partnerschaften passt" in only
    newest = client.get(url, {"sort": "start", "order": "desc"}).text
    assert 'aria-sort="descending"' in newest
    assert "sort=start&order=asc#partnerships-heading" in newest.replace("&amp;", "&")


def test_municipality_page_paging_and_filter_cost_no_query(
    client, koeln, django_assert_num_queries
):
    _add_partners(koeln, 0, 30)
    url = reverse("registry:municipality_detail", args=[koeln.pk])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as plain:
        client.get(url)
    with django_assert_num_queries(len(plain)):
        client.get(url, {"page": 2, "q": "partner", "sort": "country", "order": "desc"})


def test_page_links_elide_the_far_pages_and_format_numbers(site):
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string
    from django.utils import translation

    page = Paginator(range(1200 * 10), 10).get_page(5)
    with translation.override("de"):
        html = render_to_string("partials/pagination.html", {"page": page, "page_query": "q=x"})
    assert 'aria-current="page"><span class="pp-sr-only">Seite </span>5<' in html
    for number in (1, 4, 6):
        assert f'?q=x&amp;page={number}"' in html
    assert 'page=3"' not in html and 'page=7"' not in html
    assert 'page=1200"' in html and ">1.200</a>" in html
    assert "Seite 5 von 1.200" in html
    assert html.count("pp-pagination__gap") == 2
