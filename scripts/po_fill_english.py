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
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = tuple(message.id[0] if i == 0 else message.id[1] for i in range(2))
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=100)
    print(f"English catalogue: {filled} entries filled from their source strings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
