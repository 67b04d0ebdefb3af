"""Reference data (countries, themes) carries its names in German and English columns; this is
the one place that picks the column for the active language. Also: the locale for Babel, and
where a page's translations are (the app with translated pages registers itself here)."""

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language, get_language_info, to_locale

#: The languages reference data can carry a name column for (name_<code>): countries have all
#: of them (geo, CLDR names); themes have German and English, and read English in the others.
NAME_LANGUAGES = ("de", "en", "fr", "es", "ar", "uk")

#: Each language by its own name, as the language switch offers it (Django's own names are in
#: lower case, "français", or vocalised, "العربيّة").
LANGUAGE_NAMES_LOCAL = {
    "de": "Deutsch",
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "uk": "Українська",
}


def language_name_local(code: str) -> str:
    """ "Français" for "fr": a language named in itself (Django's name for one added later)."""
    return LANGUAGE_NAMES_LOCAL.get(code) or get_language_info(code)["name_local"]


@lru_cache(maxsize=64)
def locale_language(locale_id: int | None) -> str:
    """The language code of a Wagtail locale by its id, read once per process: every page
    rendering asks, and locales are a handful of rows whose code does not change (a new language
    is a new row)."""
    if locale_id is None:
        return ""
    from wagtail.models import Locale

    code = Locale.objects.filter(pk=locale_id).values_list("language_code", flat=True).first()
    return code or ""


def name_field() -> str:
    """The name column of the active language ('name_fr' while French is active), German by
    default. Only countries have every column: use it for them, localized_name for others."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return f"name_{language}" if language in NAME_LANGUAGES else "name_en"


def localized_name(obj) -> str:
    """The object's name in the active language; English where it has no column (or an empty
    one) for that language, German where it has no English either."""
    return (
        getattr(obj, name_field(), "") or getattr(obj, "name_en", "") or getattr(obj, "name_de", "")
    )


def babel_locale() -> str:
    """The active language as a Babel/CLDR locale ("de", "en", "ar", …), for numbers and dates.
    Arabic keeps Latin digits (Babel's default numbering system, "latn"): README, Languages."""
    return to_locale(get_language() or settings.LANGUAGE_CODE)


#: Who knows the translations of a page (content's Wagtail pages): see translations_register.
_TRANSLATIONS: list[Callable[[HttpRequest, object], dict[str, str]]] = []


def translations_register(provider: Callable[[HttpRequest, object], dict[str, str]]) -> None:
    """Let the app whose pages have translations say where they are (called from its ready()):
    `provider(request, page)` returns the URL of each translation by language code."""
    if provider not in _TRANSLATIONS:
        _TRANSLATIONS.append(provider)


def page_translation_urls(request: HttpRequest, page) -> dict[str, str]:
    """The URLs of `page` in the other languages, from the registered providers."""
    urls: dict[str, str] = {}
    for provider in _TRANSLATIONS:
        urls.update(provider(request, page))
    return urls
