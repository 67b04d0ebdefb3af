"""Reads of content: the layout's links to translated pages, and the articles (the listing with
its filters, the latest ones for the home page and the registry's pages, the practice examples
on the atlas), each with a fixed, small number of queries."""

from __future__ import annotations

import dataclasses
import operator
from dataclasses import dataclass
from functools import reduce

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db.models import Case, Count, F, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber, Substr
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from partnerportal.core.i18n import name_field
from partnerportal.core.versions import ChangeVersion
from partnerportal.geo.models import Country
from partnerportal.registry.models import Municipality, Partnership, Programme, Theme

from .models import (
    ArticleIndexPage,
    ArticlePage,
    FormatPage,
    Interview,
    LegalPages,
    NewsArticle,
    PracticeExample,
    ProgrammePage,
)

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


# --- Articles: the listing, the latest, the pages of the registry, the atlas layer -------------

#: The kinds of article as the listing's type filter names them (the query string's values).
ARTICLE_KINDS = {
    "news": NewsArticle,
    "interview": Interview,
    "practice": PracticeExample,
}
#: What the home page and the news sections count as news (the agency's interviews are news).
NEWS_KINDS = ("news", "interview")
PRACTICE_KINDS = ("practice",)
#: The thumbnail of a card: one rendition, prefetched with the page (no query per card).
CARD_RENDITION = "fill-480x270"


@dataclass(frozen=True)
class ArticleFilters:
    """The listing's filters, already checked (see forms.ArticleFilterForm). Empty means all."""

    year: int | None = None
    theme: str = ""
    region: str = ""
    country: str = ""
    kinds: tuple[str, ...] = ()
    municipality: int | None = None
    partnership: int | None = None
    #: A Land (its name): the articles about its municipalities and their partnerships.
    state: str = ""

    @property
    def about(self) -> bool:
        """Set by a link from a registry page rather than by the form's visible fields."""
        return bool(self.municipality or self.partnership or self.state)


def _kind_by_content_type() -> dict[int, str]:
    """content type id -> kind; ContentType's own cache answers after the first call."""
    return {
        ContentType.objects.get_for_model(model, for_concrete_model=False).pk: kind
        for kind, model in ARTICLE_KINDS.items()
    }


def private_q() -> Q:
    """The pages behind a view restriction (one query). Wagtail's .public() asks again for every
    queryset; a page that shows several lists (the home page) asks once and passes it on."""
    return Page.objects.all().private_q()


def _visible(queryset: QuerySet, locale: Locale | int, private: Q | None) -> QuerySet:
    """Live, public pages of `locale` inside their publishing window. Wagtail's scheduler takes
    a page live and off again when cron runs it; until then the dates themselves decide, so a
    page never shows early or late."""
    now = timezone.now()
    return (
        queryset.live()
        .exclude(private_q() if private is None else private)
        .filter(locale=locale)
        .filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
    )


def live_articles(locale: Locale | int, *, private: Q | None = None) -> QuerySet[ArticlePage]:
    """Articles anyone may read now in `locale` (see _visible); `private` from private_q()."""
    return _visible(ArticlePage.objects.all(), locale, private)


def _about_country(country: str) -> Q:
    """An article is about a country if it names it, or a municipality or partnership in it.
    Only public partnerships count: a proposed one must not show through the filters."""
    return (
        Q(countries=country)
        | Q(municipalities__country=country)
        | Q(partnerships__municipality_a__country=country, partnerships__is_confirmed=True)
        | Q(partnerships__municipality_b__country=country, partnerships__is_confirmed=True)
    )


def _about_region(region: str) -> Q:
    return (
        Q(countries__world_region=region)
        | Q(municipalities__country__world_region=region)
        | Q(
            partnerships__municipality_a__country__world_region=region,
            partnerships__is_confirmed=True,
        )
        | Q(
            partnerships__municipality_b__country__world_region=region,
            partnerships__is_confirmed=True,
        )
    )


def _about_municipality(pk: int) -> Q:
    """Named itself, or through one of its partnerships."""
    return (
        Q(municipalities=pk)
        | Q(partnerships__municipality_a=pk, partnerships__is_confirmed=True)
        | Q(partnerships__municipality_b=pk, partnerships__is_confirmed=True)
    )


def _about_state(state: str) -> Q:
    return (
        Q(municipalities__state=state)
        | Q(partnerships__municipality_a__state=state, partnerships__is_confirmed=True)
        | Q(partnerships__municipality_b__state=state, partnerships__is_confirmed=True)
    )


def _matching(condition: Q) -> QuerySet:
    """The ids of articles matching a condition across many-to-many joins, as a subquery: the
    joins would repeat an article once per match, the subquery keeps the list flat."""
    return ArticlePage.objects.filter(condition).values("pk")


def articles_filter(queryset: QuerySet[ArticlePage], filters: ArticleFilters) -> QuerySet:
    if filters.year:
        queryset = queryset.filter(date__year=filters.year)
    if filters.kinds:
        kinds = _kind_by_content_type()
        queryset = queryset.filter(
            content_type_id__in=[pk for pk, kind in kinds.items() if kind in filters.kinds]
        )
    if filters.theme:
        queryset = queryset.filter(pk__in=_matching(Q(themes__code=filters.theme)))
    if filters.country:
        queryset = queryset.filter(pk__in=_matching(_about_country(filters.country)))
    if filters.region:
        queryset = queryset.filter(pk__in=_matching(_about_region(filters.region)))
    if filters.municipality:
        queryset = queryset.filter(pk__in=_matching(_about_municipality(filters.municipality)))
    if filters.partnership:
        queryset = queryset.filter(
            pk__in=_matching(Q(partnerships=filters.partnership, partnerships__is_confirmed=True))
        )
    if filters.state:
        queryset = queryset.filter(pk__in=_matching(_about_state(filters.state)))
    return queryset


def article_list(
    *,
    filters: ArticleFilters,
    locale: Locale | int,
    within: Page | None = None,
    scope: QuerySet[ArticlePage] | None = None,
) -> QuerySet[ArticlePage]:
    """The articles of a listing, newest first: live and public in `locale`, filtered, and
    below `within` (an article index page) when given. `scope` (from article_scope) saves the
    query for view restrictions that each new live_articles() costs. Cards need the lead image
    and its thumbnail: article_cards adds them."""
    if scope is None:
        scope = article_scope(locale, within)
    return articles_filter(scope, filters).order_by("-date", "-pk")


def article_scope(
    locale: Locale | int, within: Page | None = None, *, private: Q | None = None
) -> QuerySet[ArticlePage]:
    """The live articles of `locale`, below `within` when given: what a list holds before its
    filters, shared by its year and type filters and the list itself."""
    queryset = live_articles(locale, private=private)
    return queryset.descendant_of(within) if within is not None else queryset


@dataclass(frozen=True)
class ArticleCard:
    """What a card shows: an article without its body, its kind resolved."""

    page: ArticlePage
    kind: str
    kind_label: str
    url: str


def article_cards(pages, request: HttpRequest | None = None) -> list[ArticleCard]:
    """Cards for a page of articles with a fixed number of queries: the lead images and their
    thumbnail renditions in one prefetch each, the URLs from Wagtail's per-request site cache."""
    pages = list(pages)
    if not pages:
        return []
    image_ids = {page.lead_image_id for page in pages if page.lead_image_id}
    if image_ids:
        images = (
            get_image_model().objects.filter(pk__in=image_ids).prefetch_renditions(CARD_RENDITION)
        )
        by_id = {image.pk: image for image in images}
        for page in pages:
            if page.lead_image_id:
                page.lead_image = by_id.get(page.lead_image_id)
    kinds = _kind_by_content_type()
    labels = {kind: model._meta.verbose_name for kind, model in ARTICLE_KINDS.items()}
    cards = []
    for page in pages:
        kind = kinds.get(page.content_type_id, "news")
        cards.append(
            ArticleCard(
                page=page, kind=kind, kind_label=str(labels[kind]), url=page.get_url(request)
            )
        )
    return cards


def article_years(scope: QuerySet[ArticlePage]) -> list[int]:
    """The years that have articles, newest first, for the year filter (one query)."""
    return [day.year for day in scope.dates("date", "year", order="DESC")]


def article_kinds(scope: QuerySet[ArticlePage]) -> list[str]:
    """The kinds of article in `scope`, in the order of ARTICLE_KINDS (one query)."""
    kinds = _kind_by_content_type()
    present = set(scope.order_by().values_list("content_type_id", flat=True).distinct())
    found = {kinds[pk] for pk in present if pk in kinds}
    return [kind for kind in ARTICLE_KINDS if kind in found]


def latest_by_group(
    scope: QuerySet[ArticlePage], groups: dict[str, tuple[tuple[str, ...], int]]
) -> dict[str, list[ArticlePage]]:
    """The newest articles of several groups of kinds in one query, e.g. the home page's
    {"news": (NEWS_KINDS, 4), "practice": (PRACTICE_KINDS, 3)}: each group ranked by date
    (a window function), the first n of each kept."""
    kinds = _kind_by_content_type()
    whens = []
    limits = []
    for number, (group_kinds, limit) in enumerate(groups.values()):
        ids = [pk for pk, kind in kinds.items() if kind in group_kinds]
        whens.append(When(content_type_id__in=ids, then=Value(number)))
        limits.append(Q(group=number, rank__lte=limit))
    queryset = (
        scope.annotate(group=Case(*whens, default=Value(-1)))
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("group")], order_by=[F("date").desc(), F("pk").desc()]
            )
        )
        .filter(reduce(operator.or_, limits))
        .order_by("group", "rank")
    )
    found: dict[str, list[ArticlePage]] = {name: [] for name in groups}
    names = list(groups)
    for page in queryset:
        found[names[page.group]].append(page)
    return found


def article_indexes(locale: Locale | int, *, private: Q | None = None) -> list[ArticleIndexPage]:
    """The live article lists of a language (the news, the practice examples), in tree order."""
    return list(
        _visible(ArticleIndexPage.objects.all(), locale, private)
        .only("id", "title", "url_path", "path", "depth", "locale_id")
        .order_by("path")
    )


def article_index_counts(
    indexes: list[ArticleIndexPage], queryset: QuerySet[ArticlePage]
) -> list[tuple[ArticleIndexPage, int]]:
    """How many of `queryset`'s articles each list holds (one query): an article belongs to the
    list whose path begins its own."""
    if not indexes:
        return []
    counts: dict[str, int] = {}
    lengths = {len(index.path) for index in indexes}
    for length in lengths:
        rows = (
            queryset.order_by()
            .annotate(prefix=Substr("path", 1, length))
            .values("prefix")
            .annotate(n=Count("pk", distinct=True))
            .values_list("prefix", "n")
        )
        counts.update(dict(rows))
    return [(index, counts.get(index.path, 0)) for index in indexes]


def programme_pages(locale: Locale | int, *, private: Q | None = None) -> list[ProgrammePage]:
    """The live programme pages of a language, for the home page."""
    return list(
        _visible(ProgrammePage.objects.all(), locale, private)
        .only("id", "title", "url_path", "teaser", "path", "depth", "locale_id")
        .order_by("path")
    )


@dataclass(frozen=True)
class PracticePoint:
    """A practice example placed at one of its municipalities."""

    article: ArticlePage
    municipality_id: int
    name: str
    country: str
    latitude: float
    longitude: float


def practice_example_points(locale: Locale | int) -> list[PracticePoint]:
    """Every live practice example at each municipality it names, itself or through a
    partnership (both sides), that has coordinates. Two queries, whatever the number."""
    examples = {
        page.pk: page
        for page in article_list(filters=ArticleFilters(kinds=PRACTICE_KINDS), locale=locale)
    }
    if not examples:
        return []
    through_m = ArticlePage.municipalities.through
    through_p = ArticlePage.partnerships.through
    pairs: set[tuple[int, int]] = set(
        through_m.objects.filter(articlepage_id__in=examples).values_list(
            "articlepage_id", "municipality_id"
        )
    )
    for article_id, side_a, side_b in through_p.objects.filter(
        articlepage_id__in=examples, partnership__is_confirmed=True
    ).values_list(
        "articlepage_id", "partnership__municipality_a_id", "partnership__municipality_b_id"
    ):
        pairs.add((article_id, side_a))
        pairs.add((article_id, side_b))
    places = {
        row[0]: row
        for row in Municipality.objects.filter(
            pk__in={municipality for _article, municipality in pairs},
            latitude__isnull=False,
            longitude__isnull=False,
        ).values_list("pk", "name", "country__" + name_field(), "latitude", "longitude")
    }
    points = []
    for article_id, municipality_id in sorted(pairs):
        place = places.get(municipality_id)
        if place is None:
            continue
        points.append(
            PracticePoint(
                article=examples[article_id],
                municipality_id=municipality_id,
                name=place[1],
                country=place[2],
                latitude=place[3],
                longitude=place[4],
            )
        )
    points.sort(key=lambda p: (-p.article.date.toordinal(), -p.article.pk, p.name))
    return points
