"""The staff dashboard's figures, ready to show and cached in the shared cache under a change
version of the cases (core.versions, as the registry's figures are): counting 20,000 cases
six ways and formatting the numbers cost more than the page may take, and the figures only
change when a case does.

The key also holds the language (the labels and numbers are formatted for the reader) and the
day (overdue cases and ages move with the date); a short timeout lets a renamed advisor or
programme show within minutes without every name change having to mark the cases changed."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from partnerportal.core.dates import display_date
from partnerportal.core.templatetags.partnerportal import number
from partnerportal.core.versions import ChangeVersion

from . import selectors
from .charts import quarter_chart

CASES_VERSION = ChangeVersion("advisory:cases-changed")
#: Names of advisors and programmes may change without a case changing: refresh this often.
FIGURES_SECONDS = 10 * 60


def cases_changed(**_kwargs) -> None:
    """A case was written: every cached dashboard is stale once the transaction commits."""
    CASES_VERSION.changed()


def connect_signals() -> None:
    from .models import Case

    post_save.connect(cases_changed, sender=Case, dispatch_uid="advisory-cases-changed-save")
    post_delete.connect(cases_changed, sender=Case, dispatch_uid="advisory-cases-changed-delete")


def _figure(key: str, title: str, column: str, rows: list[dict], param: str) -> dict:
    base = reverse("advisory:case_list")
    return {
        "id": f"by-{key}",
        "title": title,
        "column": column,
        "rows": [
            {
                "label": str(row["label"]),
                "url": f"{base}?{param}={row['key']}" if param else "",
                "count": number(row["count"]),
            }
            for row in rows
        ],
    }


def _figures(today: dt.date) -> dict:
    overdue_count, overdue = selectors.overdue_cases()
    quarters = selectors.cases_per_quarter(today=today)
    return {
        "overdue_count": overdue_count,
        "overdue": [
            {
                "url": reverse("advisory:case_detail", kwargs={"pk": case.pk}),
                "reference": case.reference,
                "requester_name": case.requester_name,
                "due": display_date(case.due_on),
                "advisor": (case.advisor.name or case.advisor.email) if case.advisor else "",
            }
            for case in overdue
        ],
        "quarters": [
            {"label": q["label"], "opened": number(q["opened"]), "closed": number(q["closed"])}
            for q in quarters
        ],
        "chart": quarter_chart(quarters),
        "figures": [
            _figure("state", _("Cases by state"), _("State"), selectors.cases_by_state(), "state"),
            _figure(
                "advisor",
                _("Open cases by advisor"),
                _("Advisor"),
                selectors.cases_by_advisor(),
                "advisor",
            ),
            _figure(
                "programme",
                _("Cases by programme"),
                _("Programme"),
                selectors.cases_by_programme(),
                "programme",
            ),
            _figure(
                "country", _("Cases by country"), _("Country"), selectors.cases_by_country(),
                "country",
            ),
            _figure("age", _("Open cases by age"), _("Open since"), selectors.cases_by_age(), ""),
        ],
    }  # fmt: skip


def dashboard_figures() -> dict:
    """Everything the dashboard shows, as display values: from the cache while no case has
    changed (two cache reads), else from one grouped query per figure."""
    today = timezone.localdate()
    key = f"advisory:dashboard:{CASES_VERSION.current()!r}:{get_language()}:{today.isoformat()}"
    return cache.get_or_set(key, lambda: _figures(today), FIGURES_SECONDS)
