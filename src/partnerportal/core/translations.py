"""Which pages lack a translation, and which translations are older than their source: the back
office's translation report (core/admin_views.py) and its dashboard panel.

Generic over every Wagtail page type, whatever app defines it: a page and its translations share
a `translation_key`. The source is the page in the default locale (German); a group without a
German page takes its oldest page as the source. A translation is *out of date* when its source
was changed (its latest revision, draft or published) after the translation was last changed —
which is when wagtail-localize last wrote it or an editor last saved it. An alias page in
another locale (Wagtail's synchronised page tree) shows the source's own text: it counts as
*missing* until someone translates it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page


class TranslationState(StrEnum):
    MISSING = "missing"
    OUTDATED = "outdated"
    CURRENT = "current"

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self])


STATE_LABELS = {
    TranslationState.MISSING: _("missing"),
    TranslationState.OUTDATED: _("out of date"),
    TranslationState.CURRENT: _("current"),
}


@dataclass(frozen=True)
class TranslationCell:
    locale: Locale
    state: TranslationState
    #: The translated page (None while missing; the alias while it is only an alias).
    page_id: int | None
    changed_at: datetime | None


@dataclass(frozen=True)
class PageTranslations:
    page_id: int
    title: str
    locale: Locale
    changed_at: datetime | None
    cells: list[TranslationCell]

    @property
    def states(self) -> set[TranslationState]:
        return {cell.state for cell in self.cells}


@dataclass
class TranslationReport:
    #: The locales translations are expected in (every locale but the source's, per row).
    locales: list[Locale]
    rows: list[PageTranslations]
    #: (language code, state) -> number of pages, over all rows.
    totals: Counter = field(default_factory=Counter)

    def count(self, state: TranslationState) -> int:
        return sum(n for (_code, s), n in self.totals.items() if s == state)


def _changed_at(values: dict) -> datetime | None:
    return (
        values["latest_revision_created_at"]
        or values["last_published_at"]
        or values["first_published_at"]
    )


def _state(source: dict, translation: dict | None) -> TranslationState:
    if translation is None or translation["alias_of_id"] is not None:
        return TranslationState.MISSING
    source_changed, translation_changed = _changed_at(source), _changed_at(translation)
    if source_changed is None:
        return TranslationState.CURRENT
    if translation_changed is None or translation_changed < source_changed:
        return TranslationState.OUTDATED
    return TranslationState.CURRENT


def translation_report(*, state: str | None = None, search: str = "") -> TranslationReport:
    """Every page (but the tree's root) with the state of its translation in each content
    locale. `state` keeps the rows with at least one cell in that state; `search` filters by the
    source's title. Two queries whatever the number of pages: locales, then the pages' dates."""
    locales = sorted(
        Locale.objects.filter(
            language_code__in=[code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
        ),
        key=_language_order,
    )
    default = next((loc for loc in locales if loc.language_code == settings.LANGUAGE_CODE), None)
    by_id = {loc.pk: loc for loc in locales}
    pages = Page.objects.filter(depth__gt=1, locale_id__in=by_id).order_by("path")
    groups: dict = {}
    for values in pages.values(
        "pk",
        "title",
        "translation_key",
        "locale_id",
        "alias_of_id",
        "latest_revision_created_at",
        "last_published_at",
        "first_published_at",
    ):
        groups.setdefault(values["translation_key"], []).append(values)

    report = TranslationReport(locales=locales, rows=[])
    for group in groups.values():
        source = next(
            (v for v in group if default and v["locale_id"] == default.pk and not v["alias_of_id"]),
            None,
        ) or min(group, key=lambda v: (v["alias_of_id"] is not None, v["pk"]))
        by_locale = {v["locale_id"]: v for v in group if v is not source}
        cells = []
        for locale in locales:
            if locale.pk == source["locale_id"]:
                continue
            translation = by_locale.get(locale.pk)
            cell_state = _state(source, translation)
            cells.append(
                TranslationCell(
                    locale=locale,
                    state=cell_state,
                    page_id=translation["pk"] if translation else None,
                    changed_at=_changed_at(translation) if translation else None,
                )
            )
            report.totals[(locale.language_code, cell_state)] += 1
        row = PageTranslations(
            page_id=source["pk"],
            title=source["title"],
            locale=by_id[source["locale_id"]],
            changed_at=_changed_at(source),
            cells=cells,
        )
        if state and state not in row.states:
            continue
        if search and search.casefold() not in row.title.casefold():
            continue
        report.rows.append(row)
    return report


def _language_order(locale: Locale) -> int:
    codes = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    return codes.index(locale.language_code) if locale.language_code in codes else len(codes)


def translation_locales_ensure(*, using: str = "default") -> None:
    """A Wagtail locale for every content language, so that pages can be translated into each
    (idempotent; run after migrate)."""
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.using(using).get_or_create(language_code=code)
