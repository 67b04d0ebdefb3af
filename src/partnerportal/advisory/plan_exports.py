"""The action plan on paper (PDF, core.pdf) and as a spreadsheet (XLSX, openpyxl): what the
plan page shows, never the internal log or the requester's details."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from partnerportal.core.dates import display_date
from partnerportal.core.pdf import FONT_FAMILY, pdf_bytes, pdf_new

from .models import Case, Measure


def _measures(case: Case) -> list[Measure]:
    plan = getattr(case, "plan", None)
    if plan is None:
        return []
    return list(
        plan.measures.select_related("event", "funding_instrument").prefetch_related("themes")
    )


def _money(value) -> str:
    if value is None:
        return ""
    from django.utils.formats import number_format

    return f"{number_format(value, 2, use_l10n=True, force_grouping=True)} €"


def _subject(case: Case) -> str:
    if case.partnership_id:
        return str(case.partnership)
    return str(case.municipality or case.municipality_text or "")


def _carrier(measure: Measure) -> str:
    return "; ".join(str(x) for x in (measure.event, measure.funding_instrument) if x)


def plan_pdf(case: Case) -> bytes:
    """A4, one block per measure: title, goal, who, when, status, cost, themes, carrier."""
    title = _("Action plan %(reference)s") % {"reference": case.reference or case.pk}
    pdf = pdf_new(
        title=title,
        footer=_("Partnerportal · as of %(date)s") % {"date": display_date(timezone.localdate())},
    )
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "B", 16)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "", 11)
    pdf.multi_cell(0, 6, _subject(case), new_x="LMARGIN", new_y="NEXT")
    if case.programme_id:
        pdf.multi_cell(0, 6, str(case.programme), new_x="LMARGIN", new_y="NEXT")
    plan = getattr(case, "plan", None)
    if plan is not None and plan.goal:
        pdf.ln(3)
        pdf.set_font(FONT_FAMILY, "B", 12)
        pdf.cell(0, 7, _("Overall goal"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT_FAMILY, "", 11)
        pdf.multi_cell(0, 6, plan.goal, new_x="LMARGIN", new_y="NEXT")
    measures = _measures(case)
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, "B", 12)
    pdf.cell(0, 7, _("Measures"), new_x="LMARGIN", new_y="NEXT")
    if not measures:
        pdf.set_font(FONT_FAMILY, "", 11)
        pdf.multi_cell(0, 6, _("No measures yet."), new_x="LMARGIN", new_y="NEXT")
    total = 0
    for number, m in enumerate(measures, start=1):
        pdf.ln(2)
        pdf.set_draw_color(200, 200, 200)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(2)
        pdf.set_font(FONT_FAMILY, "B", 11)
        pdf.multi_cell(0, 6, f"{number}. {m.goal}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT_FAMILY, "", 10)
        rows = [
            (_("What is done"), m.activities),
            (_("Responsible"), m.get_responsible_display()),
            (
                _("Period"),
                " – ".join(display_date(d) for d in (m.starts_on, m.ends_on) if d),
            ),
            (_("Status"), m.get_status_display()),
            (_("Estimated cost"), _money(m.estimated_cost)),
            (_("Themes and SDGs"), ", ".join(str(t) for t in m.themes.all())),
            (_("Carried by"), _carrier(m)),
        ]
        for label, value in rows:
            if value:
                pdf.set_font(FONT_FAMILY, "B", 10)
                pdf.cell(42, 5.5, label)
                pdf.set_font(FONT_FAMILY, "", 10)
                pdf.multi_cell(0, 5.5, str(value), new_x="LMARGIN", new_y="NEXT")
        total += m.estimated_cost or 0
    if measures:
        pdf.ln(3)
        pdf.set_font(FONT_FAMILY, "B", 11)
        pdf.cell(
            0,
            7,
            _("Estimated cost in all: %(total)s") % {"total": _money(total)},
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return pdf_bytes(pdf)


def plan_xlsx(case: Case) -> bytes:
    """One row per measure with the same columns as the PDF; dates and amounts as values."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Action plan")[:31]
    headers = [
        _("No."),
        _("Goal"),
        _("What is done"),
        _("Responsible"),
        _("Start"),
        _("End"),
        _("Status"),
        _("Estimated cost (EUR)"),
        _("Themes and SDGs"),
        _("Event"),
        _("Funding instrument"),
    ]
    sheet.append(
        [
            f"{_('Action plan %(reference)s') % {'reference': case.reference or case.pk}}"
            f" – {_subject(case)}"
        ]
    )
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(headers)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for number, m in enumerate(_measures(case), start=1):
        sheet.append(
            [
                number,
                m.goal,
                m.activities,
                m.get_responsible_display(),
                m.starts_on,
                m.ends_on,
                m.get_status_display(),
                float(m.estimated_cost) if m.estimated_cost is not None else None,
                ", ".join(str(t) for t in m.themes.all()),
                str(m.event) if m.event else "",
                str(m.funding_instrument) if m.funding_instrument else "",
            ]
        )
        row = sheet.max_row
        for column in ("E", "F"):
            sheet[f"{column}{row}"].number_format = "DD.MM.YYYY"
        sheet[f"H{row}"].number_format = "#,##0.00"
        sheet[f"C{row}"].alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip(
        "ABCDEFGHIJK", (5, 40, 50, 16, 12, 12, 14, 16, 30, 30, 30), strict=True
    ):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
