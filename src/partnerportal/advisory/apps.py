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
        job_register(
            "advisory_cases_remind_due", timedelta(days=1), tasks.advisory_cases_remind_due
        )
        job_register(
            "advisory_cases_anonymise_expired",
            timedelta(days=1),
            tasks.advisory_cases_anonymise_expired,
        )
