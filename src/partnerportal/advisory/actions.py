"""The advisory app's actions in the audit trail, with their labels (registered with audit in
AdvisoryConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AdvisoryAction(models.TextChoices):
    CASE_OPENED = "advisory.case_opened", _("advisory case opened")

    # --- Experts and deployments (advexperts) ---
    EXPERT_PROFILE_CREATED = "advisory.expert_profile_created", _("expert profile created")
    EXPERT_PROFILE_UPDATED = "advisory.expert_profile_updated", _("expert profile updated")
    EXPERT_PROFILE_ANONYMISED = "advisory.expert_profile_anonymised", _("expert profile anonymised")
    DEPLOYMENT_CREATED = "advisory.deployment_created", _("deployment created")
    DEPLOYMENT_UPDATED = "advisory.deployment_updated", _("deployment updated")
    DEPLOYMENT_TRANSITION = "advisory.deployment_transition", _("deployment state changed")
