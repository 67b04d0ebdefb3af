"""Both import commands tell their outcome the same way, in the language of the person running
them: a headline with the time taken, the details, and the source as the last line."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from . import test_import_twinnings as twinnings_tests
from .test_import_municipalities import SAMPLE, _write
from .test_import_twinnings import write

pytestmark = pytest.mark.django_db

germany = twinnings_tests.germany  # the German municipalities the twin towns resolve to

HEADLINE = re.compile(r".+ \(\d+[.,]\d s\)\.$")


def _lines(command: str, path, language: str) -> list[str]:
    out = StringIO()
    with translation.override(language):
        call_command(command, str(path), stdout=out)
    return out.getvalue().splitlines()


def test_both_commands_summarise_in_the_same_shape_and_language(germany, tmp_path):
    twins = write(tmp_path, [["Köln", "Germany", 50.94, 6.96, "Leipzig", "Germany", 51.34, 12.37]])
    gv = _write(tmp_path, SAMPLE)

    municipalities = _lines("import_municipalities", gv, "de")
    assert municipalities[0].startswith("Gemeinden: 5 angelegt, 0 aktualisiert")
    assert municipalities[-1] == (
        "Quelle: Statistisches Bundesamt (Destatis), "
        "Datenlizenz Deutschland – Namensnennung – Version 2.0"
    )
    partnerships = _lines("import_twinnings", twins, "de")
    assert partnerships[0].startswith("Partnerschaften: 1 angelegt, 0 bereits im Register")
    assert partnerships[2].endswith("1 von 1 Zeilen mit deutscher Seite (100,00 %).")
    assert partnerships[-1] == "Quelle: twins.csv"
    for lines in (municipalities, partnerships):
        assert HEADLINE.match(lines[0])

    english = _lines("import_twinnings", twins, "en")
    assert english[0].startswith("Partnerships: 0 created, 1 already in the registry")
    assert english[2].endswith("1 of 1 rows with a German side (100.00 %).")
    assert english[-1] == "Source: twins.csv" and HEADLINE.match(english[0])
