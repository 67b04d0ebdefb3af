"""Cases through the services: the workflow table (with reopen), assignment, the log, due-date
reminders, retention and the DSGVO providers, the public summaries on registry pages, and the
staff's list and dashboard (with their query budgets)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from partnerportal.accounts.personal_data import personal_data_providers
from partnerportal.advisory import tasks
from partnerportal.advisory.actions import AdvisoryAction
from partnerportal.advisory.cases import case_assign, case_note_add, case_update
from partnerportal.advisory.models import Case, CaseNote, CaseState
from partnerportal.advisory.workflows import TRANSITIONS, available_actions, case_transition
from partnerportal.core.concurrency import EditConflict
from partnerportal.core.workflows import TransitionRefused
from partnerportal.notifications.models import Activity
from partnerportal.registry.sections import page_sections

from .case_factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_every_state_is_reachable_and_every_transition_has_an_audit_label():
    targets = {t.target for t in TRANSITIONS}
    assert set(CaseState.values) - {CaseState.RECEIVED} <= targets
    for t in TRANSITIONS:
        assert AdvisoryAction.for_case_transition(t.action).label


def test_workflow_from_received_to_closed_and_reopened(case_world):
    case, advisor = case_world.case, case_world.advisor
    for action, state in [
        ("clarify", "clarifying"),
        ("advise", "advising"),
        ("plan", "action_plan"),
        ("implement", "implementation"),
        ("close", "closed"),
    ]:
        case_transition(case=case, action=action, actor=advisor, expected_version=case.version)
        assert case.state == state
    assert case.closed_at is not None
    assert [a.action for a in available_actions(case, advisor)] == ["reopen"]
    case_transition(case=case, action="reopen", actor=advisor, expected_version=case.version)
    assert case.state == "advising" and case.closed_at is None
    reasons = list(
        case.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert "advisory.case_close" in reasons and "advisory.case_reopen" in reasons


def test_wrong_state_and_outsiders_are_refused(case_world):
    case = case_world.case
    with pytest.raises(TransitionRefused):
        case_transition(
            case=case, action="implement", actor=case_world.advisor, expected_version=None
        )
    for outsider in (case_world.german_editor, case_world.reviewer, case_world.requester):
        with pytest.raises(PermissionDenied):
            case_transition(case=case, action="clarify", actor=outsider, expected_version=None)
    assert available_actions(case, case_world.german_editor) == []


def test_stale_version_is_refused(case_world):
    case = case_world.case
    seen = case.version
    case_transition(case=case, action="clarify", actor=case_world.advisor, expected_version=seen)
    with pytest.raises(EditConflict):
        case_transition(
            case=case, action="advise", actor=case_world.other_staff, expected_version=seen
        )
    assert Case.objects.get(pk=case.pk).state == "clarifying"


def test_assign_tells_the_advisor_and_refuses_non_staff(case_world):
    case = case_world.case
    case_assign(
        case=case,
        actor=case_world.advisor,
        advisor=case_world.other_staff,
        expected_version=case.version,
    )
    assert case.advisor == case_world.other_staff
    assert Activity.objects.filter(
        recipient=case_world.other_staff, event="advisory.case_assigned"
    ).exists()
    with pytest.raises(ValidationError):
        case_assign(
            case=case,
            actor=case_world.advisor,
            advisor=case_world.german_editor,
            expected_version=case.version,
        )


def test_update_resolves_municipality_and_derives_country(case_world):
    case = case_world.case
    case_update(
        case=case,
        actor=case_world.advisor,
        expected_version=case.version,
        municipality=case_world.third,
        partnership=None,
        due_on=dt.date(2030, 1, 1),
    )
    assert case.municipality == case_world.third and case.country_id == "DE"
    assert case.history.first().history_change_reason == "advisory.case_updated"


def test_note_is_staff_only(case_world):
    note = case_note_add(
        case=case_world.case,
        actor=case_world.other_staff,
        kind="meeting",
        date=dt.date(2026, 11, 3),
        text="Treffen",
        participants="A, B",
    )
    assert note.author == case_world.other_staff
    with pytest.raises(PermissionDenied):
        case_note_add(
            case=case_world.case,
            actor=case_world.german_editor,
            kind="note",
            date=dt.date(2026, 11, 3),
            text="x",
        )


def test_due_reminder_once_per_due_date(case_world):
    case = case_world.case
    Case.objects.filter(pk=case.pk).update(due_on=timezone.localdate() + dt.timedelta(days=1))
    assert tasks.advisory_cases_remind_due.call() == 1
    assert tasks.advisory_cases_remind_due.call() == 0
    assert (
        Activity.objects.filter(recipient=case_world.advisor, event="advisory.case_due").count()
        == 1
    )
    # A closed case is not reminded.
    CaseFactory(closed=True, advisor=case_world.advisor, due_on=timezone.localdate())
    assert tasks.advisory_cases_remind_due.call() == 0


def test_retention_anonymises_closed_cases_and_keeps_statistics(case_world, settings):
    settings.ADVISORY_CASE_RETENTION_DAYS = 30
    case = case_world.case
    Case.objects.filter(pk=case.pk).update(
        state="closed", closed_at=timezone.now() - dt.timedelta(days=31)
    )
    recent = CaseFactory(closed=True)
    assert tasks.advisory_cases_anonymise_expired.call() == 1
    case.refresh_from_db()
    assert case.anonymised_at is not None
    assert case.requester_name == "—" and "@" in case.requester_email
    assert case_world.requester.email not in case.requester_email
    assert case.requester_user is None and case.requester_phone == ""
    # statistics stay
    assert case.state == "closed" and case.country_id == "TN" and case.partnership_id
    # the history holds no copy of the personal data either
    assert not case.history.filter(requester_email=case_world.requester.email).exists()
    note = CaseNote.objects.get(pk=case_world.note.pk)
    assert "Vertrauliche" not in note.text and note.participants == ""
    assert not CaseNote.history.filter(text__contains="Vertrauliche").exists()
    recent.refresh_from_db()
    assert recent.anonymised_at is None


def test_personal_data_export_and_erasure(case_world):
    provider = next(p for p in personal_data_providers() if p.key == "advisory_requests")
    # a request sent by address before the account existed counts too
    by_address = CaseFactory(requester_email=case_world.requester.email.upper())
    rows = provider.export(case_world.requester)
    assert {r["reference"] for r in rows} == {case_world.case.reference, by_address.reference}
    assert all("Vertrauliche" not in str(r) for r in rows)  # the internal log is not exported
    provider.erase(case_world.requester, [case_world.requester.email])
    assert (
        Case.objects.filter(
            anonymised_at__isnull=True, pk__in=[case_world.case.pk, by_address.pk]
        ).count()
        == 0
    )
    assert provider.export(case_world.requester) == []


def test_public_summary_on_partnership_and_municipality_pages(case_world, rf):
    request = rf.get("/")
    CaseFactory(partnership=case_world.partnership, public_summary="")  # no summary: not shown
    CaseFactory(
        partnership=case_world.partnership, public_summary="Geheim", anonymised_at=timezone.now()
    )
    for page, subject in (
        ("partnership", case_world.partnership),
        ("municipality", case_world.partner),
    ):
        html = "".join(page_sections(request, page=page, subject=subject))
        assert "Beratung zu einem Aktionsplan Abfallwirtschaft." in html
        assert "Geheim" not in html
        assert case_world.requester.name not in html
    other = "".join(page_sections(request, page="municipality", subject=case_world.third))
    assert "Abfallwirtschaft" not in other


def test_partnership_page_shows_the_summary(client, case_world):
    url = reverse("registry:partnership_detail", kwargs={"pk": case_world.partnership.pk})
    response = client.get(url)
    assert "Beratung zu einem Aktionsplan Abfallwirtschaft." in response.content.decode()


def test_case_list_filters_and_pages(client, case_world, django_assert_max_num_queries):
    CaseFactory.create_batch(3, state="advising", due_on=dt.date(2020, 1, 1))
    client.force_login(case_world.other_staff)
    url = reverse("advisory:case_list")
    client.get(url)  # the first request of a session reads a few things once
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(url, {"overdue": "on"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 3
    response = client.get(url, {"country": "tn"})
    assert [c["pk"] for c in response.context["page"].object_list] == [case_world.case.pk]
    assert case_world.case.reference in response.content.decode()
    response = client.get(url, {"advisor": case_world.advisor.pk})
    assert response.context["page"].paginator.count == 1


#: The list's budget: session, user, roles, the filter form's choices, count and one page.
LIST_QUERIES = 10
#: The dashboard's budget when its figures are cached (two cache reads) and when not (one
#: grouped query per figure, a few names).
DASHBOARD_CACHED_QUERIES = 6
DASHBOARD_QUERIES = 20


def test_case_list_queries_do_not_grow_with_the_rows(client, case_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(case_world.other_staff)
    url = reverse("advisory:case_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    CaseFactory.create_batch(60, advisor=case_world.advisor, programme=case_world.case.programme)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"page": 1})
    assert len(response.context["rows"]) == 50
    assert len(many) == len(few) <= LIST_QUERIES
    assert client.get(url, {"page": 2}).context["page"].number == 2


def test_dashboard_figures(client, case_world, django_assert_max_num_queries):
    CaseFactory(state="advising", due_on=dt.date(2020, 1, 1))
    CaseFactory(closed=True)
    client.force_login(case_world.other_staff)
    client.get(reverse("advisory:case_list"))  # the session's first request, not the figures
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("advisory:dashboard"))
    assert response.status_code == 200
    ctx = response.context
    assert ctx["overdue_count"] == 1
    figures = {figure["id"]: figure for figure in ctx["figures"]}
    states = {row["url"].rsplit("=", 1)[1]: row["count"] for row in figures["by-state"]["rows"]}
    assert states["received"] == "1" and states["advising"] == "1" and states["closed"] == "1"
    assert sum(int(r["opened"]) for r in ctx["quarters"]) == 3
    assert sum(int(r["closed"]) for r in ctx["quarters"]) == 1
    body = response.content.decode()
    assert "<svg" in body and "Vertrauliche" not in body


def test_dashboard_is_cached_until_a_case_changes(
    client, case_world, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client.force_login(case_world.other_staff)
    url = reverse("advisory:dashboard")
    assert client.get(url).context["overdue_count"] == 0
    with django_assert_max_num_queries(DASHBOARD_CACHED_QUERIES):
        response = client.get(url)
    assert response.context["overdue_count"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        late = CaseFactory(state="advising", due_on=dt.date(2020, 1, 1))
    response = client.get(url)
    assert response.context["overdue_count"] == 1
    assert late.reference in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case=late, action="close", actor=case_world.advisor, expected_version=None)
    assert client.get(url).context["overdue_count"] == 0


def test_case_page_shows_log_to_staff_with_buttons(client, case_world):
    client.force_login(case_world.other_staff)
    response = client.get(reverse("advisory:case_detail", kwargs={"pk": case_world.case.pk}))
    body = response.content.decode()
    assert "Vertrauliche Notiz" in body
    assert 'value="clarify"' in body and 'value="reopen"' not in body
    response = client.post(
        reverse("advisory:case_transition", kwargs={"pk": case_world.case.pk}),
        {"action": "clarify", "version": case_world.case.version},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case_world.case.pk).state == "clarifying"


def test_note_form_on_the_case_page(client, case_world):
    client.force_login(case_world.advisor)
    response = client.post(
        reverse("advisory:case_note_add", kwargs={"pk": case_world.case.pk}),
        {
            "kind": "call",
            "date": "2026-11-20",
            "participants": "Bürgermeisterin",
            "text": "Telefonat",
        },
    )
    assert response.status_code == 302
    assert CaseNote.objects.filter(case=case_world.case, text="Telefonat").exists()
