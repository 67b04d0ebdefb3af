"""Where an entry comes from, for its page: the data set by the name people know, its publisher
and licence, in the reader's language. The file name and row of an import are for agency staff
only (they find the line in the file; to others "twin_cities.csv, row 9032" says nothing)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..models import ImportRun, Municipality, Partnership
from ..permissions import is_registry_staff
from ..sources import DESTATIS, GEONAMES, WIKIPEDIA_TWIN_TOWNS, DataSource

#: The data set each kind of import reads. A twin towns file may also be Partnerportal's own
#: export read back; its pairs came from the same lists.
_IMPORT_SOURCES: dict[str, DataSource] = {
    ImportRun.Kind.MUNICIPALITIES: DESTATIS,
    ImportRun.Kind.TWINNINGS: WIKIPEDIA_TWIN_TOWNS,
}


@dataclass(frozen=True, slots=True)
class Provenance:
    #: The data set, for imported entries and official places.
    source: DataSource | None = None
    imported_on: dt.datetime | None = None
    #: Staff only: the file and row the entry was read from.
    file_name: str = ""
    row: int | None = None
    #: Recorded by staff from the import review queue (checked by a person).
    reviewed: bool = False
    #: A place made from an import row that no gazetteer lists yet.
    unverified: bool = False
    #: Entered by a person (their name only for logged-in readers) or by agency staff.
    by_person: bool = False
    entered_by: str = ""
    entered_on: dt.datetime | None = None
    by_staff: bool = False


def partnership_provenance(partnership: Partnership, *, user) -> Provenance:
    staff = is_registry_staff(user)
    run = partnership.import_run
    if run is not None:
        return Provenance(
            source=_IMPORT_SOURCES.get(run.kind),
            imported_on=run.started_at,
            file_name=run.file_name if staff else "",
            row=partnership.import_row if staff else None,
            # The import command runs without a person; staff settling a row are one.
            reviewed=partnership.created_by_id is not None,
        )
    person = partnership.created_by
    if person is not None:
        shown = getattr(user, "is_authenticated", False)
        return Provenance(
            by_person=True,
            entered_by=person.display_name if shown else "",
            entered_on=partnership.created_at,
        )
    return Provenance(entered_on=partnership.created_at)


def municipality_provenance(municipality: Municipality) -> Provenance:
    if municipality.source == Municipality.Source.DESTATIS:
        return Provenance(source=DESTATIS)
    if municipality.source == Municipality.Source.GEONAMES:
        return Provenance(source=GEONAMES)
    if municipality.source == Municipality.Source.IMPORT:
        return Provenance(source=WIKIPEDIA_TWIN_TOWNS, unverified=not municipality.verified)
    return Provenance(by_staff=True)
