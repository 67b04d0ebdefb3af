"""Give every catalogue its language and its plural rule: `makemessages` copies Django's own
plural rule into a new catalogue, and Django's Ukrainian and Spanish ones count fractions and
millions as extra forms that no translator or tool expects. check_translations.py holds every
catalogue to PLURAL_FORMS."""

import sys
from pathlib import Path

from babel import Locale
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "src/partnerportal/locale"

#: The plural rule each catalogue declares: GNU gettext's, as Weblate and most tools use them
#: (Arabic six forms, Ukrainian three, French counts 0 as singular). A language missing here
#: gets Babel's (CLDR) rule.
PLURAL_FORMS = {
    "de": "nplurals=2; plural=(n != 1);",
    "en": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "ar": (
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
        "n%100>=11 && n%100<=99 ? 4 : 5);"
    ),
    "uk": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
}


def plural_forms(language: str) -> str:
    return PLURAL_FORMS.get(language) or get_plural(language).plural_forms


def main() -> int:
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po")):
        language = po_path.parent.parent.name
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        wanted = plural_forms(language)
        if (
            dict(catalog.mime_headers).get("Plural-Forms") == wanted
            and str(catalog.locale) == language
        ):
            continue
        catalog.locale = Locale.parse(language)
        catalog.mime_headers = [("Plural-Forms", wanted)]
        catalog.fuzzy = False  # the header's flag, which makemessages sets on a new catalogue
        with po_path.open("wb") as handle:
            write_po(handle, catalog, width=100)
        print(f"{language}: header set (Language, Plural-Forms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
