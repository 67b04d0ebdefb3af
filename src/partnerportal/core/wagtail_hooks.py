"""The back office's look and words: KERN's colours and the Partnerportal logo (the templates
under templates/wagtailadmin/ override Wagtail's branding blocks), and one name per menu entry:
Wagtail names both the workflow settings and the workflow reports "Workflows" and "Workflow
tasks", which read the same in the menu."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import TranslationReportView
from .permissions import can_view_translation_report

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


@hooks.register("register_admin_urls")
def translation_report_urls():
    return [
        path(
            "reports/translations/",
            TranslationReportView.as_view(),
            name="partnerportal_translation_report",
        )
    ]


class TranslationReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_translation_report(request.user)


@hooks.register("register_reports_menu_item")
def translation_report_menu_item():
    return TranslationReportMenuItem(
        _("Translation status"),
        reverse("partnerportal_translation_report"),
        name="translations",
        icon_name="globe",
        order=700,
    )
