"""Writing a twin towns file into the registry, a batch of rows at a time in one transaction:
resolve both sides of each row (german.py, foreign.py), store the new places, create the
partnerships through the registry's one way in (services.partnerships.partnerships_create),
queue what could not be resolved for review, and report it (report.py)."""

from __future__ import annotations

import tempfile
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from partnerportal.core import csv as safe_csv
from partnerportal.core.db import table_statistics_refresh
from partnerportal.geo.gazetteer import Gazetteer, country_code, default_gazetteer
from partnerportal.geo.services import country_ensure
from partnerportal.registry.search import search_registry_add

from ...changes import registry_changed
from ...models import ImportRun, Municipality, Partnership, ReviewItem, Theme
from ...services.coordinates import municipalities_coordinates_check
from ...services.partnerships import (
    SOURCE_RULES,
    PartnershipDraft,
    PartnershipSource,
    partnerships_create,
)
from ..errors import NothingToImport
from ..reading import LineReader, check_size, count_lines
from .foreign import ForeignResolver
from .german import GermanIndex, GermanResolver
from .reading import Row, bad_encoding, read_rows, review_key
from .report import Failure, TwinningsOutcome, write_report, write_report_rows

#: Rows resolved and written together; memory holds one batch, not the file.
BATCH_SIZE = 2000
#: Ids per IN (...) query: below SQLite's historical limit of 999 parameters.
QUERY_CHUNK = 900
#: Places resolved recently (a list names its large cities again and again); bounded.
RESOLVE_CACHE_SIZE = 50_000
CHANGE_REASON = SOURCE_RULES[PartnershipSource.IMPORT].action


def _pk(ref: int | Municipality) -> int:
    return ref if isinstance(ref, int) else ref.pk


def _chunks(items: list, size: int = QUERY_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


Resolution = tuple[int | Municipality | None, Failure | None]


class _Import:
    """One run over the file, a batch of rows at a time: resolve, create the new places, then
    the batch's partnerships, status history, themes and review items, and append its failures
    to the report. What outlives a batch is what dedupe needs: the index of places (the
    registry's and those this run created, by name), a bounded cache of resolved places and the
    counters; partnerships and review items already stored are looked up per batch."""

    def __init__(self, *, run: ImportRun, actor, theme_ids: dict[str, int],
                 gazetteer_factory: Callable[[], Gazetteer], report) -> None:  # fmt: skip
        self.run = run
        self.actor = actor
        self.theme_ids = theme_ids
        self.report = report
        self.result = TwinningsOutcome(run=run)
        self.created_places: list[int] = []  # checked against their countries at the end
        self.german = GermanResolver(GermanIndex())
        self.foreign = ForeignResolver(gazetteer_factory)
        self.countries: set[str] = set()
        self.cache: OrderedDict[tuple, Resolution] = OrderedDict()
        self.unsaved: list[tuple] = []  # cache keys that name a place not stored yet

    def resolve(
        self,
        city: str,
        country_raw: str,
        lat: float | None,
        lng: float | None,
        ags: str = "",
        geonames_id: int | None = None,
    ) -> Resolution:
        key = (city, country_raw, lat, lng, ags, geonames_id)
        if key in self.cache:
            self.cache.move_to_end(key)
            return self.cache[key]
        iso2 = country_code(country_raw)
        exact = bool(ags or geonames_id) or lat is None or lng is None
        found: Resolution
        if iso2 is None:
            found = (None, Failure(_("Unknown country “%s”.") % country_raw))
        elif iso2 == "DE":
            if exact:
                muni, failure = self.german.resolve_exactly(city, ags, lat, lng)
            else:
                muni, failure = self.german.resolve(city, lat, lng)
            found = (muni.pk if muni else None, failure)
        elif exact:
            found = (self.foreign.resolve_exactly(city, iso2, geonames_id, lat, lng), None)
        else:
            found = (self.foreign.resolve(city, iso2, lat, lng), None)
        self.cache[key] = found
        if isinstance(found[0], Municipality):
            self.unsaved.append(key)
        if len(self.cache) > RESOLVE_CACHE_SIZE:
            self.cache.popitem(last=False)
        return found

    def batch(self, rows: list[Row]) -> None:
        result = self.result
        result.rows += len(rows)
        resolved: list[tuple[Row, int | Municipality, int | Municipality]] = []
        failures: list[tuple[Row, str, Failure]] = []
        for row in rows:
            refs = []
            is_german = False
            german_ok = True
            for side, (city, country_raw, lat, lng), (ags, geonames_id) in zip(
                ("1", "2"), row.sides, row.ids, strict=True
            ):
                ref, failure = self.resolve(city, country_raw, lat, lng, ags, geonames_id)
                if country_code(country_raw) == "DE":
                    is_german = True
                    german_ok = german_ok and ref is not None
                if failure:
                    failures.append((row, side, failure))
                refs.append(ref)
            if is_german:
                result.german_rows += 1
                result.german_resolved += german_ok
            if refs[0] is not None and refs[1] is not None:
                resolved.append((row, refs[0], refs[1]))
        self._places()
        self._partnerships(resolved, failures)
        failures.sort(key=lambda f: (f[0].number, f[1]))
        self._review_items(failures)
        if self.report is not None:
            write_report_rows(self.report, failures)
        result.report_rows += len(failures)

    def _places(self) -> None:
        """Store the places this batch created; from now on they are known by their id."""
        new = self.foreign.new
        if not new:
            return
        for iso2 in sorted({m.country_id for m in new} - self.countries):
            country_ensure(iso2)
            self.countries.add(iso2)
        bulk_create_with_history(
            new,
            Municipality,
            batch_size=500,
            default_user=self.actor,
            default_change_reason=CHANGE_REASON,
        )
        self.result.municipalities_created += len(new)
        self.result.unverified_created += sum(1 for m in new if not m.verified)
        self.created_places.extend(m.pk for m in new)
        self.foreign.settle()
        for key in self.unsaved:
            if key in self.cache:
                ref, failure = self.cache[key]
                self.cache[key] = (_pk(ref), failure)
        self.unsaved = []

    def _partnerships(self, resolved, failures) -> None:
        result = self.result
        pairs: dict[tuple[int, int], Row] = {}
        for row, first, second in resolved:
            a, b = sorted((_pk(first), _pk(second)))
            if a == b:
                failures.append(
                    (row, "2", Failure(_("Both sides resolve to the same municipality.")))
                )
                continue
            pairs.setdefault((a, b), row)  # B–A after A–B in the same batch: the first row
        stored: dict[tuple[int, int], int | None] = {}
        for chunk in _chunks(sorted({a for a, _b in pairs})):
            for a, b, run_id in Partnership.objects.filter(municipality_a_id__in=chunk).values_list(
                "municipality_a_id", "municipality_b_id", "import_run_id"
            ):
                if (a, b) in pairs:
                    stored[(a, b)] = run_id
        drafts: list[PartnershipDraft] = []
        for row, first, second in resolved:
            a, b = sorted((_pk(first), _pk(second)))
            if a == b:
                continue
            if (a, b) in stored and stored[(a, b)] != self.run.pk:
                result.partnerships_existing += 1  # in the registry before this run
                continue
            if (a, b) in stored or pairs[(a, b)] is not row:
                continue  # B–A after A–B in the same file
            drafts.append(
                PartnershipDraft(
                    municipality_a_id=a,
                    municipality_b_id=b,
                    type=row.attributes.type,
                    status=row.attributes.status,
                    start_year=row.attributes.start_year,
                    theme_ids=[self.theme_ids[code] for code in row.attributes.themes],
                    import_run=self.run,
                    import_row=row.number,
                )
            )
        partnerships_create(drafts, actor=self.actor, source=PartnershipSource.IMPORT)
        result.partnerships_created += len(drafts)

    def _review_items(self, failures: list[tuple[Row, str, Failure]]) -> None:
        """One item per unresolved place of a pair: the first line makes it, every further
        line (in this file or a later one) adds to its count and leaves it as staff left it."""
        lines: dict[str, int] = {}
        first: dict[str, tuple[Row, str, Failure]] = {}
        for row, side, failure in failures:
            key = review_key(row.raw, side)
            lines[key] = lines.get(key, 0) + 1
            first.setdefault(key, (row, side, failure))
        if not lines:
            return
        known: set[str] = set()
        for chunk in _chunks(sorted(lines)):
            known.update(ReviewItem.objects.filter(key__in=chunk).values_list("key", flat=True))
        by_count: dict[int, list[str]] = {}
        for key in known:
            by_count.setdefault(lines[key], []).append(key)
        for count, keys in by_count.items():
            for chunk in _chunks(keys):
                ReviewItem.objects.filter(key__in=chunk).update(
                    occurrences=F("occurrences") + count
                )
        items = [
            ReviewItem(
                import_run=self.run,
                row_number=row.number,
                raw=row.raw,
                side=side,
                reason=failure.reason[:300],
                candidates=failure.candidates,
                key=key,
                occurrences=lines[key],
            )
            for key, (row, side, failure) in first.items()
            if key not in known
        ]
        ReviewItem.objects.bulk_create(items, batch_size=1000)
        self.result.review_items_created += len(items)


def import_twinnings(
    path: Path | str,
    *,
    actor=None,
    report: Path | str | None = None,
    progress: Callable[[int, int], None] | None = None,
    gazetteer_factory: Callable[[], Gazetteer] = default_gazetteer,
    batch_size: int = BATCH_SIZE,
) -> TwinningsOutcome:
    """Import a twin towns file; raises ImportFileError (and writes nothing) on bad input.

    The file is read a batch of rows at a time inside one transaction, so that memory stays
    bounded whatever its size and a fault on any line undoes the whole run. The report is
    written to a temporary file and put in place only when the import succeeded."""
    path = Path(path)
    check_size(path)
    total = max(count_lines(path) - 1, 0) if progress else 0
    theme_ids = dict(Theme.objects.values_list("code", "pk"))
    with (
        path.open("rb") as handle,
        tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as pending,
    ):
        report_writer = safe_csv.writer(pending) if report else None
        with transaction.atomic():
            source = LineReader(handle, on_bad_encoding=bad_encoding)
            rows = read_rows(source, themes=set(theme_ids))
            first = next(rows, None)
            if first is None:
                raise NothingToImport()
            registry_changed()  # bulk writes send no signals
            run = ImportRun.objects.create(
                kind=ImportRun.Kind.TWINNINGS, file_name=path.name, actor=actor
            )
            work = _Import(
                run=run,
                actor=actor,
                theme_ids=theme_ids,
                gazetteer_factory=gazetteer_factory,
                report=report_writer,
            )
            batch = [first]
            for row in rows:
                batch.append(row)
                if len(batch) >= batch_size:
                    work.batch(batch)
                    batch = []
                    if progress:
                        progress(work.result.rows, max(total, work.result.rows))
            work.batch(batch)
            if progress:
                progress(work.result.rows, work.result.rows)
            result = work.result
            # Places whose coordinates lie outside their country go to the review queue.
            checked = municipalities_coordinates_check(
                actor=actor,
                municipalities=Municipality.objects.filter(pk__in=work.created_places),
                run=run,
            )
            run.file_sha256 = source.hexdigest()
            run.counts = {**result.counts(), "coordinates_to_review": len(checked.moved)}
            run.finished_at = timezone.now()
            run.save(update_fields=["file_sha256", "counts", "finished_at"])
        if report:
            pending.seek(0)
            write_report(Path(report), pending, result)
    table_statistics_refresh(Municipality, Partnership)
    # Bulk writes send no signals: the search index follows here. The import only adds places
    # and partnerships (a pair already stored is left as it is), so only those are indexed.
    search_registry_add(
        municipalities=work.created_places,
        partnerships=Partnership.objects.filter(import_run=run).values_list("pk", flat=True),
    )
    return result
