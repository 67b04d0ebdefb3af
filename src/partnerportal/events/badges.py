"""Printed things for the day of an event: an A4 sheet of name badges (with the QR code of the
check-in code) and the attendance list with a column to sign. Drawn on `core.pdf`; the QR code
is drawn as vector squares from segno's matrix, so it stays sharp on any printer and needs no
image library.

Both are written in the organiser's language (German or English): they are read by the people
at the door, not by the participants."""

from __future__ import annotations

import zoneinfo
from typing import TYPE_CHECKING

from babel import dates as babel_dates
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partnerportal.core.i18n import babel_locale
from partnerportal.core.pdf import FONT_FAMILY, pdf_bytes, pdf_new

from .models import Event, Registration
from .organising import check_in_code_ensure

if TYPE_CHECKING:
    from fpdf import FPDF

#: Organisers' documents are German or English.
DOCUMENT_LANGUAGES = ("de", "en")

# A4 with two columns of four badges of 90 × 65 mm (common badge holders take 90 × 60 to 65).
BADGE_WIDTH = 90.0
BADGE_HEIGHT = 65.0
BADGE_COLUMNS = 2
BADGE_ROWS = 4
BADGE_MARGIN_X = (210.0 - BADGE_COLUMNS * BADGE_WIDTH) / 2
BADGE_MARGIN_Y = (297.0 - BADGE_ROWS * BADGE_HEIGHT) / 2
QR_SIZE = 26.0


def document_language(language: str | None) -> str:
    return language if language in DOCUMENT_LANGUAGES else "en"


def event_dates(event: Event) -> str:
    """'3.–5. März 2027' / 'Mar 3 – 5, 2027', in the event's own time zone and the active
    language."""
    tz = zoneinfo.ZoneInfo(event.timezone)
    start = timezone.localtime(event.starts_at, tz).date()
    end = timezone.localtime(event.ends_at, tz).date()
    locale = babel_locale()
    if start == end:
        return babel_dates.format_date(start, format="long", locale=locale)
    return babel_dates.format_interval(start, end, skeleton="yMMMMd", locale=locale)


def event_place(event: Event) -> str:
    if event.place or event.venue:
        return ", ".join(part for part in (event.venue, event.place) if part)
    return _("online") if event.online_url else ""


def municipality_label(registration: Registration) -> str:
    if registration.municipality_id:
        return registration.municipality.name
    return registration.municipality_text


def qr_draw(pdf: FPDF, text: str, *, x: float, y: float, size: float) -> None:
    """A QR code of `text` as filled squares, a quiet zone of one module included in `size`."""
    import segno  # loaded when a badge is drawn

    qr = segno.make(text, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix]
    modules = len(matrix) + 2
    module = size / modules
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(matrix):
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            pdf.rect(
                x + (start + 1) * module,
                y + (row_index + 1) * module,
                (column - start) * module,
                module,
                style="F",
            )


def _fit(pdf: FPDF, text: str, *, width: float, size: float, minimum: float = 8) -> None:
    """Set the largest font size up to `size` at which `text` fits on one line of `width`."""
    while size > minimum:
        pdf.set_font_size(size)
        if pdf.get_string_width(text) <= width:
            return
        size -= 0.5
    pdf.set_font_size(minimum)


def _truncate(pdf: FPDF, text: str, width: float) -> str:
    """`text` shortened with an ellipsis to fit `width` at the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _badge(pdf: FPDF, registration: Registration, event: Event, *, x: float, y: float) -> None:
    pdf.set_draw_color(170, 170, 170)
    pdf.set_line_width(0.2)
    pdf.rect(x, y, BADGE_WIDTH, BADGE_HEIGHT)
    inner = 6.0
    text_width = BADGE_WIDTH - 2 * inner
    # Event on top, small.
    pdf.set_xy(x + inner, y + inner)
    pdf.set_font(FONT_FAMILY, "", 8)
    pdf.set_text_color(80, 80, 80)
    pdf.cell(text_width, 4, _truncate(pdf, event.title, text_width), new_x="LEFT", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    # The name, as large as fits.
    pdf.set_xy(x + inner, y + 16)
    pdf.set_font(FONT_FAMILY, "B", 16)
    _fit(pdf, registration.name, width=text_width, size=18, minimum=12)
    pdf.multi_cell(text_width, 7, registration.name, align="L", max_line_height=7, new_x="LEFT")
    # Role and municipality beside the QR code.
    beside = text_width - QR_SIZE - 2
    pdf.set_font(FONT_FAMILY, "", 10)
    top = y + BADGE_HEIGHT - inner - QR_SIZE
    pdf.set_xy(x + inner, top + 4)
    municipality = municipality_label(registration)
    if municipality:
        _fit(pdf, municipality, width=beside, size=11)
        pdf.multi_cell(
            beside, 5, municipality, align="L", new_x="LEFT", new_y="NEXT", max_line_height=5
        )
    if registration.role:
        pdf.set_font(FONT_FAMILY, "", 9)
        pdf.set_text_color(60, 60, 60)
        pdf.multi_cell(beside, 4.5, registration.role[:90], align="L", new_x="LEFT", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    code = registration.check_in_code
    qr_x = x + BADGE_WIDTH - inner - QR_SIZE
    qr_draw(pdf, code, x=qr_x, y=top - 3, size=QR_SIZE)
    pdf.set_xy(qr_x, top + QR_SIZE - 3)
    pdf.set_font(FONT_FAMILY, "", 7)
    pdf.cell(QR_SIZE, 3, code, align="C")


def badges_pdf(event: Event, registrations: list[Registration], *, language: str) -> bytes:
    """One badge per confirmed registration; codes are given where missing."""
    with translation.override(document_language(language)):
        pdf = pdf_new(title=_("Name badges: %(event)s") % {"event": event.title})
        pdf.set_auto_page_break(auto=False)
        per_page = BADGE_COLUMNS * BADGE_ROWS
        for index, registration in enumerate(registrations):
            check_in_code_ensure(registration)
            if index % per_page == 0:
                pdf.add_page()
            slot = index % per_page
            _badge(
                pdf,
                registration,
                event,
                x=BADGE_MARGIN_X + (slot % BADGE_COLUMNS) * BADGE_WIDTH,
                y=BADGE_MARGIN_Y + (slot // BADGE_COLUMNS) * BADGE_HEIGHT,
            )
        if not registrations:
            pdf.add_page()
            pdf.cell(0, 10, _("Nobody is confirmed yet."))
        return pdf_bytes(pdf)


def attendance_pdf(event: Event, registrations: list[Registration], *, language: str) -> bytes:
    """The list people sign at the entrance: number, name, municipality, role, signature."""
    with translation.override(document_language(language)):
        pdf = pdf_new(
            title=_("Attendance list: %(event)s") % {"event": event.title},
            footer=f"{event.title} · {event_dates(event)}",
        )
        pdf.set_margins(15, 15, 15)
        pdf.add_page()
        pdf.set_font(FONT_FAMILY, "B", 15)
        pdf.multi_cell(0, 7, _("Attendance list"), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT_FAMILY, "", 11)
        pdf.multi_cell(0, 6, event.title, align="L", new_x="LMARGIN", new_y="NEXT")
        place = event_place(event)
        pdf.multi_cell(
            0,
            6,
            " · ".join(part for part in (event_dates(event), place) if part),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(4)
        headings = ("#", _("Name"), _("Municipality or organisation"), _("Role"), _("Signature"))
        widths = (9, 47, 47, 38, 39)
        pdf.set_font(FONT_FAMILY, "", 9)
        with pdf.table(
            col_widths=widths,
            line_height=5,
            text_align=("RIGHT", "LEFT", "LEFT", "LEFT", "LEFT"),
            repeat_headings=1,
            first_row_as_headings=True,
            padding=1.5,
        ) as table:
            table.row(headings)
            for number, registration in enumerate(registrations, start=1):
                table.row(
                    (
                        str(number),
                        registration.name,
                        municipality_label(registration),
                        registration.role,
                        "\n\n",
                    )
                )
        if not registrations:
            pdf.cell(0, 10, _("Nobody is confirmed yet."))
        return pdf_bytes(pdf)
