"""The back office's look and words: KERN's colours and the Partnerportal logo (the templates
under templates/wagtailadmin/ override Wagtail's branding blocks), and one name per menu entry:
Wagtail names both the workflow settings and the workflow reports "Workflows" and "Workflow
tasks", which read the same in the menu."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

#: (menu, item name) -> the label people see.
MENU_LABELS = {
    ("settings", "workflows"): _("Workflow definitions"),
    ("settings", "workflow-tasks"): _("Workflow steps"),
    ("settings", "locales"): _("Languages"),
    ("reports", "workflows"): _("Workflow report"),
    ("reports", "workflow-tasks"): _("Workflow steps report"),
}


def _rename(menu: str, menu_items: list) -> None:
    for item in menu_items:
        label = MENU_LABELS.get((menu, item.name))
        if label is not None:
            item.label = label


@hooks.register("construct_settings_menu")
def settings_menu_names(request, menu_items):
    _rename("settings", menu_items)


@hooks.register("construct_reports_menu")
def reports_menu_names(request, menu_items):
    _rename("reports", menu_items)


@hooks.register("insert_global_admin_css")
def kern_colours():
    return format_html('<link rel="stylesheet" href="{}">', static("core/admin/kern-admin.css"))
