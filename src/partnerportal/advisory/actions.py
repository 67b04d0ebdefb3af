"""The advisory app's actions in the audit trail, with their labels (registered with audit in
AdvisoryConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AdvisoryAction(models.TextChoices):
    CASE_OPENED = "advisory.case_opened", _("advisory case opened")
