"""The names of the actions that services record in the trail, as people read them. A service
that records a new action adds its label here; an unknown action is shown by its code."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "create": _("created"),
    "update": _("changed"),
    "delete": _("deleted"),
    "audit.reverted": _("change reverted"),
    "membership.requested": _("membership requested"),
    "membership.confirmed": _("membership confirmed"),
    "membership.declined": _("membership declined"),
    "membership.withdrawn": _("request withdrawn"),
    "membership.left": _("membership left"),
    "membership.ended": _("membership ended"),
    "membership.changed": _("membership changed"),
    "invitation.sent": _("invitation sent"),
    "invitation.accepted": _("invitation accepted"),
    "invitation.revoked": _("invitation revoked"),
    "municipality.updated": _("municipality changed"),
    "partnership.updated": _("partnership changed"),
    "partnership.proposed": _("partnership proposed"),
    "partnership.proposal_confirmed": _("proposal confirmed"),
    "partnership.proposal_rejected": _("proposal rejected"),
    "partnership.confirmed_current": _("confirmed as still correct"),
    "partnership.activate": _("status: activated"),
    "partnership.pause": _("status: marked as dormant"),
    "partnership.reactivate": _("status: reactivated"),
    "partnership.end": _("status: ended"),
    "actor.created": _("actor added"),
    "actor.updated": _("actor changed"),
    "actor.deleted": _("actor removed"),
    "contact.created": _("contact person added"),
    "contact.updated": _("contact person changed"),
    "contact.deleted": _("contact person removed"),
    "municipality.renamed": _("municipality renamed"),
    "user.profile_updated": _("profile changed"),
    "user.anonymised": _("account deleted and anonymised"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
