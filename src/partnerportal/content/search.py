"""What content makes searchable (core.search): every live page that everyone may see, in its
own language. Unpublished pages, pages scheduled for later (not live until Wagtail publishes
them) and pages behind a view restriction are never documents."""

from collections.abc import Iterable

from django.db import models
from django.db.models import prefetch_related_objects
from django.db.models.signals import post_delete, post_save
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished, post_page_move

from partnerportal.core.search.services import (
    search_documents_remove,
    search_documents_sync,
    search_object_changed,
    search_object_deleted,
)
from partnerportal.core.search.sources import (
    DocumentData,
    SearchSource,
    search_source,
    search_source_register,
)

from .models import ArticlePage


def _pages() -> models.QuerySet:
    return Page.objects.live().public().filter(depth__gt=1).select_related("locale")


def _text(page: Page) -> str:
    """The text of the fields the page's model declares searchable (besides the title), in
    their order: teaser before body, so that a snippet starts with the teaser."""
    parts = [page.search_description]
    for field in page.get_search_fields():
        if not isinstance(field, index.SearchField) or field.field_name == "title":
            continue
        value = getattr(page, field.field_name, None)
        if value is None or callable(value):
            continue
        model_field = field.get_field(type(page))
        if isinstance(model_field, StreamField):
            parts += [str(t) for t in model_field.stream_block.get_searchable_content(value)]
        elif isinstance(model_field, RichTextField):
            parts.append(strip_tags(str(value)).replace("\xa0", " "))
        else:
            parts.append(str(value))
    return " ".join(p for p in parts if p)


def _related(page: Page, relation: str) -> list:
    manager = getattr(page, relation, None)
    return list(manager.all()) if manager is not None and hasattr(manager, "all") else []


def _page_documents(rows: Iterable[Page]) -> Iterable[DocumentData]:
    pages = list(_pages().filter(pk__in=[row.pk for row in rows]).specific(defer=False))
    # What an article is about, for the facets: a few queries per batch, not per page.
    articles = [p for p in pages if isinstance(p, ArticlePage)]
    prefetch_related_objects(
        articles, "themes", "countries", "municipalities", "partnerships__themes"
    )
    root_paths = Site.get_site_root_paths()
    for page in pages:
        page._wagtail_cached_site_root_paths = root_paths  # one look-up per batch
        partnerships = _related(page, "partnerships")
        themes = [t.code for t in _related(page, "themes")]
        themes += [t.code for p in partnerships for t in p.themes.all()]
        countries = [c.iso2 for c in _related(page, "countries")]
        countries += [m.country_id for m in _related(page, "municipalities")]
        yield DocumentData(
            key=str(page.pk),
            title=page.title,
            url=page.get_url() or "",
            body=_text(page),
            language=page.locale.language_code,
            date=getattr(page, "date", None)
            or (page.first_published_at.date() if page.first_published_at else None),
            themes=themes,
            countries=countries,
        )


def _page_and_descendants(page: Page) -> None:
    source = search_source("page")
    pages = Page.objects.descendant_of(page, inclusive=True)
    search_documents_remove(
        source=source, keys=[str(pk) for pk in pages.values_list("pk", flat=True)]
    )
    search_documents_sync(source=source, objects=list(_pages().descendant_of(page, inclusive=True)))


def _restriction_changed(sender, instance: PageViewRestriction, **kwargs) -> None:
    _page_and_descendants(instance.page)


def _moved(sender, instance: Page, **kwargs) -> None:
    _page_and_descendants(instance)


def search_register() -> None:
    search_source_register(
        SearchSource(
            type="page",
            label=_("Page"),
            label_plural=_("Pages"),
            model=Page,
            objects=_pages,
            documents=_page_documents,
            batch_size=500,
        )
    )
    page_published.connect(
        lambda sender, instance, **kw: search_object_changed(instance),
        weak=False,
        dispatch_uid="content-search-published",
    )
    page_unpublished.connect(
        lambda sender, instance, **kw: search_object_changed(instance),
        weak=False,
        dispatch_uid="content-search-unpublished",
    )
    post_delete.connect(
        lambda sender, instance, **kw: (
            isinstance(instance, Page) and search_object_deleted(instance)
        ),
        weak=False,
        dispatch_uid="content-search-deleted",
    )
    post_page_move.connect(_moved, dispatch_uid="content-search-moved")
    post_save.connect(
        _restriction_changed, sender=PageViewRestriction, dispatch_uid="content-search-restricted"
    )
    post_delete.connect(
        _restriction_changed, sender=PageViewRestriction, dispatch_uid="content-search-unrestricted"
    )
