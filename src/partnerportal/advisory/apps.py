from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisoryConfig(AppConfig):
    name = "partnerportal.advisory"
    label = "advisory"
    verbose_name = _("Advice and experts")

    def ready(self) -> None:
        from partnerportal.audit.actions import actions_register

        from .actions import AdvisoryAction

        actions_register(AdvisoryAction)

        # Advisory cases and action plans (issue 14, cases part)
        from datetime import timedelta

        from partnerportal.accounts.personal_data import personal_data_register
        from partnerportal.core.schedule import job_register
        from partnerportal.registry.sections import section_provider_register

        from . import personal_data, sections, tasks

        personal_data_register(personal_data.PROVIDER)
        section_provider_register(sections.advisory_summaries_section)
        from .dashboard import connect_signals

        connect_signals()  # the dashboard's cached figures follow every change of a case
        job_register(
            "advisory_cases_remind_due", timedelta(days=1), tasks.advisory_cases_remind_due
        )
        job_register(
            "advisory_cases_anonymise_expired",
            timedelta(days=1),
            tasks.advisory_cases_anonymise_expired,
        )

        # --- Experts and deployments (advexperts) ---
        from datetime import timedelta

        from django.utils.translation import gettext_lazy as _lazy

        from partnerportal.accounts.personal_data import personal_data_register
        from partnerportal.core.schedule import job_register
        from partnerportal.registry.sections import (
            MapLayer,
            map_layer_register,
            section_provider_register,
        )

        from . import deployment_reports, expert_data
        from .views import deployments as deployment_views

        # The expert profile in the account's export and erasure (DSGVO).
        personal_data_register(expert_data.PROVIDER)
        # Reminders of deployment reports that fall due, once a day.
        job_register(
            "deployment_reports_remind",
            timedelta(days=1),
            deployment_reports.deployment_reports_remind,
        )
        # Deployments on the municipality's and partnership's pages and on the atlas's map.
        section_provider_register(deployment_views.deployments_section)
        map_layer_register(
            MapLayer(
                key="deployments",
                label=_lazy("Expert deployments"),
                url_name="advisory:deployments_geojson",
                empty_label=_lazy("No expert deployments yet."),
                list_url_name="advisory:deployment_statistics",
            )
        )
