"""Countries in the Wagtail back office: staff correct a world region or a DAC status there.

Edits are ordinary saves, so the history records who changed what (HistoryRequestMiddleware) and
`partnerportal load_countries` keeps them (see geo.services.countries_sync)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from partnerportal.audit.wagtail import (
    VersionCheckedEditView,
    YesNoColumn,
    YesNoInspectView,
    versioned_panels,
)

from .models import Country


class CountryViewSet(SnippetViewSet):
    model = Country
    icon = "site"
    menu_label = _("Countries")
    menu_order = 400
    add_to_admin_menu = True
    list_display = [
        "name_de",
        "iso2",
        "world_region",
        YesNoColumn("oda_recipient", label=Country._meta.get_field("oda_recipient").verbose_name),
        "dac_income_group",
    ]
    list_filter = ["world_region", "oda_recipient", "dac_income_group"]
    search_fields = ["name_de", "name_en", "iso2", "iso3"]
    ordering = ["name_de"]
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = YesNoInspectView
    edit_view_class = VersionCheckedEditView
    edit_handler = versioned_panels(
        [
            FieldRowPanel([FieldPanel("iso2", read_only=True), FieldPanel("iso3", read_only=True)]),
            FieldRowPanel([FieldPanel("name_de"), FieldPanel("name_en")]),
            FieldRowPanel([FieldPanel(f"name_{code}") for code in ("fr", "es", "ar", "uk")]),
            FieldPanel("world_region"),
            MultiFieldPanel(
                [
                    FieldPanel("oda_recipient"),
                    FieldPanel("dac_income_group"),
                    FieldPanel("dac_list_years"),
                    FieldPanel("dac_note"),
                ],
                heading=_("OECD DAC List of ODA Recipients"),
            ),
        ]
    )


register_snippet(CountryViewSet)
