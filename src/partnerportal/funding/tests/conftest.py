"""Small hand-written BMF rate tables for the funding tests. The figures are the real ones of
the BMF tables 2025 and 2026 for these places (../shared/data/per_diem_bmf.csv), so that the
hand-worked cases can be checked against the official table too."""

import io
from pathlib import Path

import pytest

from partnerportal.funding.services import per_diem_table_import

#: The real rate table, where the project workspace has it (CI runs on a machine that has it).
SHARED_DATA = Path(__file__).resolve().parents[4] / ".." / "shared" / "data"
PER_DIEM_BMF = SHARED_DATA / "per_diem_bmf.csv"

HEADER = "valid_from,valid_until,country_code,city,full_day_eur,partial_day_eur,overnight_eur\n"

TABLE_2025_2026 = HEADER + (
    "2025-01-01,2025-12-31,FR,,53,36,105\n"
    '2025-01-01,2025-12-31,FR,"Paris sowie die Departments 77, 78, 91 bis 95",58,39,159\n'
    "2025-01-01,2025-12-31,RW,,44,29,117\n"
    "2025-01-01,2025-12-31,CH,,64,43,180\n"
    "2025-01-01,2025-12-31,CH,Genf,66,44,186\n"
    "2025-01-01,2025-12-31,AF,,30,20,95\n"
    "2025-01-01,2025-12-31,XK,,24,16,71\n"
    '2025-01-01,2025-12-31,US,"Washington, D. C.",66,44,203\n'
    "2025-01-01,2025-12-31,US,,59,40,182\n"
    "2026-01-01,,FR,,53,36,105\n"
    '2026-01-01,,FR,"Paris sowie die Departments 77, 78, 91 bis 95",58,39,159\n'
    "2026-01-01,,RW,,44,29,117\n"
    "2026-01-01,,CH,,70,47,195\n"
    "2026-01-01,,CH,Genf,70,47,197\n"
    "2026-01-01,,CH,Bern,82,55,195\n"
    "2026-01-01,,XK,,24,16,71\n"
)


def table_import(text: str, *, actor=None, source_name: str = "bmf.csv"):
    """Import a rate table given as CSV text through the service (as the command does)."""
    return per_diem_table_import(
        actor=actor, file=io.BytesIO(text.encode("utf-8")), source_name=source_name
    )


@pytest.fixture
def rates(db):
    """The hand-written table 2025–2026 (its import outcome)."""
    return table_import(TABLE_2025_2026)
