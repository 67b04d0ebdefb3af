"""The import of the BMF rate table: checked whole before anything is written, every problem
named with line and field, superseding by year, the audit entry, the command, and the real
table of ../shared/data."""

import datetime as dt
import io
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.funding.actions import FundingAction
from partnerportal.funding.importers import PerDiemFileError
from partnerportal.funding.models import PerDiemRate, PerDiemTable, PerDiemTableYear
from partnerportal.funding.per_diem import per_diem_calculate
from partnerportal.funding.selectors import per_diem_tables_in_force
from partnerportal.funding.services import per_diem_table_import
from partnerportal.geo.models import Country
from partnerportal.registry.importers.errors import ImportFileError, NothingToImport

from .conftest import HEADER, PER_DIEM_BMF, TABLE_2025_2026, table_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_table_is_stored_with_its_years_counts_and_audit_entry():
    staff = UserFactory(agency_staff=True)
    outcome = table_import(TABLE_2025_2026, actor=staff)
    table = outcome.table
    assert (table.row_count, table.country_count, table.city_count) == (16, 6, 4)
    assert (table.first_year, table.last_year) == (2025, 2026)
    assert table.imported_by == staff
    assert table.source_name == "bmf.csv"
    assert len(table.source_sha256) == 64
    assert outcome.rows_per_year == {2025: 9, 2026: 7}
    assert sorted(PerDiemTableYear.objects.values_list("year", flat=True)) == [2025, 2026]
    paris = PerDiemRate.objects.get(table=table, city__startswith="Paris", valid_from__year=2026)
    assert (paris.full_day, paris.partial_day, paris.overnight, paris.valid_until) == (
        58,
        39,
        159,
        None,
    )
    entry = table.history.get()
    assert entry.history_change_reason == FundingAction.PER_DIEM_TABLE_IMPORTED
    assert entry.history_user == staff
    # Kosovo (XK) has no ISO 3166 entry in pycountry: created as geo does for GeoNames
    assert Country.objects.get(pk="XK").name_en == "Kosovo"


def test_a_person_who_is_not_agency_staff_may_not_import():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        table_import(TABLE_2025_2026, actor=UserFactory(reviewer=True))
    assert not PerDiemTable.objects.exists()


BAD = HEADER + (
    "2027-01-01,,FR,,53,36,105\n"  # line 2: fine
    "2027-01-01,,ZZ,,53,36,105\n"  # line 3: unknown country
    "2027-13-01,,RW,,44,29,117\n"  # line 4: no such month
    "2027-01-01,2026-12-31,SN,,44,29,117\n"  # line 5: ends before it starts
    "2027-01-01,,DE,,28,14.555,20\n"  # line 6: three decimals
    "2027-01-01,,AT,,40,-27,108\n"  # line 7: negative
    "2027-01-01,,BE,,59,60,141\n"  # line 8: partial above full
    "2027-01-01,,BG,,22,15,115\n"  # line 9: fine
    "2027-06-01,,fr,,54,36,105\n"  # line 10: overlaps line 2 (open end)
    "2027-01-01,,CZ,,45,30\n"  # line 11: a field missing
    "2027-01-01,,PL,,43,29,2,5\n"  # line 12: decimal comma splits the field
    "2027-01-01,,IT,,42;28,150\n"  # line 13: field count wrong
)


def test_a_file_with_bad_rows_is_refused_whole_naming_every_problem():
    with pytest.raises(PerDiemFileError) as error:
        table_import(BAD)
    found = [(problem.line, problem.field) for problem in error.value.problems]
    assert found == [
        (3, "country_code"),
        (4, "valid_from"),
        (5, "valid_until"),
        (6, "partial_day_eur"),
        (7, "partial_day_eur"),
        (8, "partial_day_eur"),
        (10, "valid_from"),
        (11, ""),
        (12, ""),
        (13, ""),
    ]
    text = str(error.value)
    assert "Line 3, field “country_code”: “ZZ” is not an ISO 3166 country code." in text
    assert "already given in line 2" in text
    assert "The row has 6 fields; the header has 7." in text
    # Nothing was written, not even the rows that were fine
    assert not PerDiemTable.objects.exists()
    assert not PerDiemRate.objects.exists()


def test_a_bad_file_changes_nothing_of_the_tables_in_force(rates):
    before = per_diem_tables_in_force()
    with pytest.raises(PerDiemFileError):
        table_import(HEADER + "2026-01-01,,FR,,70,80,105\n")
    assert per_diem_tables_in_force() == before
    assert PerDiemTable.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty."),
        ("valid_from,country_code\n2026-01-01,FR\n", "Missing: valid_until"),
        (HEADER.replace("city", "town"), "Unknown: town"),
    ],
)
def test_a_file_without_the_right_header_is_refused(text, message):
    with pytest.raises(ImportFileError) as error:
        table_import(text)
    assert message in str(error.value)
    assert not PerDiemTable.objects.exists()


def test_a_file_with_only_its_header_is_refused():
    with pytest.raises(NothingToImport):
        table_import(HEADER)


def test_a_file_that_is_not_utf8_is_refused_with_its_line():
    data = (HEADER + "2026-01-01,,FR,Paris sowie die D\xe9partements,58,39,159\n").encode("latin-1")
    with pytest.raises(ImportFileError) as error:
        per_diem_table_import(actor=None, file=io.BytesIO(data), source_name="latin1.csv")
    assert error.value.line == 2
    assert "not UTF-8" in str(error.value)


def test_a_byte_order_mark_and_blank_lines_are_accepted():
    data = ("\ufeff" + HEADER + "2026-01-01,,FR,,53,36,105\n\n").encode("utf-8")
    outcome = per_diem_table_import(actor=None, file=io.BytesIO(data), source_name="bom.csv")
    assert outcome.table.row_count == 1


def test_re_importing_a_year_supersedes_it_and_keeps_the_older_table(rates):
    newer = table_import(HEADER + "2026-01-01,,FR,,60,40,110\n")
    assert newer.superseded == {2026: rates.table.pk}
    assert per_diem_tables_in_force() == {rates.table.pk: [2025], newer.table.pk: [2026]}
    assert PerDiemRate.objects.filter(table=rates.table).count() == 16


def test_the_command_imports_and_summarises(tmp_path):
    path = tmp_path / "bmf-2025-2026.csv"
    path.write_text(TABLE_2025_2026, encoding="utf-8")
    out = StringIO()
    call_command("import_per_diem", str(path), stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "Imported 16 rates from bmf-2025-2026.csv" in text
    assert "2025: 9 rates" in text and "2026: 7 rates" in text
    assert "Countries: 6, listed cities: 4." in text
    out = StringIO()
    call_command("import_per_diem", str(path), stdout=out, stderr=StringIO())
    assert "2026: replaces table" in out.getvalue()


def test_the_command_refuses_a_bad_file_with_every_problem(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_per_diem", str(path), stdout=StringIO(), stderr=StringIO())
    text = str(error.value)
    assert "bad.csv was not imported, nothing was changed" in text
    assert "Line 3, field “country_code”" in text and "Line 13:" in text
    assert not PerDiemTable.objects.exists()


def test_the_command_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="File not found"):
        call_command("import_per_diem", str(tmp_path / "none.csv"), stdout=StringIO())


def test_the_real_bmf_table():
    """The real table of ../shared/data (889 rates, 2023–2026), imported once, then the
    hand-worked cases on it."""
    if not PER_DIEM_BMF.is_file():
        pytest.skip("../shared/data/per_diem_bmf.csv is not there")
    out = StringIO()
    call_command("import_per_diem", str(PER_DIEM_BMF), stdout=out, stderr=StringIO())
    table = PerDiemTable.objects.get()
    assert table.row_count == 889
    assert (table.first_year, table.last_year) == (2023, 2026)
    assert (table.country_count, table.city_count) == (174, 56)
    assert "2023: 225 rates" in out.getvalue() and "2026: 215 rates" in out.getvalue()
    # Paris 2026: 39 + 58 + 39
    result = per_diem_calculate(
        country="FR",
        city="Paris",
        start=dt.datetime(2026, 3, 2, 7, 30),
        end=dt.datetime(2026, 3, 4, 19),
    )
    assert result.total == Decimal("136.00")
    # Bern over the year change: CH 43 + 64 (2025), Bern 82 + 55 (2026)
    result = per_diem_calculate(
        country="CH",
        city="Bern",
        start=dt.datetime(2025, 12, 30, 9),
        end=dt.datetime(2026, 1, 2, 18),
    )
    assert result.total == Decimal("244.00")
    # Rwanda 2024, 29 + 44 + 29
    result = per_diem_calculate(
        country="RW", start=dt.datetime(2024, 5, 10, 6), end=dt.datetime(2024, 5, 12, 22)
    )
    assert result.total == Decimal("102.00")
