from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "partnerportal.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from partnerportal.audit.actions import actions_register
        from partnerportal.audit.permissions import visibility_register
        from partnerportal.audit.restore import restorer_register
        from partnerportal.core.caching import change_version_register
        from partnerportal.core.pickers import Picker, picker_register
        from partnerportal.core.schedule import job_register
        from partnerportal.notifications.feed import feed_source_register

        from . import signals, tasks  # noqa: F401
        from .actions import RegistryAction
        from .changes import registry_last_modified, registry_version
        from .models import Actor, ContactPerson, Partnership
        from .permissions import can_view_contact, can_view_partnership
        from .selectors import picking
        from .services.partnerships import partnership_restore

        actions_register(RegistryAction)
        # A revert of a partnership's status goes through its workflow.
        restorer_register(Partnership, partnership_restore)
        # The trail of something hidden from a person answers 404, as its page does.
        visibility_register(Partnership, can_view_partnership)
        visibility_register(
            Actor, lambda user, actor: can_view_partnership(user, actor.partnership)
        )
        # A public contact of a hidden proposal is as hidden as the proposal.
        visibility_register(
            ContactPerson,
            lambda user, contact: (
                can_view_partnership(user, contact.partnership) and can_view_contact(user, contact)
            ),
        )
        # ETag and Last-Modified (API, atlas) follow the registry's change version.
        change_version_register(version=registry_version, last_modified=registry_last_modified)
        job_register(
            "partnerships_remind_stale", timedelta(days=1), tasks.partnerships_remind_stale
        )
        # Forms choose a municipality by typing its name (accounts' too, without importing us).
        picker_register(
            "municipality",
            Picker(
                search=picking.municipality_pick_search,
                label=picking.municipality_pick_label,
                lookup=picking.municipality_pick_lookup,
                name=picking.municipality_pick_name,
                url_name="registry:municipality_picker",
            ),
        )
        # The activity page shows the latest changes to an editor's partnerships, theirs too.
        from .selectors.work import feed_section_municipality_changes

        feed_source_register(feed_section_municipality_changes)
        # sitemap.xml lists the public municipality and partnership pages.
        from partnerportal.core.sitemaps import sitemap_register

        from .sitemaps import MunicipalitySitemap, PartnershipSitemap

        sitemap_register("kommunen", MunicipalitySitemap, version=registry_version)
        sitemap_register("partnerschaften", PartnershipSitemap, version=registry_version)
        # Municipalities, partnerships and programmes are found by the site's search.
        from .search import search_register

        search_register()
