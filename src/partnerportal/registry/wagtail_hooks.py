"""Municipalities and programmes in the Wagtail back office: staff create municipal companies and
municipalities that no gazetteer lists, and correct entries. Saves are ordinary model saves, so
the audit trail records who changed what (HistoryRequestMiddleware)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from partnerportal.audit.wagtail import (
    VersionCheckedEditView,
    YesNoColumn,
    YesNoInspectView,
    versioned_panels,
)

from . import permissions
from .models import Municipality, Programme, ReviewItem
from .selectors import freshness


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "home"
    menu_label = _("Municipalities")
    list_display = [
        "name",
        "country",
        "kind",
        "ags",
        "source",
        YesNoColumn("verified", label=Municipality._meta.get_field("verified").verbose_name),
    ]
    list_filter = ["kind", "source", "verified"]
    search_fields = ["name", "ags"]
    ordering = ["name"]
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = YesNoInspectView
    edit_view_class = VersionCheckedEditView
    edit_handler = versioned_panels(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("name_suffix")]),
            FieldRowPanel([FieldPanel("country"), FieldPanel("kind")]),
            FieldPanel("parent"),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("population"), FieldPanel("area_km2")]),
                    FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                    FieldPanel("postal_code"),
                ],
                heading=_("Facts"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("ags", read_only=True),
                    FieldPanel("geonames_id", read_only=True),
                    FieldPanel("source", read_only=True),
                    FieldPanel("verified"),
                ],
                heading=_("Official keys and provenance"),
            ),
        ]
    )

    def get_queryset(self, request):
        return Municipality.objects.select_related("country")


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "tag"
    menu_label = _("Programmes")
    list_display = ["name", "slug", "url"]
    search_fields = ["name", "slug"]
    edit_view_class = VersionCheckedEditView
    edit_handler = versioned_panels(
        [FieldPanel("name"), FieldPanel("slug"), FieldPanel("url"), FieldPanel("description")]
    )


class RegistryViewSetGroup(SnippetViewSetGroup):
    items = (MunicipalityViewSet, ProgrammeViewSet)
    menu_icon = "group"
    menu_label = _("Registry")
    menu_order = 300


register_snippet(RegistryViewSetGroup)


class RegistryTodoPanel(Component):
    """The dashboard's view of the registry's to-do lists: how many import rows wait in the
    review queue and how many partnerships nobody has confirmed for a year, each with its link.
    Counts only (two indexed COUNT queries), so the dashboard stays fast."""

    name = "registry_todo"
    template_name = "registry/wagtail/todo_panel.html"
    order = 50

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        user = self.request.user
        rows = []
        if permissions.can_review_imports(user):
            rows.append(
                {
                    "label": _("Import rows waiting for review"),
                    "count": ReviewItem.objects.filter(status=ReviewItem.Status.OPEN).count(),
                    "url": reverse("registry:review_list"),
                    "link": _("Open the review queue"),
                }
            )
        if permissions.can_view_stale_partnerships(user):
            rows.append(
                {
                    "label": _("Partnerships not confirmed for a year"),
                    "count": freshness.partnerships_stale_base().count(),
                    "url": reverse("registry:stale_list"),
                    "link": _("Open the list of stale entries"),
                }
            )
        context["rows"] = rows
        return context


@hooks.register("construct_homepage_panels")
def registry_todo_panel(request, panels):
    if permissions.can_review_imports(request.user) or permissions.can_view_stale_partnerships(
        request.user
    ):
        panels.append(RegistryTodoPanel(request))
