"""Fail when a message shown to people lacks its translation.

Runs `makemessages` for every language of settings.LANGUAGES (the one list of languages) on a
temporary copy of the source tree (so the check never rewrites the working copy), then reads each
catalogue with Babel and lists every msgid that is untranslated or fuzzy, and every catalogue whose
plural rule is not the language's (Arabic has six forms, Ukrainian three, French treats 0 as
singular). English is the source language of the msgids: an empty English msgstr falls back to
the msgid, so only fuzzy English entries fail.

Usage: .venv/bin/python scripts/check_translations.py [--in-place] [-l CODE ...]
  --in-place  update src/partnerportal/locale itself (what `make makemessages` does) and check it.
  -l CODE     check only these languages (default: all of settings.LANGUAGES).
"""

from __future__ import annotations

import argparse
import gettext
import os
import shutil
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "partnerportal"
SOURCE_LANGUAGE = "en"
IGNORE = ["*/tests/*", "static/*", "node_modules/*"]

#: The plural rule each catalogue must declare: the one `make makemessages` writes.
from po_fill_headers import plural_forms as expected_plural_forms  # noqa: E402


def setup_django() -> list[str]:
    """Django with the development settings; the codes of settings.LANGUAGES."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerportal.settings.dev")
    import django
    from django.conf import settings

    django.setup()
    return [code for code, _name in settings.LANGUAGES]


def _rule(plural_forms: str) -> tuple[int, object]:
    parts = dict(part.strip().split("=", 1) for part in plural_forms.strip().rstrip(";").split(";"))
    return int(parts["nplurals"]), gettext.c2py(parts["plural"].strip())


def plural_problem(header: str | None, language: str) -> str | None:
    """Why the catalogue's Plural-Forms header is wrong for `language`, or None. Compared by
    what it picks for n = 0 … 1000, so spacing and parentheses do not matter."""
    expected = expected_plural_forms(language)
    if not header:
        return f"no Plural-Forms header; it must be {expected!r}"
    try:
        count, rule = _rule(header)
    except (KeyError, ValueError, SyntaxError):
        return f"unreadable Plural-Forms {header!r}; it must be {expected!r}"
    expected_count, expected_rule = _rule(expected)
    if count != expected_count or any(rule(n) != expected_rule(n) for n in range(1001)):
        return f"Plural-Forms {header!r} is not the rule of {language!r}: {expected!r}"
    return None


def run_makemessages(package_dir: Path, languages: list[str]) -> None:
    """makemessages from inside the package, writing into package_dir/locale."""
    from django.conf import settings
    from django.core.management import call_command

    locale_dir = package_dir / "locale"
    locale_dir.mkdir(exist_ok=True)
    settings.LOCALE_PATHS = [str(locale_dir)]
    previous = Path.cwd()
    os.chdir(package_dir)
    try:
        call_command(
            "makemessages",
            locale=list(languages),
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
    header = dict(catalog.mime_headers).get("Plural-Forms")
    problem = plural_problem(header, language)
    if problem:
        found.append(f"plural forms  {problem}")
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
        elif message.pluralizable and not problem and len(strings) != catalog.num_plurals:
            found.append(
                f"plural forms  {msgid!r} has {len(strings)} of {catalog.num_plurals}  ({where})"
            )
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in-place", action="store_true", help="update the real catalogues")
    parser.add_argument("-l", "--language", action="append", help="check only this language")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    languages = setup_django()
    unknown = set(args.language or ()) - set(languages)
    if unknown:
        print(f"not in settings.LANGUAGES: {', '.join(sorted(unknown))}")
        return 2
    languages = args.language or languages
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
        run_makemessages(package_dir, languages)
        failures = 0
        for language in languages:
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
