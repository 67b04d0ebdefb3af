"""The imported tables in the back office: a read-only list for agency administrators and
editors, with the years each table is in force for; nobody adds or edits a table there."""

import re

import pytest

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.funding.models import PerDiemTable

from .conftest import HEADER, TABLE_2025_2026, table_import

pytestmark = pytest.mark.django_db

LIST = "/admin/per_diem_tables/"


@pytest.mark.parametrize("role", ["agency_staff", "agency_admin"])
def test_staff_see_the_tables_with_their_counts_and_years_in_force(client, site, role):
    older = table_import(TABLE_2025_2026, source_name="bmf-2025-2026.csv").table
    newer = table_import(HEADER + "2026-01-01,,FR,,60,40,110\n", source_name="bmf-2026.csv").table
    client.force_login(UserFactory(**{role: True}))
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "bmf-2025-2026.csv" in html and "bmf-2026.csv" in html
    cells = [
        re.sub(r"\s+", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
    ]
    assert "16" in cells  # the older table's rows
    assert "2025" in cells and "2026" in cells  # the years each is in force for
    inspect = client.get(f"{LIST}inspect/{older.pk}/")
    assert inspect.status_code == 200
    assert older.source_sha256 in inspect.content.decode()
    # Read-only: no add or edit for anyone
    assert "/admin/per_diem_tables/new/" not in html
    assert client.get(f"{LIST}new/").status_code in (302, 403)
    assert client.post(f"{LIST}edit/{newer.pk}/", {"source_name": "x"}).status_code in (302, 403)
    assert client.post(f"{LIST}delete/{newer.pk}/").status_code in (302, 403)
    assert PerDiemTable.objects.filter(source_name="bmf-2026.csv").exists()
    assert PerDiemTable.objects.count() == 2


def test_the_list_copes_with_no_table_and_bounds_its_queries(
    client, site, django_assert_max_num_queries
):
    client.force_login(UserFactory(agency_staff=True))
    assert client.get(LIST).status_code == 200
    for year in range(2020, 2030):
        table_import(HEADER + f"{year}-01-01,,FR,,53,36,105\n", source_name=f"{year}.csv")
    client.get(LIST)  # warm the session and permission caches
    with django_assert_max_num_queries(25):
        response = client.get(LIST)
    assert response.status_code == 200
    assert "2029.csv" in response.content.decode()


@pytest.mark.parametrize("role", ["reviewer", "expert", None])
def test_others_do_not_see_the_tables(client, site, role):
    table_import(TABLE_2025_2026)
    if role:
        client.force_login(UserFactory(**{role: True}))
    response = client.get(LIST)
    assert response.status_code in (302, 403)
    assert b"bmf.csv" not in response.content
