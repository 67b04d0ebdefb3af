"""One way to start a PDF (letters, badges, certificates, application print-outs): fpdf2, pure
Python, no system libraries, with DejaVu Sans from npm so that umlauts, “quotes”, € and Cyrillic
print. Each app draws its own documents on the `FPDF` this returns."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from fpdf import FPDF

FONT_FAMILY = "DejaVu"


@cache
def _document_class() -> type[FPDF]:
    """fpdf2 is loaded when the first document is drawn, not when the apps load: a `migrate`
    in an environment made before it was pinned still runs."""
    from fpdf import FPDF

    class PartnerportalPDF(FPDF):
        """A4 portrait, millimetres, the DejaVu family registered as regular and bold."""

        footer_text: str = ""

        def footer(self) -> None:
            if not self.footer_text:
                return
            self.set_y(-12)
            self.set_font(FONT_FAMILY, size=8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 6, self.footer_text, align="L")
            self.cell(0, 6, f"{self.page_no()}/{{nb}}", align="R")
            self.set_text_color(0, 0, 0)

    return PartnerportalPDF


def pdf_new(*, title: str, author: str = "Partnerportal", footer: str = "") -> FPDF:
    font_dir = Path(settings.PDF_FONT_DIR)
    pdf = _document_class()(orientation="portrait", unit="mm", format="A4")
    pdf.add_font(FONT_FAMILY, "", str(font_dir / "DejaVuSans.ttf"))
    pdf.add_font(FONT_FAMILY, "B", str(font_dir / "DejaVuSans-Bold.ttf"))
    pdf.set_font(FONT_FAMILY, size=11)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator("Partnerportal")
    pdf.footer_text = footer
    pdf.alias_nb_pages()
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 20, 20)
    return pdf


def pdf_fonts_close(pdf: FPDF) -> None:
    """fpdf2 reads the embedded fonts lazily and leaves their files open (a ResourceWarning,
    an error under the tests' warnings-as-errors); closed once the document is written."""
    for font in getattr(pdf, "fonts", {}).values():
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.close()


def pdf_bytes(pdf: FPDF) -> bytes:
    """The finished document; the font files are closed afterwards."""
    try:
        return bytes(pdf.output())
    finally:
        pdf_fonts_close(pdf)
