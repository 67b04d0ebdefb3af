"""Import of a news archive from JSON Lines: one article per line.

    {"id": "2021-117", "title": "…", "date": "2021-11-26", "place": "Bonn", "teaser": "…",
     "body": "<p>…</p>", "tags": ["Ruanda", "Fachkräfte"], "language": "de"}

Every line is checked before anything is written (JSON, fields, types, date, language, lengths,
the news list of its language); a file with a bad line imports nothing and names each bad line
with its reasons, unless `skip_invalid` imports the good lines and reports the others. Writing is
one transaction. An article is known again by its key (`ArticlePage.source_key`): the language
and the line's `id`, or without one the language, the date and the title's slug; a re-run
updates the article and never makes a second one. Bodies are HTML or plain text; both end up as
what Wagtail's rich text editor allows (content/richtext.py), so no script survives.

Lines are read one at a time (bounded memory); a line over 1 MB is refused as a bad line."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from partnerportal.core.text import ascii_slug
from partnerportal.registry.importers.errors import ImportFileError
from partnerportal.registry.importers.outcome import ImportOutcome, number
from partnerportal.registry.importers.reading import MAX_LINE_BYTES, check_size

from .models import ArticleIndexPage, ArticlePage, ArticleTag, NewsArticle
from .publishing import news_index
from .richtext import BLOCK_KEY, body_to_richtext

#: Progress is reported every so many lines.
PROGRESS_EVERY = 1000
MAX_TAGS = 30
MAX_TAG_LENGTH = 100
MAX_ID_LENGTH = 200
REQUIRED = ("title", "date", "teaser", "language")
OPTIONAL = ("id", "place", "body", "tags")
#: progress("checked" or "written", how many so far)
Progress = Callable[[str, int], None]


class ArticleImportRefused(Exception):
    """The file has bad lines (and skip_invalid was not asked for): nothing was imported."""

    def __init__(self, errors: list[ImportFileError]) -> None:
        self.errors = errors
        super().__init__(
            _("%(count)s lines cannot be imported; nothing was imported.")
            % {"count": number(len(errors))}
        )


@dataclass
class ArticleLine:
    """One good line, checked and converted."""

    line: int
    key: str
    language: str
    title: str
    date: date
    place: str
    teaser: str
    body: str
    tags: list[str]


@dataclass
class ArticleImportOutcome(ImportOutcome):
    file_name: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    draft: bool = False
    invalid: list[ImportFileError] = field(default_factory=list)

    def counts(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": len(self.invalid),
        }

    def headline(self) -> str:
        return _("Articles: %(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": number(self.created),
            "updated": number(self.updated),
            "unchanged": number(self.unchanged),
        }

    def details(self) -> list[str]:
        lines = []
        if self.draft:
            lines.append(_("Saved as drafts: nothing new was published."))
        if self.invalid:
            lines.append(
                _("%(count)s lines were not imported:") % {"count": number(len(self.invalid))}
            )
            lines.extend(f"  {error}" for error in self.invalid)
        return lines

    def source(self) -> str:
        return self.file_name


# --- Reading and checking -----------------------------------------------------------------------


def _lines(path: Path):
    """(line number, text or None, error or None) for each line, one at a time; a line over
    MAX_LINE_BYTES is reported and skipped without being held."""
    number_ = 0
    with path.open("rb") as handle:
        while raw := handle.readline(MAX_LINE_BYTES + 1):
            number_ += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while (rest := handle.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                    pass
                yield (
                    number_,
                    None,
                    _("The line is longer than %(limit)s.")
                    % {"limit": filesizeformat(MAX_LINE_BYTES)},
                )
                continue
            if number_ == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                yield (
                    number_,
                    None,
                    _("Byte %(position)s is not UTF-8.") % {"position": error.start + 1},
                )
                continue
            if "\x00" in text:
                yield number_, None, _("The line contains a NUL byte, which no text may hold.")
                continue
            yield number_, text, None


def _text(data: dict, name: str, *, limit: int, required: bool, problems: list[str]) -> str:
    value = data.get(name)
    if value is None:
        if required:
            problems.append(_("“%(field)s” is missing.") % {"field": name})
        return ""
    if not isinstance(value, str):
        problems.append(_("“%(field)s” must be text.") % {"field": name})
        return ""
    value = value.strip()
    if required and not value:
        problems.append(_("“%(field)s” is empty.") % {"field": name})
    elif len(value) > limit:
        problems.append(
            _("“%(field)s” has %(length)s characters; at most %(limit)s are allowed.")
            % {"field": name, "length": number(len(value)), "limit": number(limit)}
        )
    return value


def _tags(data: dict, problems: list[str]) -> list[str]:
    value = data.get("tags")
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        problems.append(_("“tags” must be a list of texts."))
        return []
    tags = list(dict.fromkeys(tag.strip() for tag in value if tag.strip()))
    if len(tags) > MAX_TAGS:
        problems.append(
            _("“tags” has %(count)s entries; at most %(limit)s are allowed.")
            % {"count": len(tags), "limit": MAX_TAGS}
        )
    for tag in tags:
        if len(tag) > MAX_TAG_LENGTH or "," in tag or '"' in tag:
            problems.append(
                _(
                    "The tag “%(tag)s” is longer than %(limit)s characters or holds a comma or a "
                    "quotation mark."
                )
                % {"tag": tag[:40], "limit": MAX_TAG_LENGTH}
            )
    return tags


def _date(data: dict, problems: list[str]) -> date | None:
    value = data.get("date")
    if value is None:
        problems.append(_("“%(field)s” is missing.") % {"field": "date"})
        return None
    if not isinstance(value, str):
        problems.append(_("“date” must be a date as text, e.g. 2021-11-26."))
        return None
    text = value.strip()
    try:
        if len(text) == len("2021-11-26"):  # not the basic form 20211126 Python also reads
            return date.fromisoformat(text)
    except ValueError:
        pass
    problems.append(
        _("“date” is not a date of the form YYYY-MM-DD: %(value)s") % {"value": value[:40]}
    )
    return None


def _identity(data: dict, language: str, day: date | None, title: str, problems: list[str]):
    value = data.get("id")
    if value is not None:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            problems.append(_("“id” must be text or a whole number."))
            return ""
        value = str(value).strip()
        if not value or len(value) > MAX_ID_LENGTH:
            problems.append(
                _("“id” must have 1 to %(limit)s characters.") % {"limit": MAX_ID_LENGTH}
            )
            return ""
        return f"{language}:id:{value}"
    if day is None or not title:
        return ""
    return f"{language}:{day.isoformat()}:{ascii_slug(title, max_length=200)}"


def _check(line: int, text: str, languages: set[str]) -> tuple[ArticleLine | None, list[str]]:
    """The line as an ArticleLine, or the reasons it cannot be imported."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [
            _("The line is not valid JSON: %(message)s (column %(column)s).")
            % {"message": error.msg, "column": error.colno}
        ]
    if not isinstance(data, dict):
        return None, [_("The line must hold one JSON object ({…}).")]
    problems: list[str] = []
    unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        problems.append(
            _("Unknown fields: %(fields)s (known: %(known)s).")
            % {"fields": ", ".join(unknown), "known": ", ".join((*REQUIRED, *OPTIONAL))}
        )
    title = _text(data, "title", limit=255, required=True, problems=problems)
    teaser = _text(data, "teaser", limit=600, required=True, problems=problems)
    place = _text(data, "place", limit=120, required=False, problems=problems)
    body = _text(data, "body", limit=MAX_LINE_BYTES, required=False, problems=problems)
    language = _text(data, "language", limit=20, required=True, problems=problems)
    if language and language not in languages:
        problems.append(
            _("The language “%(language)s” is not one of this site's (%(known)s).")
            % {"language": language[:20], "known": ", ".join(sorted(languages))}
        )
    day = _date(data, problems)
    tags = _tags(data, problems)
    key = _identity(data, language, day, title, problems)
    if problems:
        return None, problems
    return (
        ArticleLine(line, key, language, title, day, place, teaser, body_to_richtext(body), tags),
        [],
    )


# --- Where the articles go ---------------------------------------------------------------------


def parent_resolve(parent: str | None) -> ArticleIndexPage | None:
    """The article list named by --parent (a page id or slug); None for "the news list of each
    language". ImportFileError if it names no article list."""
    if not parent:
        return None
    pages = Page.objects.filter(pk=int(parent)) if parent.isdigit() else Page.objects.none()
    if not pages.exists():
        pages = Page.objects.filter(slug=parent).order_by("path")
    page = pages.first()
    if page is None:
        raise ImportFileError(_("No page has the id or slug “%(parent)s”.") % {"parent": parent})
    if not isinstance(page.specific, ArticleIndexPage):
        raise ImportFileError(
            _("“%(title)s” is not an article list; articles go below an article list.")
            % {"title": page.title}
        )
    return page.specific


def _parents(
    languages: set[str], parent: ArticleIndexPage | None
) -> tuple[dict[str, ArticleIndexPage], dict[str, str]]:
    """The article list of each language, and for languages without one the reason."""
    found, missing = {}, {}
    for locale in Locale.objects.filter(language_code__in=languages):
        if parent is not None:
            index = parent if parent.locale_id == locale.pk else None
            if index is None:
                translated = parent.get_translation_or_none(locale)
                index = translated.specific if translated else None
        else:
            index = news_index(locale, live_only=False)
        if index is None:
            missing[locale.language_code] = _(
                "There is no news list in the language “%(language)s” to put the article in: "
                "create it (or its translation) in the back office first, or name one with "
                "--parent."
            ) % {"language": locale.language_code}
        else:
            found[locale.language_code] = index
    return found, missing


def _site_languages() -> set[str]:
    configured = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    return set(
        Locale.objects.filter(language_code__in=configured).values_list("language_code", flat=True)
    )


# --- Import -----------------------------------------------------------------------------------


def articles_import(
    path: Path,
    *,
    actor=None,
    parent: str | None = None,
    skip_invalid: bool = False,
    draft: bool = False,
    progress: Progress | None = None,
) -> ArticleImportOutcome:
    """Check every line of `path`, then create or update its articles in one transaction.
    ArticleImportRefused (nothing written) if a line is bad and `skip_invalid` is false;
    ImportFileError for a file that cannot be read at all (too large, empty, unknown parent)."""
    check_size(path)
    languages = _site_languages()
    index_parent = parent_resolve(parent)
    good: list[ArticleLine] = []
    errors: list[ImportFileError] = []
    seen: dict[str, int] = {}
    for line, text, problem in _lines(path):
        if progress and line % PROGRESS_EVERY == 0:
            progress("checked", line)
        if problem is not None:
            errors.append(ImportFileError(problem, line=line))
            continue
        if not text.strip():
            continue
        article, problems = _check(line, text, languages)
        if article is not None and article.key in seen:
            problems = [
                _("The same article as line %(line)s (same id, or same date and title).")
                % {"line": seen[article.key]}
            ]
        if problems:
            errors.append(ImportFileError(" ".join(problems), line=line))
            continue
        seen[article.key] = line
        good.append(article)
    if not good and not errors:
        raise ImportFileError(_("The file holds no article: nothing to import."))
    parents, missing = _parents({article.language for article in good}, index_parent)
    if missing:
        placed = []
        for article in good:
            if article.language in missing:
                errors.append(ImportFileError(missing[article.language], line=article.line))
            else:
                placed.append(article)
        good = placed
        errors.sort(key=lambda error: error.line or 0)
    if errors and not skip_invalid:
        raise ArticleImportRefused(errors)
    outcome = ArticleImportOutcome(run=None, file_name=path.name, draft=draft, invalid=errors)
    with transaction.atomic():
        keys = [article.key for article in good]
        existing = {
            page.source_key: page
            for page in ArticlePage.objects.filter(source_key__in=keys).specific()
        }
        tags: dict[int, list[str]] = {}
        for page_id, name in ArticleTag.objects.filter(
            content_object__source_key__in=keys
        ).values_list("content_object_id", "tag__name"):
            tags.setdefault(page_id, []).append(name)
        for done, article in enumerate(good, start=1):
            page = existing.get(article.key)
            if page is None:
                _create(article, parents[article.language], actor=actor, draft=draft)
                outcome.created += 1
            elif _update(page, article, tags.get(page.pk, []), actor=actor, draft=draft):
                outcome.updated += 1
            else:
                outcome.unchanged += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress("written", done)
    return outcome


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def _free_slug(parent: Page, title: str) -> str:
    base = ascii_slug(title, max_length=240) or "artikel"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, suffix = base, 1
    while slug in taken:
        suffix += 1
        slug = f"{base}-{suffix}"
    return slug


def _fields(article: ArticleLine) -> dict[str, Any]:
    return {
        "title": article.title,
        "date": article.date,
        "place": article.place,
        "teaser": article.teaser,
        "body": article.body,
    }


def _create(article: ArticleLine, parent: ArticleIndexPage, *, actor, draft: bool) -> None:
    page = NewsArticle(
        **_fields(article),
        slug=_free_slug(parent, article.title),
        source_key=article.key,
        locale_id=parent.locale_id,
        live=False,
    )
    if not draft:
        page.first_published_at = _midnight(article.date)
    parent.add_child(instance=page)
    page.tags.set(article.tags)
    revision = page.save_revision(user=actor, log_action=True)
    if not draft:
        revision.publish(user=actor)


def _without_block_keys(html: str) -> str:
    return BLOCK_KEY.sub("", html)


def _update(
    page: ArticlePage, article: ArticleLine, current_tags: list[str], *, actor, draft: bool
) -> bool:
    """Update the article from its line; False (and nothing saved) when nothing differs."""
    if page.has_unpublished_changes:
        page = page.get_latest_revision_as_object()
        current_tags = [tag.name for tag in page.tags.all()]
    fields = _fields(article)
    if _without_block_keys(page.body) == _without_block_keys(article.body):
        fields["body"] = page.body  # the same text: the editor's block keys differ each time
    if (
        all(getattr(page, name) == value for name, value in fields.items())
        and sorted(current_tags) == sorted(article.tags)
        and (draft or page.live)
    ):
        return False
    for name, value in fields.items():
        setattr(page, name, value)
    page.tags.set(article.tags)
    revision = page.save_revision(user=actor, log_action=True)
    if not draft:
        revision.publish(user=actor)
    return True
