"""Compile the .po catalogues to .mo with Babel, so that a fresh machine needs no GNU gettext."""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = BASE_DIR / "src/partnerportal"
LOCALE_DIRS = (
    PACKAGE_DIR / "locale",
    # Formal German ("Sie") replacements for django-allauth's informal strings.
    PACKAGE_DIR / "overrides" / "locale",
)


def main() -> int:
    for locale_dir in LOCALE_DIRS:
        for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=po_path.parent.parent.name)
            # A plural entry with some forms missing would show an empty text for those counts
            # (Babel keeps every entry whose tuple of forms is not empty): leave it out, so that
            # gettext falls back as for any untranslated entry.
            for message in list(catalog)[1:]:
                if isinstance(message.string, tuple) and not all(message.string):
                    catalog.delete(message.id, context=message.context)
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with mo_path.open("wb") as handle:
                write_mo(handle, catalog, use_fuzzy=False)
            print(f"compiled {mo_path.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
