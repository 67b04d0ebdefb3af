"""The application as a PDF (core/pdf.py): what was applied for, by whom, for which partnership,
the measure, its schedule and the cost plan line by line with the totals, the per diems' days and
the documents. Drawn from the stored application in the reader's language, so that the
applicant and the agency's staff print the same record; a draft is marked as such."""

from __future__ import annotations

from django.utils.translation import gettext as _

from partnerportal.core.dates import display_date, display_datetime
from partnerportal.core.pdf import FONT_FAMILY, pdf_bytes, pdf_fonts_close, pdf_new
from partnerportal.core.templatetags.partnerportal import money, number

from .applications import cost_totals, partner_of, required_documents
from .models import Application, ApplicationState, CostKind, CostPlan

WIDTH = 170  # A4 less the margins, in mm


def exchange_rate_text(value) -> str:
    """All significant digits of a rate (up to six decimals), in the reader's locale."""
    from babel.numbers import format_decimal

    from partnerportal.core.i18n import babel_locale

    if value in (None, ""):
        return ""
    return format_decimal(value, format="#,##0.######", locale=babel_locale())


def _said(pdf, *texts: str) -> None:
    """Note what the document says (`pdf.texts`): the tests read it there, since the PDF's own
    text is stored as glyph numbers of the embedded font."""
    pdf.texts.extend(str(text) for text in texts)


def _heading(pdf, text: str) -> None:
    _said(pdf, text)
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, "B", 12)
    pdf.multi_cell(WIDTH, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "", 10)


def _pair(pdf, label: str, value: str) -> None:
    _said(pdf, label, value)
    pdf.set_font(FONT_FAMILY, "B", 10)
    pdf.cell(50, 6, label)
    pdf.set_font(FONT_FAMILY, "", 10)
    pdf.multi_cell(WIDTH - 50, 6, value or "–", new_x="LMARGIN", new_y="NEXT")


def _text(pdf, value: str) -> None:
    _said(pdf, value)
    pdf.set_font(FONT_FAMILY, "", 10)
    pdf.multi_cell(WIDTH, 5.5, value or "–", new_x="LMARGIN", new_y="NEXT")


def application_pdf_render(application: Application) -> bytes:
    pdf = application_pdf_document(application)
    try:
        return pdf_bytes(pdf)
    finally:
        pdf_fonts_close(pdf)


def application_pdf_document(application: Application):
    """The drawn document (a PartnerportalPDF with `texts`, what it says, in order)."""
    instrument = application.instrument
    draft = application.state == ApplicationState.DRAFT
    title = _("Funding application %(reference)s") % {
        "reference": application.reference or _("(draft)")
    }
    pdf = pdf_new(title=title, footer=f"Partnerportal · {application.reference or _('Draft')}")
    pdf.texts = [title]
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "B", 16)
    pdf.multi_cell(WIDTH, 9, title, new_x="LMARGIN", new_y="NEXT")
    if draft:
        pdf.set_text_color(180, 0, 0)
        pdf.set_font(FONT_FAMILY, "B", 11)
        _said(pdf, _("Draft – not submitted"))
        pdf.multi_cell(WIDTH, 6, _("Draft – not submitted"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT_FAMILY, "", 10)
    pdf.ln(2)
    _pair(pdf, _("Programme"), str(instrument.programme))
    _pair(pdf, _("Instrument"), instrument.name)
    _pair(pdf, _("State"), str(application.get_state_display()))
    if application.submitted_at:
        _pair(pdf, _("Submitted"), display_datetime(application.submitted_at))
    _pair(pdf, _("Applicant"), application.applicant.official_name)
    if application.partnership:
        partner = partner_of(application.partnership, application.applicant_id)
        _pair(
            pdf,
            _("Partnership"),
            f"{application.partnership} ({partner.country})",
        )
        _pair(
            pdf, _("Status of the partnership"), str(application.partnership.get_status_display())
        )

    _heading(pdf, _("Measure"))
    _pair(pdf, _("Title"), application.title)
    pdf.set_font(FONT_FAMILY, "B", 10)
    pdf.cell(WIDTH, 6, _("Goals"), new_x="LMARGIN", new_y="NEXT")
    _text(pdf, application.goals)
    pdf.set_font(FONT_FAMILY, "B", 10)
    pdf.cell(WIDTH, 6, _("What will be done"), new_x="LMARGIN", new_y="NEXT")
    _text(pdf, application.measure)

    _heading(pdf, _("Schedule"))
    _pair(pdf, _("Start"), display_date(application.starts_on))
    _pair(pdf, _("End"), display_date(application.ends_on))

    _heading(pdf, _("Cost plan"))
    lines = list(application.cost_lines.filter(plan=CostPlan.REQUESTED))
    kinds = dict(CostKind.choices)
    if not lines:
        _text(pdf, _("No costs entered."))
    else:
        with pdf.table(
            col_widths=(30, 70, 40, 30),
            text_align=("LEFT", "LEFT", "RIGHT", "RIGHT"),
            line_height=5.5,
            first_row_as_headings=True,
        ) as table:
            head = table.row()
            for label in (_("Kind"), _("Description"), _("Amount"), _("EUR")):
                head.cell(label)
            for line in lines:
                row = table.row()
                row.cell(str(kinds.get(line.kind, line.kind)))
                description = line.description
                if line.currency != "EUR":
                    description += "\n" + _("Rate used: 1 %(currency)s = %(rate)s EUR") % {
                        "currency": line.currency,
                        "rate": exchange_rate_text(line.exchange_rate),
                    }
                calc = line.calculation or {}
                if line.kind == CostKind.PER_DIEM and calc.get("days"):
                    description += "\n" + _(
                        "BMF rates, %(days)s days, %(per_person)s per person, %(travellers)s "
                        "person(s)"
                    ) % {
                        "days": len(calc["days"]),
                        "per_person": money(calc.get("per_person", "0")),
                        "travellers": calc.get("travellers", 1),
                    }
                row.cell(description)
                row.cell(money(line.amount, line.currency))
                row.cell(money(line.amount_eur))
                _said(pdf, description, money(line.amount, line.currency), money(line.amount_eur))
        totals = cost_totals(application)
        pdf.ln(2)
        _pair(pdf, _("Total costs"), money(totals.total_eur))
        _pair(
            pdf,
            _("Funding asked for"),
            _("%(amount)s (%(rate)s %% of the costs)")
            % {"amount": money(totals.requested_eur), "rate": number(totals.funding_rate_percent)},
        )
        _pair(
            pdf,
            _("Own contribution"),
            _("%(amount)s (%(rate)s %%)")
            % {
                "amount": money(totals.own_contribution_eur),
                "rate": number(totals.own_contribution_percent),
            },
        )
        if totals.ceiling_eur is not None:
            _pair(pdf, _("Ceiling of the instrument"), money(totals.ceiling_eur))

    documents = required_documents(instrument)
    if documents:
        _heading(pdf, _("Documents"))
        uploaded = {document.key: document for document in application.documents.all()}
        for document in documents:
            stored = uploaded.get(document["key"])
            _pair(
                pdf,
                document["label"],
                stored.original_name if stored else _("not uploaded"),
            )
    return pdf
