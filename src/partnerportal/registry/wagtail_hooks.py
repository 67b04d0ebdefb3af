"""Municipalities and programmes in the Wagtail back office: staff create municipal companies and
municipalities that no gazetteer lists, and correct entries. Saves are ordinary model saves, so
the audit trail records who changed what (HistoryRequestMiddleware)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from partnerportal.audit.wagtail import VersionCheckedEditView, versioned_panels

from .models import Municipality, Programme


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "home"
    menu_label = _("Municipalities")
    list_display = ["name", "country", "kind", "ags", "source", "verified"]
    list_filter = ["kind", "source", "verified"]
    search_fields = ["name", "ags"]
    ordering = ["name"]
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = True
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
