"""Template helpers for the layout: language links, and numbers, money and dates per locale
(dates through core.dates, the one format and time zone of every page and e-mail)."""

from datetime import date, datetime
from decimal import Decimal
from urllib.parse import unquote, urlsplit, urlunsplit

from babel import numbers as babel_numbers
from django import template
from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info, override

from partnerportal.core.dates import display_date, display_datetime, local
from partnerportal.core.forms import error_summary_items
from partnerportal.core.i18n import (
    babel_locale,
    language_name_local,
    locale_language,
    page_translation_urls,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict]:
    """One link per language to the same page in that language (translated Wagtail pages
    included), so that switching never loses one's place."""
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    translated = {}
    if page is not None and hasattr(page, "translation_key") and request is not None:
        translated = page_translation_urls(request, page)
    missing = len(translated) < len(settings.LANGUAGES)  # a page in every language needs none
    addresses = _addresses_by_language(request) if request is not None and missing else {}
    links = []
    for code, _name in settings.LANGUAGES:
        url = translated.get(code) or addresses.get(code)
        links.append(
            {
                "code": code,
                # Each language in its own words: "Українська" is found by who reads it.
                "name": language_name_local(code),
                "url": url,
                "current": code == current,
                "bidi": get_language_info(code)["bidi"],
            }
        )
    return links


def _addresses_by_language(request) -> dict[str, str]:
    """The request's address in every language, as Django's `translate_url` makes it, but with
    the URL resolved once (the handler's match) instead of once per language: six resolutions
    of every page's address cost about a millisecond."""
    full = request.get_full_path()
    parsed = urlsplit(full)
    addresses = {code: full for code, _name in settings.LANGUAGES}  # where nothing else fits
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(unquote(parsed.path))
        except Resolver404:
            return addresses
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    for code in addresses:
        with override(code):
            try:
                path = reverse(name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                continue
        addresses[code] = urlunsplit(("", "", path, parsed.query, parsed.fragment))
    return addresses


@register.simple_tag
def content_lang(page) -> str:
    """` lang="de" dir="ltr"` on the text of a page shown in another language than the page's
    (a page not yet translated falls back to German): screen readers then read it as German,
    and its punctuation stays where it belongs on a right-to-left page (WCAG 3.1.2)."""
    code = locale_language(getattr(page, "locale_id", None))
    if not code or code == get_language():
        return ""
    direction = "rtl" if get_language_info(code)["bidi"] else "ltr"
    return format_html(' lang="{}" dir="{}"', code, direction)


@register.filter
def number(value: float | int | Decimal | None, digits: int | None = None) -> str:
    """12345.5 -> '12.345,5' in German, '12,345.5' in English."""
    if value in (None, ""):
        return ""
    if digits is not None:
        return babel_numbers.format_decimal(
            value,
            format=f"#,##0.{'0' * int(digits)}" if int(digits) else "#,##0",
            locale=babel_locale(),
        )
    return babel_numbers.format_decimal(value, locale=babel_locale())


@register.filter
def money(value: float | int | Decimal | None, currency: str = "EUR") -> str:
    """1234.5 -> '1.234,50 €' in German, '€1,234.50' in English."""
    if value in (None, ""):
        return ""
    return babel_numbers.format_currency(value, currency, locale=babel_locale())


@register.filter
def local_date(value: date | datetime | None, format: str = "long") -> str:
    """A date as the reader's locale writes it, in the portal's time zone: '22. November 2026' /
    'November 22, 2026'; `local_date:"short"`: '22.11.2026' / 'Nov 22, 2026' (core.dates)."""
    return display_date(value, format)


@register.filter
def local_datetime(value: datetime | None) -> str:
    """A moment to the minute in the portal's time zone: '22.11.2026, 14:05' (core.dates)."""
    return display_datetime(value)


@register.filter
def iso_datetime(value: date | datetime | None) -> str:
    """The machine-readable value for <time datetime="...">, with its offset."""
    if not value:
        return ""
    if isinstance(value, datetime):
        return local(value).isoformat(timespec="minutes")
    return value.isoformat()


@register.inclusion_tag("partnerportal/forms/error_summary.html")
def error_summary(*forms_or_formsets) -> dict:
    """KERN's error summary for one form or for a page's forms and formsets together: every
    error, linked to its field; focused when the page loads (`autofocus`, no script), so a
    screen reader reads it first and a keyboard user starts there."""
    first = next((f for f in forms_or_formsets if f is not None), None)
    prefix = getattr(first, "prefix", None) or "form"
    return {"items": error_summary_items(*forms_or_formsets), "summary_id": f"{prefix}-errors"}


@register.filter
def page_numbers(page) -> list[int | None]:
    """The page links of a long list, the far ones elided: 1 … 4 5 6 … 72 (None for a gap).
    Django's elided range, with the gaps as None so that templates need not know its marker."""
    paginator = page.paginator
    return [
        number if isinstance(number, int) else None
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
