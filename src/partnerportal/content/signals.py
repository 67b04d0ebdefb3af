"""Publishing, unpublishing, moving or deleting a page, or changing which pages the footer
links, makes the cached layout (the footer's legal links) stale. After migrate, the site's pages
are set up (connected in apps.py)."""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, router
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from partnerportal.core.setup import migrated, permissions_ensure

from .models import HomePage, LegalPages
from .selectors import layout_changed
from .services import STAFF_MODEL_PERMISSIONS, site_structure_ensure


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


def site_after_migrate(
    sender, *, using: str = DEFAULT_DB_ALIAS, apps=global_apps, verbosity: int = 1, **kwargs
) -> None:
    """After migrate: the home page in place of Wagtail's placeholder, its English translation,
    the legal pages and the staff's permissions (what `partnerportal setup_site` does)."""
    if not migrated(
        apps,
        "wagtailcore.Page",
        "wagtailcore.Site",
        "wagtailcore.Locale",
        "wagtailsearch.IndexEntry",
        "content.HomePage",
        "content.StandardPage",
        "content.LegalPages",
    ):
        return
    if not router.allow_migrate_model(using, Page):
        return
    permissions_ensure(
        {"wagtailcore", *(app for app, _codename in STAFF_MODEL_PERMISSIONS)},
        using=using,
        apps=apps,
    )
    existed = HomePage.objects.exists()
    home = site_structure_ensure()
    if verbosity >= 2 or (verbosity >= 1 and not existed):
        print(f"  Site: home page {home.url_path}, legal pages in German and English.")
