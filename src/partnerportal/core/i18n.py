"""Reference data (countries, themes) carries its names in German and English columns; this is
the one place that picks the column for the active language."""

from django.conf import settings
from django.utils.translation import get_language, to_locale


def name_field() -> str:
    """'name_en' while English is active, 'name_de' otherwise (German is the default)."""
    return "name_en" if (get_language() or "de").startswith("en") else "name_de"


def localized_name(obj) -> str:
    return getattr(obj, name_field())


def babel_locale() -> str:
    """The active language as a Babel/CLDR locale ("de", "en"), for numbers and dates."""
    return to_locale(get_language() or settings.LANGUAGE_CODE)
