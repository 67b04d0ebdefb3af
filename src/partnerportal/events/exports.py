"""The participant list as a spreadsheet (XLSX) and as CSV, with one column per question the
organisers asked. Both are built from the same rows, so the two files never disagree.

CSV goes through `core.csv.writer` (formula injection: a participant types the name
``=HYPERLINK(...)`` and it would run on the organiser's computer); the XLSX cells are written as
text where they come from people, for the same reason."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from partnerportal.core import csv as safe_csv
from partnerportal.core.dates import display_datetime

from .models import Event, Registration, RegistrationQuestion
from .organising import participants


def answer_text(value: Any) -> str:
    """An answer as a cell shows it: yes/no in words, the choices of a list joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _answer(registration: Registration, question: RegistrationQuestion) -> Any:
    """Answers are stored by the question's id (as a string in JSON); an answer stored by its
    label is found too, so that the export does not depend on which the form chose."""
    answers = registration.answers or {}
    for key in (str(question.pk), question.pk, question.label):
        if key in answers:
            return answers[key]
    return None


def participant_table(
    event: Event, *, status: str | None = None, group_id: int | None = None
) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the participant list: a fixed set of columns, then the questions."""
    questions = list(event.questions.all())
    header = [
        _("Name"),
        _("E-mail address"),
        _("Status"),
        _("Participant group"),
        _("Delegation"),
        _("Municipality or organisation"),
        _("Role"),
        _("Language"),
        _("Dietary needs"),
        _("Interpretation needs"),
        _("Needs a visa invitation letter"),
        _("Travel cost support requested"),
        _("Check-in code"),
        _("Checked in at"),
        _("Registered at"),
        *[question.label for question in questions],
    ]
    rows = []
    for registration in participants(event, status=status, group_id=group_id):
        municipality = (
            registration.municipality.name
            if registration.municipality
            else registration.municipality_text
        )
        rows.append(
            [
                registration.name,
                registration.email,
                registration.get_status_display(),
                registration.group.name if registration.group else "",
                registration.delegation.registrant_name if registration.delegation else "",
                municipality,
                registration.role,
                registration.language,
                registration.dietary_needs,
                registration.interpretation_needs,
                answer_text(registration.needs_visa_letter),
                answer_text(registration.travel_support_requested),
                registration.check_in_code,
                display_datetime(registration.checked_in_at),
                display_datetime(registration.created_at),
                *[answer_text(_answer(registration, question)) for question in questions],
            ]
        )
    return header, rows


def participants_csv(event: Event, *, language: str, **filters) -> bytes:
    """UTF-8 with a byte order mark: Excel opens it with umlauts intact."""
    with translation.override(language):
        header, rows = participant_table(event, **filters)
    buffer = io.StringIO()
    writer = safe_csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _text_cells(values: Iterable[Any]) -> list[Any]:
    return [str(value) if value is not None else "" for value in values]


def participants_xlsx(event: Event, *, language: str, **filters) -> bytes:
    with translation.override(language):
        header, rows = participant_table(event, **filters)
        title = _("Participants")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for row in rows:
        sheet.append(_text_cells(row))
    # Every cell is text: openpyxl would otherwise store "=..." as a formula.
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = TYPE_STRING
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, _label in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 22
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
