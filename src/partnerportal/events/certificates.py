"""Certificates of attendance: one A4 page per person who was checked in, in their language
where the site has one that prints (German, English, French, Spanish, Ukrainian; Arabic would
need text shaping that fpdf2 does not do without HarfBuzz, so Arabic speakers get English).

The certificate number (<event id>-<registration id>) lets the agency confirm a certificate on
request without storing anything more."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partnerportal.core.pdf import FONT_FAMILY, pdf_bytes, pdf_new

from .badges import event_dates, event_place, municipality_label
from .models import Event, Registration
from .organising import certificate_check

if TYPE_CHECKING:
    from fpdf import FPDF

CERTIFICATE_LANGUAGES = ("de", "en", "fr", "es", "uk")
CERTIFICATE_TITLE = gettext_noop("Certificate of attendance")


def certificate_language(registration: Registration) -> str:
    """The participant's language if it prints and its catalogue has the certificate's text
    (until the translators fill it, a certificate half in English would be worse), else
    English."""
    language = registration.language
    if language == "en" or language not in CERTIFICATE_LANGUAGES:
        return "en"
    with translation.override(language):
        translated = _(CERTIFICATE_TITLE) != CERTIFICATE_TITLE
    return language if translated else "en"


def certificate_number(registration: Registration) -> str:
    return f"{registration.event_id}-{registration.pk}"


def _certificate_page(pdf: FPDF, registration: Registration, event: Event) -> None:
    with translation.override(certificate_language(registration)):
        pdf.add_page()
        pdf.set_y(60)
        pdf.set_font(FONT_FAMILY, "B", 24)
        pdf.multi_cell(0, 12, _(CERTIFICATE_TITLE), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(14)
        pdf.set_font(FONT_FAMILY, "", 12)
        pdf.multi_cell(0, 7, _("This is to certify that"), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font(FONT_FAMILY, "B", 18)
        pdf.multi_cell(0, 10, registration.name, align="C", new_x="LMARGIN", new_y="NEXT")
        municipality = municipality_label(registration)
        if municipality:
            pdf.set_font(FONT_FAMILY, "", 12)
            pdf.multi_cell(0, 7, municipality, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font(FONT_FAMILY, "", 12)
        pdf.multi_cell(0, 7, _("attended the event"), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font(FONT_FAMILY, "B", 15)
        pdf.multi_cell(0, 8, event.title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font(FONT_FAMILY, "", 12)
        place = event_place(event)
        when_where = (
            _("on %(dates)s in %(place)s") % {"dates": event_dates(event), "place": place}
            if place
            else _("on %(dates)s") % {"dates": event_dates(event)}
        )
        pdf.multi_cell(0, 7, when_where, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(235)
        pdf.set_draw_color(0, 0, 0)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + 70, pdf.get_y())
        pdf.set_font(FONT_FAMILY, "", 10)
        pdf.cell(70, 6, _("For the organisers"), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(8)
        pdf.set_font(FONT_FAMILY, "", 8)
        pdf.set_text_color(90, 90, 90)
        pdf.cell(
            0,
            5,
            _("Certificate no. %(number)s") % {"number": certificate_number(registration)},
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_text_color(0, 0, 0)


def certificates_pdf(event: Event, registrations: list[Registration]) -> bytes:
    """One page per person; each one must have been checked in (`certificate_check`)."""
    for registration in registrations:
        certificate_check(registration)
    pdf = pdf_new(title=event.title)
    pdf.set_auto_page_break(auto=False)
    for registration in registrations:
        _certificate_page(pdf, registration, event)
    if not registrations:
        pdf.add_page()
        pdf.set_font(FONT_FAMILY, "", 12)
        pdf.cell(0, 10, _("Nobody has been checked in yet."))
    return pdf_bytes(pdf)


def certificate_pdf(registration: Registration) -> bytes:
    """The certificate of one person: for the organisers' page and for the participant's own
    self-service page (registrations.py may offer it there)."""
    return certificates_pdf(registration.event, [registration])
