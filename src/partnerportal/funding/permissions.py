"""Who may see and do what with funding data. Views, API and commands ask here.

- The per-diem calculation (API) is public: it uses only the official BMF rates, no personal
  data.
- The imported rate tables: agency administrators and editors see them in the back office and
  import new ones (the command runs as the installation's operator, without an account).
"""

from __future__ import annotations

from partnerportal.accounts.roles import MANAGING_ROLES, has_role


def can_calculate_per_diem(user) -> bool:
    return True


def can_view_per_diem_tables(user) -> bool:
    return has_role(user, *MANAGING_ROLES)


def can_import_per_diem_table(user) -> bool:
    return has_role(user, *MANAGING_ROLES)
