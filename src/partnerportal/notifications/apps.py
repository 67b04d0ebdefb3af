from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "partnerportal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from partnerportal.core.schedule import job_register

        from . import tasks

        job_register("activities_prune", timedelta(days=1), tasks.activities_prune)
        job_register("email_tasks_prune", timedelta(hours=1), tasks.email_tasks_prune)
