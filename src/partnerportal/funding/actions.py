"""The funding app's actions in the audit trail, with their labels (registered with audit in
FundingConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingAction(models.TextChoices):
    PER_DIEM_TABLE_IMPORTED = "per_diem.table_imported", _("per-diem rate table imported")
    # The applicant's side (funding/applications.py, the instruments in the back office)
    INSTRUMENT_CREATED = "funding.instrument_created", _("funding instrument created")
    INSTRUMENT_CHANGED = "funding.instrument_changed", _("funding instrument changed")
    APPLICATION_CREATED = "funding.application_created", _("funding application started")
    APPLICATION_UPDATED = "funding.application_updated", _("funding application saved")
    APPLICATION_COST_LINE_ADDED = "funding.cost_line_added", _("cost line added")
    APPLICATION_COST_LINE_CHANGED = "funding.cost_line_changed", _("cost line changed")
    APPLICATION_COST_LINE_REMOVED = "funding.cost_line_removed", _("cost line removed")
    APPLICATION_DOCUMENT_UPLOADED = "funding.document_uploaded", _("document uploaded")
    APPLICATION_DOCUMENT_REMOVED = "funding.document_removed", _("document removed")
    APPLICATION_SUBMITTED = "funding.application_submitted", _("funding application submitted")
