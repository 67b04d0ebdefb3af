"""Publishing, unpublishing, moving or deleting a page, or changing which pages the footer
links, makes the cached layout (the footer's legal links) stale."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .models import LegalPages
from .selectors import layout_changed


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
def _page_changed(sender, **kwargs) -> None:
    layout_changed()


@receiver(post_delete)
def _page_deleted(sender, **kwargs) -> None:
    if issubclass(sender, Page):
        layout_changed()


@receiver(post_save, sender=LegalPages)
def _legal_pages_changed(sender, **kwargs) -> None:
    layout_changed()
