"""Half-yearly and final reports on deployments: laid out when the expert is deployed, written by
the expert (or staff for them), reminded of ahead of their due date by a scheduled job, and the
missing ones listed for staff.

A report falls due every six months from the start and a final one a month after the end; the
reminder goes REMINDER_DAYS before the due date to the expert's account (and again once a week
while it is overdue), never twice in a week."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from partnerportal.core.uploads import UploadPolicy, validate_upload
from partnerportal.notifications.events import Event
from partnerportal.notifications.services import notify

from . import permissions
from .models import Deployment, DeploymentReport, DeploymentReportDocument, DeploymentState

REMINDER_DAYS = 14
REMIND_AGAIN_AFTER = dt.timedelta(days=7)
REPORT_POLICY = UploadPolicy(kinds=("pdf", "docx", "xlsx", "odt", "png", "jpeg"))


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved on by whole months, the 31st becoming the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def report_dates(deployment: Deployment) -> list[tuple[str, dt.date]]:
    """(kind, due date) of every report the deployment owes."""
    dates = []
    months = 6
    while True:
        due = add_months(deployment.starts_on, months)
        if due >= deployment.ends_on:
            break
        dates.append((DeploymentReport.Kind.HALF_YEARLY, due))
        months += 6
    dates.append((DeploymentReport.Kind.FINAL, add_months(deployment.ends_on, 1)))
    return dates


def reports_schedule(deployment: Deployment) -> list[DeploymentReport]:
    """Create the reports a deployment owes (those already there stay as they are)."""
    made = []
    for kind, due in report_dates(deployment):
        report, _created = DeploymentReport.objects.get_or_create(
            deployment=deployment, kind=kind, due_on=due
        )
        made.append(report)
    return made


def report_submit(
    *,
    actor,
    report: DeploymentReport,
    text: str,
    results: list[str],
    documents: Iterable = (),
) -> DeploymentReport:
    """The expert (or staff) hands in a report: text, a result for each goal, documents checked
    by the one upload path (core.uploads)."""
    if not permissions.can_submit_deployment_report(actor, report.deployment):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError(_("Please write the report."), code="empty")
    goals = report.deployment.goal_list
    checked = [(file, validate_upload(file, policy=REPORT_POLICY)) for file in documents]
    with transaction.atomic():
        report.text = text.strip()
        report.results = [
            {"goal": goal, "result": (results[i] if i < len(results) else "").strip()}
            for i, goal in enumerate(goals)
        ]
        report.submitted_at = timezone.now()
        report.submitted_by = actor
        report.save()
        for file, detected in checked:
            DeploymentReportDocument.objects.create(
                report=report,
                file=file,
                name=getattr(file, "name", "")[:200],
                content_type=detected.mime,
            )
    return report


def reports_missing(*, today: dt.date | None = None) -> QuerySet[DeploymentReport]:
    """Reports past their due date and not handed in, for staff."""
    today = today or timezone.localdate()
    return (
        DeploymentReport.objects.filter(submitted_at__isnull=True, due_on__lt=today)
        .exclude(deployment__state=DeploymentState.BROKEN_OFF)
        .select_related("deployment__partner_municipality", "deployment__expert")
        .order_by("due_on", "pk")
    )


def _report_url(report: DeploymentReport) -> str:
    path = reverse(
        "advisory:deployment_report",
        kwargs={"pk": report.deployment_id, "report_pk": report.pk},
    )
    return settings.SITE_URL.rstrip("/") + path


def reports_remind(*, now: dt.datetime | None = None) -> int:
    """Tell each expert of the reports due within REMINDER_DAYS or overdue, once a week at most;
    returns how many reminders went out."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = (
        DeploymentReport.objects.filter(
            submitted_at__isnull=True,
            due_on__lte=today + dt.timedelta(days=REMINDER_DAYS),
            deployment__expert__user__isnull=False,
            deployment__state__in=[DeploymentState.DEPLOYED, DeploymentState.ENDED],
        )
        .select_related("deployment__expert__user", "deployment__partner_municipality")
        .order_by("due_on", "pk")
    )
    sent = 0
    for report in due:
        if report.reminded_at is not None and now - report.reminded_at < REMIND_AGAIN_AFTER:
            continue
        with transaction.atomic():
            notify(
                event=Event.DEPLOYMENT_REPORT_DUE,
                recipients=[report.deployment.expert.user],
                target=report,
                context={
                    "url": _report_url(report),
                    "due_on": report.due_on.isoformat(),
                    "municipality": report.deployment.partner_municipality.name,
                },
            )
            report.reminded_at = now
            report.save(update_fields=["reminded_at"])
        sent += 1
    return sent


@task()
def deployment_reports_remind() -> int:
    """Scheduled daily (AdvisoryConfig.ready): the reminders of reports that fall due."""
    return reports_remind()
