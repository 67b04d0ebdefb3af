from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "partnerportal.funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        from datetime import timedelta

        from partnerportal.audit.actions import actions_register
        from partnerportal.core.schedule import job_register

        from . import tasks
        from .actions import FundingAction

        actions_register(FundingAction)
        # Reminders before final-report deadlines (funding/reminders.py), once per deadline.
        job_register(
            "funding_report_deadlines_remind", timedelta(days=1), tasks.report_deadlines_remind
        )

        from partnerportal.registry.editor_tools import (
            partnership_editor_actions_register,
            work_page_section_register,
        )

        from . import editor_tools

        work_page_section_register(editor_tools.work_page_section)
        partnership_editor_actions_register(editor_tools.partnership_actions)

        # Travel support asked for with an event registration becomes a draft application
        # (ADR 0012: funding may import events, not the other way round).
        from partnerportal.events.signals import travel_support_requested

        from .from_events import travel_support_requested_receiver

        travel_support_requested.connect(
            travel_support_requested_receiver, dispatch_uid="partnerportal.funding.travel_support"
        )

        # The funding records in the account's export and erasure (funding/personal_data.py).
        from partnerportal.accounts.personal_data import personal_data_register

        from . import personal_data

        personal_data_register(personal_data.PROVIDER)
