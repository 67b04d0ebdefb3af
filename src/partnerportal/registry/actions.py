"""The registry's actions in the audit trail, with their labels (registered with audit in
RegistryConfig.ready). A status transition records `partnership.<action of the workflow table>`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistryAction(models.TextChoices):
    MUNICIPALITY_CREATED = "municipality.created", _("municipality added")
    MUNICIPALITY_UPDATED = "municipality.updated", _("municipality changed")
    MUNICIPALITY_RENAMED = "municipality.renamed", _("municipality renamed")
    COORDINATES_TO_REVIEW = (
        "municipality.coordinates_to_review",
        _("coordinates outside the country: moved to the review queue"),
    )
    COORDINATES_CORRECTED = "municipality.coordinates_corrected", _("coordinates corrected")
    KREIS_CENTRE = "municipality.kreis_centre", _("position of the district derived")
    PARTNERSHIP_CREATED = "partnership.created", _("partnership added")
    PARTNERSHIP_UPDATED = "partnership.updated", _("partnership changed")
    PARTNERSHIP_PROPOSED = "partnership.proposed", _("partnership proposed")
    PROPOSAL_CONFIRMED = "partnership.proposal_confirmed", _("proposal confirmed")
    PROPOSAL_REJECTED = "partnership.proposal_rejected", _("proposal rejected")
    CONFIRMED_CURRENT = (
        "partnership.confirmed_current",
        _("confirmed as current by the municipality"),
    )
    AGENCY_CHECKED = "partnership.agency_checked", _("checked by the agency")
    REVIEW_RESOLVED = "partnership.review_resolved", _("import check resolved")
    STATUS_ACTIVATE = "partnership.activate", _("status: activated")
    STATUS_PAUSE = "partnership.pause", _("status: marked as dormant")
    STATUS_REACTIVATE = "partnership.reactivate", _("status: reactivated")
    STATUS_END = "partnership.end", _("status: ended")
    ACTOR_CREATED = "actor.created", _("actor added")
    ACTOR_UPDATED = "actor.updated", _("actor changed")
    ACTOR_DELETED = "actor.deleted", _("actor removed")
    CONTACT_CREATED = "contact.created", _("contact person added")
    CONTACT_UPDATED = "contact.updated", _("contact person changed")
    CONTACT_DELETED = "contact.deleted", _("contact person removed")
    IMPORT_TWINNINGS = "import.twinnings", _("imported from the list of twin towns")
    IMPORT_DESTATIS = "import.destatis", _("imported from the Destatis municipality directory")

    @classmethod
    def for_transition(cls, action: str) -> "RegistryAction":
        """The code a status transition of the workflow table records."""
        return cls(f"partnership.{action}")
