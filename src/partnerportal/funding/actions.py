"""The funding app's actions in the audit trail, with their labels (registered with audit in
FundingConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingAction(models.TextChoices):
    PER_DIEM_TABLE_IMPORTED = "per_diem.table_imported", _("per-diem rate table imported")
    # After submission (funding/review.py, decisions.py, payments.py, changes.py, reports.py)
    FORMAL_CHECK_STARTED = "application.formal_check_started", _("formal check started")
    FORMAL_CHECK_PASSED = "application.formal_check_passed", _("formal check passed")
    RETURNED = "application.returned", _("application returned to the applicant")
    ASSESSMENT_SAVED = "application.assessment_saved", _("assessment saved")
    ASSESSMENT_SUBMITTED = "application.assessment_submitted", _("assessment submitted")
    DECISION_DRAFTED = "application.decision_drafted", _("decision draft changed")
    APPROVED = "application.approved", _("application approved")
    REJECTED = "application.rejected", _("application rejected")
    SENT_BACK_TO_ASSESSMENT = (
        "application.sent_back_to_assessment",
        _("application sent back to assessment"),
    )
    WITHDRAWN = "application.withdrawn", _("application withdrawn")
    CLOSED = "application.closed", _("application closed")
    PAYMENT_REQUESTED = "payment.requested", _("payment requested")
    PAYMENT_FIRST_APPROVED = "payment.first_approved", _("payment: first approval")
    PAYMENT_RELEASED = "payment.released", _("payment released")
    PAYMENT_REJECTED = "payment.rejected", _("payment rejected")
    CHANGE_REQUESTED = "change.requested", _("change requested")
    CHANGE_FIRST_APPROVED = "change.first_approved", _("change: first approval")
    CHANGE_ACCEPTED = "change.accepted", _("change accepted")
    CHANGE_REJECTED = "change.rejected", _("change rejected")
    REPORT_SAVED = "report.saved", _("final report saved")
    REPORT_SUBMITTED = "report.submitted", _("final report submitted")
    REPORT_ACCEPTED = "report.accepted", _("final report accepted")
    REPORT_SENT_BACK = "report.sent_back", _("final report sent back")
    RECEIPT_UPLOADED = "report.receipt_uploaded", _("receipt uploaded")
    LETTER_TEMPLATE_CHANGED = "letter_template.changed", _("letter template changed")
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
