from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "partnerportal.funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        from partnerportal.audit.actions import actions_register

        from .actions import FundingAction

        actions_register(FundingAction)

        from partnerportal.registry.editor_tools import (
            partnership_editor_actions_register,
            work_page_section_register,
        )

        from . import editor_tools

        work_page_section_register(editor_tools.work_page_section)
        partnership_editor_actions_register(editor_tools.partnership_actions)
