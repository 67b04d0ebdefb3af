"""What content makes searchable (core.search): every live page that everyone may see, in its
own language. Unpublished pages, pages scheduled for later (not live until Wagtail publishes
them) and pages behind a view restriction are never documents."""

from collections.abc import Iterable

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
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

#: Fields of the page models whose text is searched (besides the title).
_SKIPPED = {f.name for f in Page._meta.get_fields()}


def _pages() -> models.QuerySet:
    return Page.objects.live().public().filter(depth__gt=1).select_related("locale")


def _field_text(page: Page, field: models.Field) -> str:
    value = getattr(page, field.name, None)
    if not value:
        return ""
    if isinstance(field, StreamField):
        return " ".join(str(t) for t in field.stream_block.get_searchable_content(value))
    if isinstance(field, RichTextField):
        return strip_tags(str(value)).replace("\xa0", " ")
    return str(value)


def _text(page: Page) -> str:
    parts = [page.search_description]
    for field in type(page)._meta.get_fields():
        if field.name in _SKIPPED or not getattr(field, "concrete", False):
            continue
        if isinstance(field, models.TextField | models.CharField | StreamField):
            parts.append(_field_text(page, field))
    return " ".join(p for p in parts if p)


def _codes(page: Page, relation: str, attribute: str) -> list[str]:
    """A page's related themes or countries (the article pages have them), by their codes."""
    manager = getattr(page, relation, None)
    if manager is None or not hasattr(manager, "all"):
        return []
    return [str(getattr(obj, attribute)) for obj in manager.all()]


def _page_documents(rows: Iterable[Page]) -> Iterable[DocumentData]:
    pks = [row.pk for row in rows]
    for page in _pages().filter(pk__in=pks).specific(defer=False):
        date = getattr(page, "date", None) or (
            page.first_published_at.date() if page.first_published_at else None
        )
        countries = _codes(page, "countries", "iso2")
        countries += [m.country_id for m in getattr(page, "municipalities", Page.objects.none()).all()] if hasattr(page, "municipalities") else []
        yield DocumentData(
            key=str(page.pk),
            title=page.title,
            url=page.get_url() or "",
            body=_text(page),
            language=page.locale.language_code,
            date=date,
            themes=_codes(page, "themes", "code"),
            countries=countries,
        )


def _page_and_descendants(page: Page) -> None:
    source = search_source("page")
    pages = Page.objects.descendant_of(page, inclusive=True)
    search_documents_remove(source=source, keys=[str(pk) for pk in pages.values_list("pk", flat=True)])
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
        lambda sender, instance, **kw: isinstance(instance, Page)
        and search_object_deleted(instance),
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
