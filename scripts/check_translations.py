"""Fail when a message shown to people lacks its translation.

Runs `makemessages` for German and English on a temporary copy of the source tree (so the check
never rewrites the working copy), then reads each catalogue with Babel and lists every msgid that
is untranslated or fuzzy. English is the source language of the msgids: an empty English msgstr
falls back to the msgid, so only fuzzy English entries fail.

Usage: .venv/bin/python scripts/check_translations.py [--in-place]
  --in-place  update src/partnerportal/locale itself (what `make makemessages` does) and check it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "partnerportal"
LANGUAGES = ("de", "en")
SOURCE_LANGUAGE = "en"
IGNORE = ["*/tests/*", "static/*", "node_modules/*"]


def run_makemessages(package_dir: Path) -> None:
    """makemessages from inside the package, writing into package_dir/locale."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerportal.settings.dev")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    locale_dir = package_dir / "locale"
    locale_dir.mkdir(exist_ok=True)
    settings.LOCALE_PATHS = [str(locale_dir)]
    previous = Path.cwd()
    os.chdir(package_dir)
    try:
        call_command(
            "makemessages",
            locale=list(LANGUAGES),
            ignore_patterns=IGNORE,
            no_obsolete=True,
            verbosity=0,
        )
    finally:
        os.chdir(previous)


def problems_in(po_path: Path, language: str) -> list[str]:
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    found = []
    for message in catalog:
        if not message.id:
            continue  # the header
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
        if message.fuzzy:
            found.append(f"fuzzy         {msgid!r}  ({where})")
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if language != SOURCE_LANGUAGE and not all(strings):
            found.append(f"untranslated  {msgid!r}  ({where})")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in-place", action="store_true", help="update the real catalogues")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory(prefix="pp-messages-") as tmp:
        if args.in_place:
            package_dir = PACKAGE
        else:
            package_dir = Path(tmp) / "partnerportal"
            shutil.copytree(
                PACKAGE,
                package_dir,
                ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"),
            )
        run_makemessages(package_dir)
        failures = 0
        for language in LANGUAGES:
            po_path = package_dir / "locale" / language / "LC_MESSAGES" / "django.po"
            if not po_path.exists():
                print(f"{language}: no catalogue at {po_path.relative_to(package_dir.parent)}")
                failures += 1
                continue
            problems = problems_in(po_path, language)
            if problems:
                print(
                    f"{language}: {len(problems)} message(s) need work in "
                    f"src/partnerportal/locale/{language}/LC_MESSAGES/django.po"
                )
                for problem in problems:
                    print(f"  {problem}")
                failures += len(problems)
            else:
                print(f"{language}: every message is translated")
    if failures:
        print("\nRun `make makemessages`, translate the entries above and remove the fuzzy flags.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
