"""Reads of the funding app that cross relations."""

from __future__ import annotations

from django.db.models import Max

from .models import PerDiemTableYear


def per_diem_tables_in_force() -> dict[int, list[int]]:
    """table id -> the years for which it is in force (the newest table covering a year)."""
    in_force: dict[int, list[int]] = {}
    rows = (
        PerDiemTableYear.objects.values("year")
        .annotate(table=Max("table_id"))
        .values_list("year", "table")
        .order_by("year")
    )
    for year, table in rows:
        in_force.setdefault(table, []).append(year)
    return in_force


def applicant_people(application) -> list:
    """Who hears of the application's decision, payments and reminders: the active editors of
    the applicant municipality and the person who wrote it."""
    from partnerportal.accounts.models import User

    people = list(
        User.objects.filter(
            memberships__municipality_id=application.applicant_id,
            memberships__status="active",
            is_active=True,
        ).distinct()
    )
    if application.created_by is not None and application.created_by not in people:
        people.append(application.created_by)
    return people


def application_url(application, url_name: str) -> str:
    """The absolute address of one of the application's pages, for e-mails (German)."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    with translation.override("de"):
        path = reverse(url_name, kwargs={"pk": application.pk})
    return settings.SITE_URL.rstrip("/") + path
