"""Every CSV we write neutralises formulas (OWASP "CSV Injection") and reads back without loss."""

import io

import pytest

from partnerportal.core import csv as safe_csv


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+49 30 123", "'+49 30 123"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("'=1", "''=1"),  # an apostrophe of its own survives the round trip
        # Unchanged: numbers (as numbers and as text), harmless text, names with an apostrophe.
        ("-12.5", "-12.5"),
        ("+3", "+3"),
        ("-1e-3", "-1e-3"),
        (-12.5, -12.5),
        (7, 7),
        (None, None),
        ("", ""),
        ("Köln", "Köln"),
        ("'s-Hertogenbosch", "'s-Hertogenbosch"),
        ("Saint-Denis", "Saint-Denis"),
    ],
)
def test_escape_and_unescape(value, written):
    assert safe_csv.escape_cell(value) == written
    if isinstance(value, str):
        assert safe_csv.unescape_cell(written) == value


def test_writer_escapes_every_cell_and_returns_what_the_file_returns():
    buffer = io.StringIO()
    writer = safe_csv.writer(buffer, lineterminator="\n")
    writer.writerow(["=1+1", -12.5, "-12.5", "Lima"])
    writer.writerows([["@x"]])
    assert buffer.getvalue() == "'=1+1,-12.5,-12.5,Lima\n'@x\n"

    class Echo:
        def write(self, value):
            return value

    assert safe_csv.writer(Echo()).writerow(["+x", 1]) == "'+x,1\r\n"
