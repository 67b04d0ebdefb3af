"""Publishing, unpublishing, moving or deleting a page, or changing which pages the footer
links, makes the cached layout (the footer's legal links) stale. After migrate, the site's pages
are set up (connected in apps.py)."""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, router
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
    workflow_rejected,
    workflow_submitted,
)

from partnerportal.core.setup import migrated, permissions_ensure
from partnerportal.notifications.events import Event

from .models import HomePage, LegalPages, ReviewedPage
from .selectors import layout_changed
from .services import (
    STAFF_MODEL_PERMISSIONS,
    review_outcome_notify,
    review_requested_notify,
    site_structure_ensure,
)


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


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _view_restriction_changed(sender, **kwargs) -> None:
    """A page locked (or opened) leaves (or enters) the cached feeds and sitemap at once."""
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
        "content.ArticleIndexPage",
        "content.SecondEditorReviewTask",
        "wagtailcore.WorkflowPage",
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


# --- Reviews: who is told what --------------------------------------------------------------------


@receiver(workflow_submitted)
def _review_requested(sender, instance, user=None, **kwargs) -> None:
    if _is_reviewed_page(instance):
        review_requested_notify(workflow_state=instance, actor=user)


@receiver(workflow_rejected)
def _sent_back(sender, instance, user=None, **kwargs) -> None:
    if not _is_reviewed_page(instance):
        return
    task_state = instance.current_task_state
    review_outcome_notify(
        page=instance.content_object.specific,
        event=Event.CONTENT_SENT_BACK,
        actor=user,
        comment=task_state.comment if task_state else "",
    )


@receiver(page_published)
def _published(sender, instance, revision=None, **kwargs) -> None:
    """The first publication only (later ones are corrections); told by whoever published, or
    by nobody when the scheduled job did it."""
    if not isinstance(instance, ReviewedPage):
        return
    if instance.first_published_at != instance.last_published_at:
        return
    actor = revision.user if revision is not None else None
    if instance.workflow_states.exists():
        state = instance.workflow_states.order_by("-created_at").first()
        finished = state.current_task_state
        actor = finished.finished_by if finished and finished.finished_by_id else actor
    review_outcome_notify(page=instance, event=Event.CONTENT_PUBLISHED, actor=actor)


def _is_reviewed_page(workflow_state) -> bool:
    model = workflow_state.content_type.model_class()
    return model is not None and issubclass(model, ReviewedPage)
