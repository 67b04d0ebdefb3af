"""Reads for the page layout: links to translated pages with a fixed, small number of queries."""

import dataclasses
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db.models import Q
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page

from partnerportal.core.versions import ChangeVersion
from partnerportal.geo.models import Country
from partnerportal.registry.models import Municipality, Partnership, Programme, Theme

from .models import ArticlePage, FormatPage, LegalPages, PracticeExample, ProgrammePage

LEGAL_FIELDS = ("imprint_page", "privacy_page", "accessibility_page")
#: Moved by content/signals.py whenever pages or the legal-pages setting change.
LAYOUT_VERSION = ChangeVersion("content:layout-version")
LAYOUT_CACHE_SECONDS = 60 * 60 * 24


def layout_changed() -> None:
    """Pages or settings that the layout shows changed: every cached footer is stale."""
    LAYOUT_VERSION.changed()


def page_translation_urls(request: HttpRequest, page: Page) -> dict[str, str]:
    """URL of each live translation of `page`, by language code (one query per page and
    request: the language links and the page's metadata both ask)."""
    known = request.__dict__.setdefault("_page_translation_urls", {})
    if page.pk not in known:
        translations = Page.objects.filter(
            translation_key=page.translation_key, live=True
        ).select_related("locale")
        known[page.pk] = {p.locale.language_code: p.get_url(request) for p in translations}
    return dict(known[page.pk])


def legal_page_links(request: HttpRequest) -> dict[str, str]:
    """Footer links (imprint, privacy, accessibility) in the active language, falling back to the
    default language where a page has no translation yet. Every page shows them, so they are
    cached per host and language until pages or the setting change (content/signals.py)."""
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 page for a forged host needs no footer links
        return {}
    key = f"content:legal-links:{LAYOUT_VERSION.current()!r}:{host}:{get_language()}"
    return cache.get_or_set(key, lambda: _legal_page_links(request), LAYOUT_CACHE_SECONDS)


def _legal_page_links(request: HttpRequest) -> dict[str, str]:
    legal = LegalPages.for_request(request)
    ids = {
        field: getattr(legal, f"{field}_id")
        for field in LEGAL_FIELDS
        if getattr(legal, f"{field}_id")
    }
    if not ids:
        return {}
    active, default = get_language(), settings.LANGUAGE_CODE
    keys_by_id = dict(Page.objects.filter(pk__in=ids.values()).values_list("pk", "translation_key"))
    candidates = Page.objects.filter(
        translation_key__in=keys_by_id.values(),
        locale__language_code__in={active, default},
        live=True,
    ).select_related("locale")
    by_key: dict = {}
    for page in candidates:
        if page.locale.language_code == active or page.translation_key not in by_key:
            by_key[page.translation_key] = page
    links = {}
    for field, page_id in ids.items():
        page = by_key.get(keys_by_id.get(page_id))
        if page is not None:
            links[field] = page.get_url(request)
    return links


# --- What the article, programme and format pages show (a fixed number of queries each) ------


@dataclass(frozen=True)
class ArticleLink:
    """An article in a short list: enough for a title link, its kind and date."""

    title: str
    url: str
    kind: str
    date: object
    teaser: str


@dataclass(frozen=True)
class AboutLinks:
    """ "What it is about": the registry records an article names, each with its page."""

    municipalities: list = dataclasses.field(default_factory=list)
    partnerships: list = dataclasses.field(default_factory=list)
    countries: list = dataclasses.field(default_factory=list)
    programmes: list = dataclasses.field(default_factory=list)  # (programme, url or "")
    themes: list = dataclasses.field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(
            self.municipalities
            or self.partnerships
            or self.countries
            or self.programmes
            or self.themes
        )


def programme_page_urls(request: HttpRequest | None, programme_ids: list[int]) -> dict[int, str]:
    """The live programme page of each programme, in the reader's language where there is one
    (one query)."""
    if not programme_ids:
        return {}
    active = get_language()
    urls: dict[int, str] = {}
    pages = (
        ProgrammePage.objects.live()
        .filter(programme_id__in=programme_ids)
        .select_related("locale")
        .order_by("pk")
    )
    for page in pages:
        if page.programme_id not in urls or page.locale.language_code == active:
            urls[page.programme_id] = page.get_url(request)
    return urls


def article_about(page, request: HttpRequest | None = None) -> AboutLinks:
    """The municipalities, public partnerships, countries, programmes (linked to their programme
    page) and themes an article is about. Hidden (proposed) partnerships are left out."""
    if page.pk is None:
        return AboutLinks()
    programmes = list(Programme.objects.filter(articles=page).order_by("name"))
    urls = programme_page_urls(request, [programme.pk for programme in programmes])
    return AboutLinks(
        municipalities=list(
            Municipality.objects.filter(articles=page).select_related("country").order_by("name")
        ),
        partnerships=list(
            Partnership.objects.public()
            .filter(articles=page)
            .select_related("municipality_a", "municipality_b")
            .order_by("pk")
        ),
        countries=sorted(Country.objects.filter(articles=page), key=lambda c: c.name),
        programmes=[(programme, urls.get(programme.pk, "")) for programme in programmes],
        themes=list(Theme.objects.filter(articles=page)),
    )


def _article_links(queryset, request: HttpRequest | None, limit: int) -> list[ArticleLink]:
    rows = queryset.order_by("-date", "-pk")[:limit]
    return [
        ArticleLink(
            title=row.title,
            url=row.get_url(request),
            kind=capfirst(row.specific_class._meta.verbose_name) if row.specific_class else "",
            date=row.date,
            teaser=row.teaser,
        )
        for row in rows
    ]


def articles_about_programme(
    programme_id: int | None, *, locale_id: int, request: HttpRequest | None = None, limit: int = 5
) -> list[ArticleLink]:
    """The latest live articles about a programme in the page's language (one query)."""
    if programme_id is None:
        return []
    queryset = ArticlePage.objects.live().filter(programmes=programme_id, locale_id=locale_id)
    return _article_links(queryset, request, limit)


def programme_format_pages(page, request: HttpRequest | None = None) -> list:
    """The live format pages of a programme: below its page, or naming its programme, in the
    page's language (one query)."""
    condition = Q(path__startswith=page.path, depth=page.depth + 1)
    if page.programme_id:
        condition |= Q(programme_id=page.programme_id)
    return list(
        FormatPage.objects.live().filter(condition, locale_id=page.locale_id).order_by("title")
    )


# --- Practice examples submitted by municipal editors ------------------------------------------


def partnerships_for_submission(user) -> list[Partnership]:
    """The public partnerships of the municipalities `user` edits, by partner name."""
    from partnerportal.accounts.roles import edited_municipality_ids

    ids = edited_municipality_ids(user)
    if not ids:
        return []
    return list(
        Partnership.objects.public()
        .filter(Q(municipality_a_id__in=ids) | Q(municipality_b_id__in=ids))
        .select_related("municipality_a", "municipality_b")
        .order_by("municipality_a__name", "municipality_b__name")
    )


@dataclass(frozen=True)
class Submission:
    page: PracticeExample
    state: str  # one of SUBMISSION_STATES
    label: str
    comment: str
    url: str


def _submission_labels() -> dict[str, str]:
    return {
        "published": _("published"),
        "scheduled": _("approved, to be published on a set date"),
        "in_review": _("waiting for review"),
        "sent_back": _("sent back for changes"),
        "draft": _("not submitted"),
    }


def practice_example_submissions(user, municipality=None) -> list[Submission]:
    """The practice examples `user` owns (those they submitted), newest first, with where each
    stands in the review; with `municipality`, those about its partnerships. Three queries."""
    from wagtail.models import WorkflowState

    pages = PracticeExample.objects.filter(owner=user).order_by("-pk")
    if municipality is not None:
        pages = pages.filter(
            Q(partnerships__municipality_a=municipality)
            | Q(partnerships__municipality_b=municipality)
        ).distinct()
    pages = list(pages[:50])
    if not pages:
        return []
    states = {}
    for state in (
        WorkflowState.objects.filter(
            base_content_type=pages[0].get_base_content_type(),
            object_id__in=[str(page.pk) for page in pages],
        )
        .select_related("current_task_state")
        .order_by("created_at", "pk")
    ):
        states[state.object_id] = state  # the newest wins
    labels = _submission_labels()
    result = []
    for page in pages:
        state = states.get(str(page.pk))
        comment = ""
        if page.live:
            key = "published"
        elif state is not None and state.status == WorkflowState.STATUS_APPROVED:
            key = "scheduled"
        elif state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
            key = "in_review"
        elif state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            key = "sent_back"
            comment = state.current_task_state.comment if state.current_task_state else ""
        else:
            key = "draft"
        result.append(
            Submission(
                page=page,
                state=key,
                label=labels[key],
                comment=comment,
                url=page.url if page.live else "",
            )
        )
    return result
