from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation

from partnerportal.registry.importers.destatis import HEADER, municipalities_import
from partnerportal.registry.importers.errors import ImportFileError
from partnerportal.registry.models import ImportRun, Municipality
from partnerportal.registry.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

Kind = Municipality.Kind

SAMPLE = [
    "10,,01,,,,,Schleswig-Holstein,,,,,,,,,,,,",
    '40,41,01,0,01,,,"Flensburg, Stadt",,,,,,,,,,,,',
    '50,50,01,0,01,0000,,"Flensburg, Stadt",,,,,,,,,,,,',
    '60,61,01,0,01,0000,000,"Flensburg, Stadt", 53.02, 90 164, 44 904, 45 260, 1 701,24937,'
    '"9,43751","54,78252",F02,Ostsee,01,dicht besiedelt',
    "40,43,01,0,51,,,Dithmarschen,,,,,,,,,,,,",
    '50,50,01,0,51,0011,,"Brunsbüttel, Stadt",,,,,,,,,,,,',
    '60,63,01,0,51,0011,011,"Brunsbüttel, Stadt", 65.21, 12 380, 6 240, 6 140,  190,25541,'
    '"9,13735","53,896932",F01,Nordsee,02,mittlere Besiedlungsdichte',
    "50,51,01,0,51,5163,,Burg-St. Michaelisdonn,,,,,,,,,,,,",
    "60,64,01,0,51,5163,003,Averlak, 9.06,  554,  288,  266,  61,25715,"
    '"9,182663","53,941154",F04,übrig. Schleswig-Holstein,03,gering besiedelt',
    "10,,03,,,,,Niedersachsen,,,,,,,,,,,,",
    "20,,03,3,,,,Statistische Region Lüneburg,,,,,,,,,,,,",
    "40,44,03,3,51,,,Celle,,,,,,,,,,,,",
    '60,65,03,3,51,9501,501,"Lohheide, gemfr. Bezirk", 91.48,  764,  392,  372,  8,29303,'
    '"9,930034","52,811551",G09,Lüneburger Heide,03,gering besiedelt',
]
# Line numbers in the file: the header is line 1.
AVERLAK_LINE = 1 + SAMPLE.index(next(row for row in SAMPLE if ",Averlak," in row)) + 1


def _write(tmp_path: Path, rows: list[str], *, header: str | None = None, name="gv.csv") -> Path:
    path = tmp_path / name
    text = (header if header is not None else ",".join(HEADER)) + "\n" + "\n".join(rows) + "\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return path


def _run(path: Path, verbosity: int = 1) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("import_municipalities", str(path), stdout=out, verbosity=verbosity)
    return out.getvalue()


def _snapshot() -> list[tuple]:
    return list(
        Municipality.objects.order_by("ags").values_list(
            "ags", "name", "population", "parent__ags", "updated_at"
        )
    )


def test_import_creates_gemeinden_and_kreise_with_all_facts(tmp_path):
    output = _run(_write(tmp_path, SAMPLE))

    assert "5 created, 0 updated, 0 unchanged" in output
    assert "1 unincorporated areas skipped" in output
    assert output.strip().endswith(
        "Source: Federal Statistical Office (Destatis), "
        "Data licence Germany – attribution – version 2.0"
    )
    flensburg = Municipality.objects.get(ags="01001000")
    assert (flensburg.name, flensburg.name_suffix) == ("Flensburg", "Stadt")
    assert flensburg.kind == Kind.KREISFREIE_STADT
    assert flensburg.population == 90164
    assert flensburg.area_km2 == Decimal("53.02")
    assert flensburg.postal_code == "24937"
    assert (flensburg.latitude, flensburg.longitude) == (54.78252, 9.43751)
    assert flensburg.state == "Schleswig-Holstein"
    assert flensburg.country_id == "DE"
    assert flensburg.source == Municipality.Source.DESTATIS
    assert flensburg.parent is None
    assert flensburg.association == ""  # verbandsfrei: no association of its own
    assert flensburg.search_name == "flensburg"

    brunsbuettel = Municipality.objects.get(ags="01051011")
    assert brunsbuettel.kind == Kind.STADT
    assert brunsbuettel.district == "Dithmarschen"
    assert brunsbuettel.parent.ags == "01051000"
    assert brunsbuettel.search_name == "brunsbuttel"

    averlak = Municipality.objects.get(ags="01051003")
    assert averlak.kind == Kind.GEMEINDE
    assert averlak.association == "Burg-St. Michaelisdonn"
    assert averlak.name_suffix == ""

    dithmarschen = Municipality.objects.get(ags="01051000")
    assert dithmarschen.kind == Kind.KREIS
    assert dithmarschen.population == 12380 + 554
    assert dithmarschen.area_km2 == Decimal("74.27")
    assert dithmarschen.state == "Schleswig-Holstein"

    celle = Municipality.objects.get(ags="03351000")
    assert celle.administrative_district == "Statistische Region Lüneburg"
    # The kreisfreie Stadt appears once, under its Gemeinde AGS.
    assert Municipality.objects.filter(name="Flensburg").count() == 1
    assert not Municipality.objects.filter(ags__startswith="03351").exclude(kind=Kind.KREIS)

    run = ImportRun.objects.get()
    assert run.kind == ImportRun.Kind.MUNICIPALITIES
    assert run.file_name == "gv.csv"
    assert len(run.file_sha256) == 64
    assert run.finished_at is not None
    assert run.counts["created"] == 5
    # Bulk writes still leave one history record per municipality.
    record = flensburg.history.get()
    assert record.history_change_reason == "import.destatis"
    assert record.history_type == "+"


def test_second_run_changes_nothing(tmp_path):
    path = _write(tmp_path, SAMPLE)
    _run(path)
    before = _snapshot()

    output = _run(path)

    assert "0 created, 0 updated, 5 unchanged" in output
    assert _snapshot() == before
    assert Municipality.history.count() == 5


def test_changed_population_is_reported_as_update(tmp_path):
    _run(_write(tmp_path, SAMPLE))
    changed = [row.replace(" 12 380,", " 12 400,") for row in SAMPLE]

    output = _run(_write(tmp_path, changed, name="gv2.csv"), verbosity=2)

    assert "0 created, 2 updated, 3 unchanged" in output  # Brunsbüttel and its Kreis
    assert "01051011 Brunsbüttel: population: 12380 → 12400" in output
    assert Municipality.objects.get(ags="01051011").population == 12400
    assert Municipality.objects.get(ags="01051000").population == 12400 + 554
    assert Municipality.objects.count() == 5
    latest = Municipality.objects.get(ags="01051011").history.first()
    assert (latest.history_type, latest.history_change_reason) == ("~", "import.destatis")


def test_existing_municipality_with_the_same_ags_is_updated_not_duplicated(tmp_path):
    MunicipalityFactory(name="Flensburg", ags="01001000", kind=Kind.STADT)

    _run(_write(tmp_path, SAMPLE))

    flensburg = Municipality.objects.get(ags="01001000")
    assert flensburg.kind == Kind.KREISFREIE_STADT
    assert flensburg.source == Municipality.Source.DESTATIS
    assert Municipality.objects.filter(name="Flensburg").count() == 1


def _replace(row_marker: str, old: str, new: str) -> list[str]:
    return [row.replace(old, new) if row_marker in row else row for row in SAMPLE]


BAD_INPUT = [
    ("wrong header", None, 1, "gemeindename"),
    (
        "bad coordinate",
        _replace(",Averlak,", '"53,941154"', '"153,9"'),
        AVERLAK_LINE,
        "breitengrad",
    ),
    (
        "coordinate not a number",
        _replace(",Averlak,", '"9,182663"', '"abc"'),
        AVERLAK_LINE,
        "laengengrad",
    ),
    (
        "truncated row",
        [row.split(", 9.06")[0] if ",Averlak," in row else row for row in SAMPLE],
        AVERLAK_LINE,
        "flaeche",
    ),
    ("AGS part too short", _replace(",Averlak,", "5163,003", "5163,03"), AVERLAK_LINE, "gemeinde"),
    (
        "AGS part too long",
        _replace(",Averlak,", "01,0,51,5163", "01,0,510,5163"),
        AVERLAK_LINE,
        "kreis",
    ),
    ("population", _replace(",Averlak,", "  554,", "  5x4,"), AVERLAK_LINE, "bevoelkerung"),
    ("record type", _replace(",Averlak,", "60,64,", "70,64,"), AVERLAK_LINE, "satzart"),
    ("postal code", _replace(",Averlak,", ",25715,", ",2571,"), AVERLAK_LINE, "postleitzahl"),
]


@pytest.mark.parametrize(
    ("rows", "line", "field"),
    [case[1:] for case in BAD_INPUT],
    ids=[case[0] for case in BAD_INPUT],
)
def test_bad_input_names_line_and_field_and_writes_nothing(tmp_path, rows, line, field):
    _run(_write(tmp_path, SAMPLE))
    before = _snapshot()
    if rows is None:
        path = _write(
            tmp_path,
            SAMPLE,
            header=",".join(HEADER).replace("gemeindename", "name"),
            name="bad.csv",
        )
    else:
        path = _write(tmp_path, rows, name="bad.csv")

    with pytest.raises(CommandError) as raised:
        _run(path)

    message = str(raised.value)
    assert message.startswith("bad.csv was not imported: ")
    assert f"Line {line}, field “{field}”" in message
    assert _snapshot() == before
    assert ImportRun.objects.count() == 1


def test_wrong_encoding_names_line_and_field(tmp_path):
    path = _write(tmp_path, SAMPLE)
    path.write_bytes(path.read_bytes().replace(b"Averlak", "Averl\xe4k".encode("latin-1")))

    with translation.override("en"), pytest.raises(ImportFileError) as raised:
        municipalities_import(actor=None, path=path)

    assert raised.value.line == AVERLAK_LINE
    assert raised.value.field == "gemeindename"
    assert "not UTF-8" in str(raised.value)
    assert not Municipality.objects.exists()
    assert not ImportRun.objects.exists()


def test_failed_first_import_leaves_nothing(tmp_path):
    rows = [*SAMPLE, '60,64,01,0,51,5163,004,Broken, 1.00,  1,  1,  0,  1,25715,"x","53,9",,,03,g']
    with pytest.raises(CommandError):
        _run(_write(tmp_path, rows))
    assert not Municipality.objects.exists()
    assert not ImportRun.objects.exists()


def test_progress_reports_reading_and_writing(tmp_path):
    calls = []
    municipalities_import(
        actor=None,
        path=_write(tmp_path, SAMPLE),
        progress=lambda phase, done, total: calls.append((phase, done, total)),
        batch_size=2,
    )
    assert calls[-1] == ("write", 5, 5)


def test_municipality_dropped_from_the_file_is_kept_and_counted(tmp_path):
    _run(_write(tmp_path, SAMPLE))
    without_averlak = [row for row in SAMPLE if ",Averlak," not in row]

    output = _run(_write(tmp_path, without_averlak, name="gv2.csv"))

    assert "1 municipalities of earlier imports are not in this file; they were kept." in output
    assert Municipality.objects.filter(ags="01051003").exists()
    assert ImportRun.objects.first().counts["missing"] == 1


class _Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_shown_on_a_terminal_only(tmp_path):
    path = _write(tmp_path, SAMPLE)
    terminal, pipe = _Terminal(), StringIO()
    with translation.override("en"):
        call_command("import_municipalities", str(path), stdout=StringIO(), stderr=terminal)
        call_command("import_municipalities", str(path), stdout=StringIO(), stderr=pipe)
    assert "\rWriting municipality 5 of 5" in terminal.getvalue()
    assert pipe.getvalue() == ""


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with translation.override("en"), pytest.raises(ImportFileError) as raised:
        municipalities_import(actor=None, path=path)
    assert raised.value.line == 1


# --- Bad input, bounded -----------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_up_front(tmp_path):
    path = _write(tmp_path, SAMPLE)
    size = path.stat().st_size
    with override_settings(PARTNERPORTAL_IMPORT_MAX_BYTES=size - 1):
        with pytest.raises(CommandError) as raised:
            _run(path)
        assert "imports take at most" in str(raised.value)
        assert f"{size - 1} bytes" in str(raised.value)
        with translation.override("de"), pytest.raises(ImportFileError) as raised:
            municipalities_import(actor=None, path=path)
        assert "Importe dürfen höchstens" in str(raised.value)
    assert not Municipality.objects.exists() and not ImportRun.objects.exists()
    with override_settings(PARTNERPORTAL_IMPORT_MAX_BYTES=size):
        assert "5 created" in _run(path)


@pytest.mark.parametrize(
    ("marker", "old", "new", "limit"),
    [
        (",Averlak,", "Averlak", "A" * 5000, 200),  # Municipality.name
        (",Averlak,", "Averlak", '"Averlak, ' + "S" * 81 + '"', 80),  # name_suffix
        ("Schleswig-Holstein", "Schleswig-Holstein", "S" * 61, 60),  # state
        ("Burg-St. Michaelisdonn", "Burg-St. Michaelisdonn", "B" * 161, 160),  # association
    ],
    ids=["name", "name-suffix", "state", "association"],
)
def test_a_name_longer_than_its_field_is_refused_with_line_and_field(
    tmp_path, marker, old, new, limit
):
    rows = _replace(marker, old, new)
    line = 1 + next(n for n, row in enumerate(rows, start=1) if new in row)
    with translation.override("en"), pytest.raises(ImportFileError) as raised:
        municipalities_import(actor=None, path=_write(tmp_path, rows))
    assert (raised.value.line, raised.value.field) == (line, "gemeindename")
    assert f"at most {limit}" in str(raised.value)
    assert not Municipality.objects.exists() and not ImportRun.objects.exists()


@pytest.mark.parametrize("rows", [[], ["", ""]], ids=["header", "header-and-blank-lines"])
def test_a_file_with_only_its_header_is_nothing_to_import(tmp_path, rows):
    with pytest.raises(CommandError, match="nothing to import"):
        _run(_write(tmp_path, rows))
    assert not ImportRun.objects.exists()
