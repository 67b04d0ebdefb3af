"""The applicant's services: drafts, the cost plan (foreign currency, per diems by the BMF
rates), the check before submission, submission with its reference, audit and notifications,
and the guards (another municipality's partnership or application, a stale version)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from partnerportal.accounts.tests.factories import MunicipalityFactory, UserFactory
from partnerportal.core.concurrency import EditConflict
from partnerportal.funding import applications as services
from partnerportal.funding.actions import FundingAction
from partnerportal.funding.models import Application, ApplicationState, CostLine
from partnerportal.notifications.models import Activity

from .apply_factories import applicant_with_partnership, instrument

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(db, rates):
    inst = instrument()
    city, partnership, editor = applicant_with_partnership()
    return {"instrument": inst, "city": city, "partnership": partnership, "editor": editor}


def _draft(world) -> Application:
    return services.application_create(
        actor=world["editor"],
        instrument=world["instrument"],
        applicant=world["city"],
        partnership_id=world["partnership"].pk,
    )


def _complete(world, application: Application) -> Application:
    start = timezone.localdate() + dt.timedelta(days=30)
    services.application_update(
        actor=world["editor"],
        application=application,
        expected_version=application.version,
        title="Delegationsreise nach Kigali",
        goals="Wasserversorgung planen",
        measure="Fachleute beider Verwaltungen treffen sich.",
        starts_on=start,
        ends_on=start + dt.timedelta(days=10),
    )
    services.cost_line_add(
        actor=world["editor"],
        application=application,
        expected_version=application.version,
        kind="flight",
        description="Flug",
        amount=Decimal("1200"),
    )
    services.document_upload(
        actor=world["editor"],
        application=application,
        expected_version=application.version,
        key="absicht",
        file=SimpleUploadedFile("absicht.pdf", PDF),
    )
    return application


def test_a_draft_is_created_by_the_applicants_editor_and_audited(world):
    application = _draft(world)
    assert application.state == ApplicationState.DRAFT
    assert application.partnership == world["partnership"]
    record = application.history.latest()
    assert record.history_change_reason == FundingAction.APPLICATION_CREATED
    assert record.history_user == world["editor"]


def test_nobody_else_applies_for_the_municipality(world):
    for outsider in (
        UserFactory(),
        UserFactory(agency_staff=True),
        UserFactory(municipality=MunicipalityFactory()),
    ):
        with pytest.raises(PermissionDenied):
            services.application_create(
                actor=outsider, instrument=world["instrument"], applicant=world["city"]
            )
    assert not Application.objects.exists()


def test_a_forged_partnership_is_refused(world):
    _other_city, foreign_partnership, _other_editor = applicant_with_partnership(name="Bonn")
    with pytest.raises(ValidationError):
        services.application_create(
            actor=world["editor"],
            instrument=world["instrument"],
            applicant=world["city"],
            partnership_id=foreign_partnership.pk,
        )
    application = _draft(world)
    with pytest.raises(ValidationError):
        services.application_update(
            actor=world["editor"],
            application=application,
            expected_version=application.version,
            partnership_id=foreign_partnership.pk,
        )
    application.refresh_from_db()
    assert application.partnership == world["partnership"]
    assert Application.objects.count() == 1


def test_a_stale_version_saves_nothing(world):
    application = _draft(world)
    seen = application.version
    services.application_update(
        actor=world["editor"], application=application, expected_version=seen, title="Erste"
    )
    other_window = Application.objects.get(pk=application.pk)
    with pytest.raises(EditConflict):
        services.application_update(
            actor=world["editor"], application=other_window, expected_version=seen, title="Zweite"
        )
    with pytest.raises(EditConflict):
        services.cost_line_add(
            actor=world["editor"],
            application=Application.objects.get(pk=application.pk),
            expected_version=seen,
            kind="other",
            description="x",
            amount=Decimal(1),
        )
    application.refresh_from_db()
    assert application.title == "Erste"
    assert not application.cost_lines.exists()


def test_a_line_in_another_currency_keeps_amount_currency_and_rate(world):
    application = _draft(world)
    line = services.cost_line_add(
        actor=world["editor"],
        application=application,
        expected_version=application.version,
        kind="accommodation",
        description="Hotel in Kigali",
        amount=Decimal("450000"),
        currency="rwf",
        exchange_rate=Decimal("0.000655"),
    )
    assert (line.amount, line.currency, line.exchange_rate) == (
        Decimal("450000.00"),
        "RWF",
        Decimal("0.000655"),
    )
    assert line.amount_eur == Decimal("294.75")  # 294.75 exactly
    with pytest.raises(ValidationError):
        services.cost_line_add(
            actor=world["editor"],
            application=application,
            expected_version=application.version,
            kind="accommodation",
            description="ohne Kurs",
            amount=Decimal("10"),
            currency="USD",
        )


def test_a_per_diem_line_stores_inputs_and_result(world):
    application = _draft(world)
    line = services.per_diem_line_add(
        actor=world["editor"],
        application=application,
        expected_version=application.version,
        country="RW",
        city="Kigali",
        start=dt.datetime(2026, 3, 2, 7, 0),
        end=dt.datetime(2026, 3, 5, 22, 0),
        breakfasts=3,
        travellers=2,
    )
    # Rwanda 2026: 29 + 44 + 44 + 29 = 146, less 3 breakfasts of 20 % of 44 (8.80) = 119.60 a
    # person; two travellers.
    assert line.amount_eur == Decimal("239.20")
    calc = line.calculation
    assert calc["per_person"] == "119.60" and calc["travellers"] == 2
    assert calc["country"] == "RW" and calc["city_fallback"] is True
    assert [day["kind"] for day in calc["days"]] == ["partial", "full", "full", "partial"]
    assert calc["tables"]


def test_a_per_diem_outside_the_tables_names_the_field(world):
    application = _draft(world)
    with pytest.raises(ValidationError) as refused:
        services.per_diem_line_add(
            actor=world["editor"],
            application=application,
            expected_version=application.version,
            country="RW",
            city="",
            start=dt.datetime(2030, 3, 2, 7, 0),
            end=dt.datetime(2030, 3, 3, 22, 0),
        )
    assert "start" in refused.value.error_dict
    assert not CostLine.objects.exists()


def test_the_check_names_each_problem_at_its_step(world):
    application = _draft(world)
    with translation.override("en"):
        problems = services.application_check(application)
    by_step = {}
    for problem in problems:
        by_step.setdefault(problem.step, []).append(problem.field)
    assert by_step["measure"] == ["title", "goals", "measure"]
    assert by_step["schedule"] == ["starts_on", "ends_on"]
    assert "lines" in by_step["costs"]
    assert by_step["documents"] == ["doc-absicht"]
    _complete(world, application)
    assert services.application_check(application) == []


def test_plausibility_ceiling_dates_and_trips(world):
    application = _complete(world, _draft(world))
    services.cost_line_add(
        actor=world["editor"],
        application=application,
        expected_version=application.version,
        kind="other",
        description="Zu viel",
        amount=Decimal("10000"),
    )
    services.per_diem_line_add(
        actor=world["editor"],
        application=application,
        expected_version=application.version,
        country="RW",
        city="",
        start=dt.datetime(2026, 1, 5, 7, 0),
        end=dt.datetime(2026, 1, 6, 20, 0),
    )
    with translation.override("en"):
        messages = [p.message for p in services.application_check(application)]
    assert any("exceeds the ceiling" in m for m in messages)  # 90 % of 11,2xx > 10,000
    assert any("outside the schedule" in m for m in messages)
    with pytest.raises(ValidationError):
        services.application_update(
            actor=world["editor"],
            application=application,
            expected_version=application.version,
            ends_on=application.starts_on - dt.timedelta(days=1),
        )


def test_totals_apply_rate_and_own_contribution(world):
    application = _complete(world, _draft(world))
    totals = services.cost_totals(application)
    assert totals.total_eur == Decimal("1200.00")
    assert totals.requested_eur == Decimal("1080.00")
    assert totals.own_contribution_eur == Decimal("120.00")
    assert not totals.over_ceiling


def test_submission_gives_a_reference_per_prefix_audits_and_tells_staff(world):
    staff = UserFactory(agency_staff=True)
    first = _complete(world, _draft(world))
    services.application_submit(
        actor=world["editor"], application=first, expected_version=first.version
    )
    first.refresh_from_db()
    year = timezone.localdate().year
    assert first.state == ApplicationState.SUBMITTED
    assert first.reference == f"EF-{year}-0001"
    assert first.submitted_at is not None
    assert first.history.latest().history_change_reason == FundingAction.APPLICATION_SUBMITTED
    assert Activity.objects.filter(recipient=staff, event="funding.application_submitted").exists()
    assert Activity.objects.filter(
        recipient=world["editor"], event="funding.application_received"
    ).exists()
    second = _complete(world, _draft(world))
    services.application_submit(
        actor=world["editor"], application=second, expected_version=second.version
    )
    assert second.reference == f"EF-{year}-0002"
    # A submitted application is a record: no more edits, no second submission.
    with pytest.raises(PermissionDenied):
        services.application_update(
            actor=world["editor"], application=second, expected_version=second.version, title="x"
        )
    with pytest.raises(PermissionDenied):
        services.application_submit(
            actor=world["editor"], application=second, expected_version=second.version
        )


def test_an_incomplete_application_is_not_submitted(world):
    application = _draft(world)
    with pytest.raises(services.ApplicationIncomplete) as refused:
        services.application_submit(
            actor=world["editor"], application=application, expected_version=application.version
        )
    assert refused.value.problems
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT and application.reference is None


def test_an_ineligible_partnership_stops_submission(world):
    application = _complete(world, _draft(world))
    partnership = world["partnership"]
    partnership.status = "ruhend"
    partnership.save()
    application.refresh_from_db()
    problems = services.application_check(application)
    assert [(p.step, p.field) for p in problems] == [("partnership", "partnership")]


def test_a_document_is_checked_and_replaced(world):
    application = _draft(world)
    first = services.document_upload(
        actor=world["editor"],
        application=application,
        expected_version=application.version,
        key="absicht",
        file=SimpleUploadedFile("a.pdf", PDF),
    )
    second = services.document_upload(
        actor=world["editor"],
        application=application,
        expected_version=application.version,
        key="absicht",
        file=SimpleUploadedFile("b.pdf", PDF),
    )
    assert list(application.documents.all()) == [second]
    assert first.file.name != second.file.name
    with pytest.raises(ValidationError):
        services.document_upload(
            actor=world["editor"],
            application=application,
            expected_version=application.version,
            key="absicht",
            file=SimpleUploadedFile("c.pdf", b"not a pdf at all"),
        )
    with pytest.raises(ValidationError):
        services.document_upload(
            actor=world["editor"],
            application=application,
            expected_version=application.version,
            key="erfunden",
            file=SimpleUploadedFile("d.pdf", PDF),
        )
