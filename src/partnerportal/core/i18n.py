"""Reference data (countries, themes) carries its names in German and English columns; this is
the one place that picks the column for the active language. Also: the locale for Babel, and
where a page's translations are (the app with translated pages registers itself here)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language, to_locale


def name_field() -> str:
    """'name_en' while English is active, 'name_de' otherwise (German is the default)."""
    return "name_en" if (get_language() or "de").startswith("en") else "name_de"


def localized_name(obj) -> str:
    return getattr(obj, name_field())


def babel_locale() -> str:
    """The active language as a Babel/CLDR locale ("de", "en"), for numbers and dates."""
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
