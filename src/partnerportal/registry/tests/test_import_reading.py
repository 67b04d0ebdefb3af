"""Both importers read their file a line at a time (bounded memory, whatever the file's size):
never the whole file at once, and never a line beyond MAX_LINE_BYTES."""

from pathlib import Path

import pytest

from partnerportal.registry.importers import reading
from partnerportal.registry.importers.destatis import municipalities_import
from partnerportal.registry.importers.errors import ImportFileError
from partnerportal.registry.importers.twinnings import import_twinnings

from . import test_import_twinnings as twinnings_tests
from .test_import_municipalities import SAMPLE, _write
from .test_import_twinnings import GOOD, gazetteer, write

pytestmark = pytest.mark.django_db

germany = twinnings_tests.germany  # the German municipalities the twin towns resolve to


@pytest.fixture
def no_whole_file(monkeypatch):
    """Reading a file whole (what made a 200 MB file take gigabytes) fails the test."""

    def refuse(self, *args, **kwargs):
        raise AssertionError(f"{self.name} was read whole")

    for method in ("read_bytes", "read_text"):
        monkeypatch.setattr(Path, method, refuse)


def test_twinnings_are_read_line_by_line(no_whole_file, germany, tmp_path):
    peru = ["Köln", "Germany", "50.94", "6.96", "Yarinacocha", "Peru", "-8.35", "-74.57"]
    path = write(tmp_path, [GOOD, peru] * 25)
    result = import_twinnings(path, gazetteer_factory=gazetteer, batch_size=7)
    # Places and pairs made in one batch are found again in the next ones.
    assert result.rows == 50 and result.partnerships_created == 2
    assert result.municipalities_created == 2 and result.unverified_created == 1
    assert result.partnerships_existing == 0


def test_municipalities_are_read_line_by_line(no_whole_file, tmp_path):
    outcome = municipalities_import(actor=None, path=_write(tmp_path, SAMPLE), batch_size=2)
    assert outcome.created == 5


def test_a_line_longer_than_the_limit_is_refused(monkeypatch, germany, tmp_path):
    monkeypatch.setattr(reading, "MAX_LINE_BYTES", 100)
    path = write(tmp_path, [GOOD, [*GOOD[:4], "L" * 100, *GOOD[5:]]])
    with pytest.raises(ImportFileError) as caught:
        import_twinnings(path, gazetteer_factory=gazetteer)
    assert caught.value.line == 3


def test_a_nul_byte_is_refused_naming_its_line(germany, tmp_path):
    """PostgreSQL cannot store NUL in text (SQLite can): refused while reading, on both."""
    from partnerportal.registry.models import ImportRun, ReviewItem

    path = write(tmp_path, [GOOD, ["K\x00ln", *GOOD[1:]]])
    with pytest.raises(ImportFileError) as caught:
        import_twinnings(path, gazetteer_factory=gazetteer)
    assert caught.value.line == 3
    assert not ImportRun.objects.exists() and not ReviewItem.objects.exists()

    gv = _write(tmp_path, [*SAMPLE[:3], SAMPLE[3].replace("Flensburg", "Flens\x00burg")])
    with pytest.raises(ImportFileError) as caught:
        municipalities_import(actor=None, path=gv)
    assert caught.value.line == 5


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n", b"\xef\xbb\xbf\r\n"])
def test_a_file_with_nothing_but_a_bom_or_an_empty_line_is_empty(germany, tmp_path, content):
    """Not "expected the header, found ''": such a file is as empty as one of no bytes."""
    from django.utils.translation import gettext as _

    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        import_twinnings(path, gazetteer_factory=gazetteer)
    assert (caught.value.message, caught.value.line) == (_("The file is empty."), 1)
    with pytest.raises(ImportFileError) as caught:
        municipalities_import(actor=None, path=path)
    assert (caught.value.message, caught.value.line) == (_("the file is empty."), 1)
