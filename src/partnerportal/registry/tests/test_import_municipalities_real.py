"""The Gemeindeverzeichnis import on the real Destatis file (../shared/data; skipped where it is
not there). The first import is the one of the run's `gemeindeverzeichnis_db` (conftest.py),
which the twin towns tests on the real files start from as well; this test checks what it made
and imports the file again."""

import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from partnerportal.registry.models import Municipality

Kind = Municipality.Kind


def test_real_file(gemeindeverzeichnis_db, capsys):
    first = gemeindeverzeichnis_db["seconds"]
    assert "11,088 created, 0 updated, 0 unchanged" in gemeindeverzeichnis_db["output"]

    german = Municipality.objects.german()
    assert german.filter(kind=Kind.KREIS).count() == 294
    assert german.exclude(kind=Kind.KREIS).count() == 10794
    assert german.filter(kind=Kind.KREISFREIE_STADT).count() == 107
    koeln = Municipality.objects.get(ags="05315000")
    assert koeln.name == "Köln"
    assert koeln.kind == Kind.KREISFREIE_STADT
    assert koeln.population > 1_000_000
    assert koeln.latitude == pytest.approx(50.94, abs=0.05)
    assert koeln.longitude == pytest.approx(6.96, abs=0.05)
    assert Municipality.objects.filter(name="Köln").count() == 1
    assert Municipality.objects.get(ags="08236000").name == "Enzkreis"
    assert Municipality.objects.get(ags="08215101").parent.ags == "08215000"

    started = time.perf_counter()
    out = StringIO()
    with translation.override("en"):
        call_command("import_municipalities", str(gemeindeverzeichnis_db["path"]), stdout=out)
    output = out.getvalue()
    second = time.perf_counter() - started
    assert "0 created, 0 updated, 11,088 unchanged" in output
    with capsys.disabled():
        print(f"\nGV import on {connection.vendor}: first run {first:.1f} s, second {second:.1f} s")
    # Speed is measured in bench/, not asserted here: on a loaded machine a time limit fails
    # without anything being wrong.
