"""Source strings are English: fill every empty msgstr of the English catalogue with its msgid,
so that `makemessages` leaves nothing untranslated there. German is translated by people."""

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "src/partnerportal/locale/en/LC_MESSAGES/django.po"


def main() -> int:
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        # Always the source string: an English entry that differs from it is a stale guess.
        expected = tuple(message.id) if isinstance(message.id, tuple) else message.id
        if message.string != expected:
            message.string = expected
            filled += 1
        message.flags.discard("fuzzy")
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=100)
    print(f"English catalogue: {filled} entries set to their source strings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
