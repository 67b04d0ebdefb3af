"""Who may use what core offers in the back office."""

from wagtail.permission_policies.pages import PagePermissionPolicy


def can_view_translation_report(user) -> bool:
    """Whoever may edit pages in the back office sees which of them lack translations (the
    report names page titles, drafts included, as the page explorer does for them)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not user.has_perm("wagtailadmin.access_admin"):
        return False
    return PagePermissionPolicy().user_has_any_permission(user, {"add", "change", "publish"})
