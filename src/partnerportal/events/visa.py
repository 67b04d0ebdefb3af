"""The visa invitation letter: a PDF a participant from a partner municipality downloads through
their self-service link and shows at the embassy. It names the event, its dates and place, and
the person's passport data, in German and English on one page (embassies read either)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partnerportal.core.pdf import pdf_bytes, pdf_new

from .models import Registration


def visa_letter_allowed(registration: Registration) -> bool:
    """Asked for, with a seat, and the data the letter needs."""
    return bool(
        registration.needs_visa_letter
        and registration.status == Registration.Status.CONFIRMED
        and registration.passport_number
        and registration.birth_date
        and registration.anonymised_at is None
    )


def _paragraphs(registration: Registration, language: str) -> tuple[str, list[str]]:
    event = registration.event
    zone = ZoneInfo(event.timezone)
    with translation.override(language):
        start = babel_dates.format_date(
            event.starts_at.astimezone(zone).date(), "long", locale=language
        )
        end = babel_dates.format_date(
            event.ends_at.astimezone(zone).date(), "long", locale=language
        )
        birth = babel_dates.format_date(registration.birth_date, "long", locale=language)
        nationality = registration.nationality
        country_name = ""
        if nationality is not None:
            country_name = nationality.name_de if language == "de" else nationality.name_en
        place = ", ".join(p for p in (event.venue, event.address, event.place) if p)
        title = _("Invitation")
        body = [
            _("To whom it may concern,"),
            _(
                "We hereby invite %(name)s, born on %(birth)s, nationality %(nationality)s, "
                "passport number %(passport)s, to take part in the event “%(event)s” from "
                "%(start)s to %(end)s in %(place)s."
            )
            % {
                "name": registration.name,
                "birth": birth,
                "nationality": country_name or "–",
                "passport": registration.passport_number,
                "event": event.title,
                "start": start,
                "end": end,
                "place": place or "–",
            },
            _(
                "The registration of %(name)s is confirmed. We kindly ask you to issue the visa "
                "needed for this journey."
            )
            % {"name": registration.name},
        ]
    return title, body


def visa_letter_pdf(registration: Registration) -> bytes:
    pdf = pdf_new(
        title=f"Visa invitation – {registration.event.title}",
        footer=f"Partnerportal · {registration.check_in_code}",
    )
    pdf.add_page()
    pdf.set_font(size=10)
    pdf.cell(0, 6, timezone.localdate().isoformat(), align="R", new_x="LMARGIN", new_y="NEXT")
    for language in ("de", "en"):
        title, body = _paragraphs(registration, language)
        pdf.set_font(style="B", size=14)
        pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(style="", size=11)
        for paragraph in body:
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        pdf.ln(6)
    return pdf_bytes(pdf)
