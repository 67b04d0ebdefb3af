"""The action plan: measures changed through the services by staff and by the editors of both
partner municipalities, with optimistic concurrency and an audited history; comments; the PDF
and the XLSX."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from partnerportal.advisory.cases import (
    measure_create,
    measure_delete,
    measure_update,
    plan_comment_add,
    plan_create,
)
from partnerportal.advisory.models import ActionPlan, Measure, PlanComment
from partnerportal.advisory.plan_exports import plan_pdf, plan_xlsx
from partnerportal.core.concurrency import EditConflict
from partnerportal.notifications.models import Activity
from partnerportal.registry.models import Theme

pytestmark = pytest.mark.django_db


def _measure(case_world, actor=None, **extra):
    values = {
        "goal": "Abfalltrennung in zwei Stadtteilen",
        "activities": "Workshops, Behälter, Öffentlichkeitsarbeit",
        "responsible": "both",
        "starts_on": dt.date(2027, 1, 1),
        "ends_on": dt.date(2027, 6, 30),
        "status": "planned",
        "estimated_cost": Decimal("12500.00"),
    }
    values.update(extra)
    return measure_create(case=case_world.case, actor=actor or case_world.advisor, **values)


def test_staff_and_both_sides_edit_the_plan_others_do_not(case_world):
    sdg = Theme.objects.filter(kind="sdg").first()
    m = _measure(case_world, themes=[sdg])
    assert list(m.themes.all()) == [sdg]
    for editor in (case_world.german_editor, case_world.partner_editor):
        m = measure_update(
            measure=m, actor=editor, expected_version=m.version, status="in_progress"
        )
    assert m.status == "in_progress"
    for outsider in (case_world.third_editor, case_world.reviewer, case_world.requester):
        with pytest.raises(PermissionDenied):
            measure_update(measure=m, actor=outsider, expected_version=m.version, status="done")
        with pytest.raises(PermissionDenied):
            _measure(case_world, actor=outsider)


def test_concurrent_edit_is_refused(case_world):
    m = _measure(case_world)
    seen = m.version
    measure_update(measure=m, actor=case_world.german_editor, expected_version=seen, goal="A")
    with pytest.raises(EditConflict):
        measure_update(measure=m, actor=case_world.partner_editor, expected_version=seen, goal="B")
    assert Measure.objects.get(pk=m.pk).goal == "A"


def test_every_change_is_audited(case_world):
    m = _measure(case_world)
    m = measure_update(
        measure=m,
        actor=case_world.partner_editor,
        expected_version=m.version,
        estimated_cost=Decimal("9000"),
    )
    measure_delete(measure=m, actor=case_world.advisor, expected_version=m.version)
    rows = list(Measure.history.filter(id=m.pk).order_by("history_id"))
    assert [r.history_change_reason for r in rows] == [
        "advisory.measure_created",
        "advisory.measure_updated",
        "advisory.measure_deleted",
    ]
    assert [r.history_user for r in rows] == [
        case_world.advisor,
        case_world.partner_editor,
        case_world.advisor,
    ]


def test_end_before_start_is_refused(case_world):
    with pytest.raises(ValidationError):
        _measure(case_world, starts_on=dt.date(2027, 5, 1), ends_on=dt.date(2027, 1, 1))


def test_closed_case_plan_cannot_change(case_world):
    m = _measure(case_world)
    case_world.case.state = "closed"
    case_world.case.save()
    with pytest.raises(PermissionDenied):
        measure_update(
            measure=Measure.objects.get(pk=m.pk),
            actor=case_world.advisor,
            expected_version=None,
            goal="x",
        )


def test_comment_tells_advisor_and_the_other_side(case_world):
    comment = plan_comment_add(
        case=case_world.case, actor=case_world.partner_editor, text="Einverstanden."
    )
    assert comment.author == case_world.partner_editor
    told = set(
        Activity.objects.filter(event="advisory.plan_commented").values_list("recipient", flat=True)
    )
    assert told == {case_world.advisor.pk, case_world.german_editor.pk}
    with pytest.raises(PermissionDenied):
        plan_comment_add(case=case_world.case, actor=case_world.third_editor, text="Ich auch")


def test_editor_sees_plan_and_comments_but_not_the_log(client, case_world):
    _measure(case_world)
    client.force_login(case_world.partner_editor)
    url = reverse("advisory:plan_detail", kwargs={"pk": case_world.case.pk})
    body = client.get(url).content.decode()
    assert "Abfalltrennung in zwei Stadtteilen" in body
    assert "Vertrauliche" not in body
    assert case_world.case.requester_email not in body
    response = client.post(
        reverse("advisory:plan_comment", kwargs={"pk": case_world.case.pk}), {"text": "Gut so."}
    )
    assert response.status_code == 302
    assert PlanComment.objects.filter(text="Gut so.", author=case_world.partner_editor).exists()
    assert (
        client.get(reverse("advisory:case_detail", kwargs={"pk": case_world.case.pk})).status_code
        == 403
    )


def test_measure_form_with_stale_version_keeps_entries(client, case_world):
    m = _measure(case_world)
    seen = m.version
    measure_update(measure=m, actor=case_world.advisor, expected_version=seen, goal="Neu")
    client.force_login(case_world.german_editor)
    response = client.post(
        reverse("advisory:measure_edit", kwargs={"pk": case_world.case.pk, "measure": m.pk}),
        {"goal": "Meine Fassung", "responsible": "german", "status": "planned", "version": seen},
    )
    assert response.status_code == 409
    assert "Meine Fassung" in response.content.decode()
    assert Measure.objects.get(pk=m.pk).goal == "Neu"


def test_measure_create_view(client, case_world):
    client.force_login(case_world.german_editor)
    response = client.post(
        reverse("advisory:measure_create", kwargs={"pk": case_world.case.pk}),
        {
            "goal": "Schulpartnerschaft",
            "responsible": "partner",
            "status": "planned",
            "estimated_cost": "1500,00",
            "starts_on": "2027-02-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Measure.objects.get(goal="Schulpartnerschaft").estimated_cost == Decimal("1500.00")


def test_pdf_and_xlsx(client, case_world):
    _measure(case_world, goal="Kompostanlage – Überblick „Ägypten“")
    pdf = plan_pdf(case_world.case)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    book = load_workbook(io.BytesIO(plan_xlsx(case_world.case)))
    sheet = book.active
    assert sheet["B4"].value == "Kompostanlage – Überblick „Ägypten“"
    assert sheet["H4"].value == 12500.0
    assert sheet["E4"].value.date() == dt.date(2027, 1, 1)
    client.force_login(case_world.partner_editor)
    for name, kind in (
        ("advisory:plan_pdf", "application/pdf"),
        ("advisory:plan_xlsx", "spreadsheetml"),
    ):
        response = client.get(reverse(name, kwargs={"pk": case_world.case.pk}))
        assert response.status_code == 200 and kind in response["Content-Type"]
    client.force_login(case_world.third_editor)
    assert (
        client.get(reverse("advisory:plan_pdf", kwargs={"pk": case_world.case.pk})).status_code
        == 404
    )


def test_showing_a_plan_writes_nothing_and_starting_one_is_a_post(client, case_world):
    """The first GET used to create an empty plan; now it says "no plan yet" and offers a
    POST, which only staff and the editors of the plan's municipalities may send."""
    url = reverse("advisory:plan_detail", kwargs={"pk": case_world.case.pk})
    start = reverse("advisory:plan_create", kwargs={"pk": case_world.case.pk})
    for who in (case_world.advisor, case_world.partner_editor):
        client.force_login(who)
        body = client.get(url).content.decode()
        assert "No action plan yet" in body or "Noch kein Aktionsplan" in body
        assert start in body
    assert not ActionPlan.objects.filter(case=case_world.case).exists()

    client.force_login(case_world.third_editor)
    assert client.post(start).status_code == 404
    assert client.post(
        reverse("advisory:plan_comment", kwargs={"pk": case_world.case.pk}), {"text": "x"}
    ).status_code in (403, 404)
    client.force_login(case_world.partner_editor)
    assert (
        client.post(
            reverse("advisory:plan_comment", kwargs={"pk": case_world.case.pk}), {"text": "x"}
        ).status_code
        == 404
    )  # nothing to comment on yet
    assert not ActionPlan.objects.filter(case=case_world.case).exists()
    assert not PlanComment.objects.exists()

    assert client.post(start).status_code == 302
    assert client.post(start).status_code == 302  # a second start keeps the one plan
    plan = ActionPlan.objects.get(case=case_world.case)
    record = plan.history.get()
    assert record.history_change_reason == "advisory.plan_created"
    assert record.history_user == case_world.partner_editor
    body = client.get(url).content.decode()
    assert reverse("advisory:plan_edit", kwargs={"pk": case_world.case.pk}) in body


def test_a_plan_of_a_closed_case_is_not_started(case_world):
    case_world.case.state = "closed"
    case_world.case.save()
    with pytest.raises(PermissionDenied):
        plan_create(case=case_world.case, actor=case_world.advisor)
    assert not ActionPlan.objects.exists()
