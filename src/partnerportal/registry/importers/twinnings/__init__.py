"""Import of a twin towns list (the format of ../shared/data/twin_cities.csv) into partnerships.

Each side is resolved to a municipality: German places to their Destatis (AGS) municipality,
foreign places through the GeoNames gazetteer, and a foreign place the gazetteer lacks is created
from the row, unverified. Whatever cannot be resolved without guessing goes to the report and the
review queue (one item per unresolved place of a pair, counting the lines that name it). The file
is read and written a batch of rows at a time in one transaction, so memory stays bounded
whatever its size (a file over IMPORT_MAX_BYTES is refused unread) and bad input on any line
leaves the database as it was; the registry's places are indexed in memory, and what is already
stored (partnerships, review items) is looked up per batch, so that 22,000 rows take seconds,
not one query per row. Place and country names are checked against the length of the fields
they are stored in.

The registry's own CSV export (atlas/exports.py) is this format with columns added after the
original eight (EXTRA_COLUMNS, each optional), so that an export reads back without loss (its
cells escaped against spreadsheet formulas are read back as they were, core/csv.py): an AGS
or GeoNames id settles its side exactly (the name rules remain the fallback), and type, status,
start year and themes are applied to the partnerships the file creates. Coordinates may be
empty in such a file (a Kreis has no point of its own).

The package reads like its data: reading.py (the file's rows), german.py and foreign.py (matching
each side to a municipality), writing.py (the import itself, a batch at a time) and report.py
(the outcome and the report of rows not imported)."""

from .reading import EXTRA_COLUMNS, HEADER, THEME_SEPARATOR, Row, read_rows, review_key
from .report import Failure, TwinningsOutcome
from .writing import import_twinnings

__all__ = [
    "EXTRA_COLUMNS",
    "HEADER",
    "THEME_SEPARATOR",
    "Failure",
    "Row",
    "TwinningsOutcome",
    "import_twinnings",
    "read_rows",
    "review_key",
]
