"""The funding app's actions in the audit trail, with their labels (registered with audit in
FundingConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingAction(models.TextChoices):
    PER_DIEM_TABLE_IMPORTED = "per_diem.table_imported", _("per-diem rate table imported")
