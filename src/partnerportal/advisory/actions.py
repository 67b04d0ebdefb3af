"""The advisory app's actions in the audit trail, with their labels (registered with audit in
AdvisoryConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AdvisoryAction(models.TextChoices):
    CASE_OPENED = "advisory.case_opened", _("advisory case opened")
    # --- Advisory cases and action plans (issue 14, cases part) -----------------------------
    CASE_REQUEST_ADDED = "advisory.case_request_added", _("further request added to a case")
    CASE_UPDATED = "advisory.case_updated", _("advisory case changed")
    CASE_ASSIGNED = "advisory.case_assigned", _("advisor assigned")
    CASE_CLARIFY = "advisory.case_clarify", _("case moved to clarifying")
    CASE_ADVISE = "advisory.case_advise", _("case moved to advising")
    CASE_PLAN = "advisory.case_plan", _("case moved to action plan")
    CASE_IMPLEMENT = "advisory.case_implement", _("case moved to implementation")
    CASE_CLOSE = "advisory.case_close", _("case closed")
    CASE_PAUSE = "advisory.case_pause", _("case marked as dormant")
    CASE_REOPEN = "advisory.case_reopen", _("case reopened")
    CASE_ANONYMISED = "advisory.case_anonymised", _("requester's data anonymised")
    CASE_NOTE_ADDED = "advisory.case_note_added", _("log entry added")
    CASE_DOCUMENT_ADDED = "advisory.case_document_added", _("case document added")
    PLAN_CREATED = "advisory.plan_created", _("action plan started")
    PLAN_CHANGED = "advisory.plan_changed", _("action plan changed")
    MEASURE_CREATED = "advisory.measure_created", _("measure added to the action plan")
    MEASURE_UPDATED = "advisory.measure_updated", _("measure changed")
    MEASURE_DELETED = "advisory.measure_deleted", _("measure removed from the action plan")

    @classmethod
    def for_case_transition(cls, action: str) -> "AdvisoryAction":
        return cls(f"advisory.case_{action}")

    # --- Experts and deployments (advexperts) ---
    EXPERT_PROFILE_CREATED = "advisory.expert_profile_created", _("expert profile created")
    EXPERT_PROFILE_UPDATED = "advisory.expert_profile_updated", _("expert profile updated")
    EXPERT_PROFILE_ANONYMISED = "advisory.expert_profile_anonymised", _("expert profile anonymised")
    DEPLOYMENT_CREATED = "advisory.deployment_created", _("deployment created")
    DEPLOYMENT_UPDATED = "advisory.deployment_updated", _("deployment updated")
    DEPLOYMENT_TRANSITION = "advisory.deployment_transition", _("deployment state changed")
