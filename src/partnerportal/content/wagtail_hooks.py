"""The review by a second editor in the back office: pages of the reviewed types (articles,
programme and format pages) are published only by approving their review, and the page's
history names submissions from the front end."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.models import Page

from .models import ReviewedPage, review_workflow
from .services import SUBMITTED_ACTION


@hooks.register("register_log_actions")
def _log_actions(actions) -> None:
    actions.register_action(
        SUBMITTED_ACTION,
        gettext_lazy("Submit practice example"),
        gettext_lazy("Practice example submitted by a municipal editor"),
    )


def _is_reviewed(model) -> bool:
    return isinstance(model, type) and issubclass(model, ReviewedPage)


@hooks.register("construct_page_action_menu")
def _no_publish_without_review(menu_items, request, context) -> None:
    """The edit view hides "Publish" through the page's permission tester; the create view asks
    only the parent, so the type is read from the address."""
    if context.get("view") != "create":
        return
    from django.contrib.contenttypes.models import ContentType

    kwargs = request.resolver_match.kwargs if request.resolver_match else {}
    try:
        model = ContentType.objects.get_by_natural_key(
            kwargs.get("content_type_app_name", ""), kwargs.get("content_type_model_name", "")
        ).model_class()
    except ContentType.DoesNotExist:
        return
    if _is_reviewed(model) and review_workflow() is not None:
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_publish_page")
def _refuse_direct_publish(request, page):
    """The server's side of the rule: a forged "publish" of a new page is saved as a draft."""
    specific = page.specific
    if isinstance(specific, ReviewedPage) and specific.has_workflow:
        if specific.first_published_at is None:
            # The create view has already saved the new page as live (Page.live defaults to
            # True and publishing would have made it so): it goes back to being a draft.
            Page.objects.filter(pk=page.pk).update(live=False, has_unpublished_changes=True)
        messages.error(
            request,
            _(
                "This page is published after a second editor's review. It has been saved as a "
                "draft: submit it for review."
            ),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("after_edit_page")
def _approval_after_own_edit(request, page):
    """An approval that came with the reviewer's own changes restarts the review (the task's
    rule); say so, instead of Wagtail's plain "saved"."""
    if not (
        request.POST.get("action-workflow-action")
        and request.POST.get("workflow-action-name") == "approve"
    ):
        return None
    task_state = page.current_workflow_task_state
    if task_state is not None and task_state.status == task_state.STATUS_IN_PROGRESS:
        messages.warning(
            request,
            _(
                "Your changes are saved, but not approved: you changed the page, so another "
                "editor must approve it."
            ),
        )
    return None


@hooks.register("before_copy_page")
def _copies_are_drafts(request, page):
    """ "Publish copies" would publish pages of the reviewed types unread: their copies are
    drafts, to be submitted for review like any new page."""
    if request.method != "POST" or not request.POST.get("publish_copies"):
        return None
    copies = page.get_descendants(inclusive=True) if request.POST.get("copy_subpages") else [page]
    reviewed = any(issubclass(p.specific_class, ReviewedPage) for p in copies if p.specific_class)
    if reviewed and review_workflow() is not None:
        request.POST = request.POST.copy()
        request.POST.pop("publish_copies")
        messages.warning(
            request,
            _("Copies of pages under review are saved as drafts: submit them for review."),
        )
    return None
