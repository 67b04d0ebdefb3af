"""Reads for the page layout: links to translated pages with a fixed, small number of queries."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.utils.translation import get_language
from wagtail.models import Page

from partnerportal.core.versions import ChangeVersion

from .models import LegalPages

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
