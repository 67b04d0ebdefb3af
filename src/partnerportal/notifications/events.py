"""The one catalogue of events people are told about, and where each one goes.

A new event is a member here plus its e-mail templates (notifications/email/<template>.txt,
.html and _subject.txt); `services.notify` (or `services.email_to_address`, for an address
without an account) does the rest. Every e-mail of ours is one of these events."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    MEMBERSHIP_REQUESTED = "membership.requested", _("Membership requested")
    MEMBERSHIP_CONFIRMED = "membership.confirmed", _("Membership confirmed")
    MEMBERSHIP_DECLINED = "membership.declined", _("Membership declined")
    INVITATION_SENT = "invitation.sent", _("Invitation sent")
    INVITATION_RECEIVED = "invitation.received", _("Invitation to edit")
    ACCOUNT_DELETED = "account.deleted", _("Account deleted")
    API_TOKEN_CREATED = "api_token.created", _("API token created")
    PARTNERSHIP_STATUS_CHANGED = "partnership.status_changed", _("Partnership status changed")
    PARTNERSHIP_PROPOSED = "partnership.proposed", _("Partnership proposed")
    PARTNERSHIP_PROPOSAL_CONFIRMED = (
        "partnership.proposal_confirmed",
        _("Proposed partnership confirmed"),
    )
    PARTNERSHIP_PROPOSAL_REJECTED = (
        "partnership.proposal_rejected",
        _("Proposed partnership rejected"),
    )
    PARTNERSHIP_CONFIRMATION_REQUESTED = (
        "partnership.confirmation_requested",
        _("Please confirm your partnerships"),
    )

    CONTENT_REVIEW_REQUESTED = "content.review_requested", _("Page submitted for review")
    CONTENT_SENT_BACK = "content.sent_back", _("Page sent back for changes")
    CONTENT_PUBLISHED = "content.published", _("Your page has been published")

    # events (registration): e-mails to participants, who need no account.
    EVENT_REGISTRATION_CONFIRMED = "event_registration.confirmed", _("Registration confirmed")
    EVENT_REGISTRATION_WAITLISTED = "event_registration.waitlisted", _("On the waiting list")
    EVENT_REGISTRATION_OFFERED = "event_registration.offered", _("A seat is offered")
    EVENT_REGISTRATION_PROMOTED = "event_registration.promoted", _("A seat from the waiting list")
    EVENT_REGISTRATION_CANCELLED = "event_registration.cancelled", _("Registration cancelled")
    EVENT_REGISTRATION_REMINDER = "event_registration.reminder", _("Reminder of an event")

    # advisory (cases and action plans)
    ADVISORY_REQUEST_CONFIRMED = "advisory.request_confirmed", _("Your request for advice")
    ADVISORY_REQUEST_RECEIVED = "advisory.request_received", _("New request for advice")
    ADVISORY_CASE_ASSIGNED = "advisory.case_assigned", _("Advisory case assigned to you")
    ADVISORY_CASE_DUE = "advisory.case_due", _("Advisory case due")
    ADVISORY_PLAN_COMMENTED = "advisory.plan_commented", _("Comment on an action plan")

    # funding, after submission (funding/workflows.py, payments.py, reminders.py)
    FUNDING_DECIDED = "funding.decided", _("Funding application decided or returned")
    FUNDING_PAYMENT_RELEASED = "funding.payment_released", _("Payment released")
    FUNDING_REPORT_DUE = "funding.report_due", _("Final report due soon")

    # funding: the applicant's side
    FUNDING_APPLICATION_SUBMITTED = (
        "funding.application_submitted",
        _("Funding application submitted"),
    )
    FUNDING_APPLICATION_RECEIVED = "funding.application_received", _("Application received")

    # Experts and deployments (advisory)
    EXPERT_PROPOSED = "advisory.expert_proposed", _("You have been proposed for a deployment")
    DEPLOYMENT_REPORT_DUE = "advisory.deployment_report_due", _("A deployment report is due")

    # events (organisers): a message the organisers of an event write to its participants.
    EVENT_MESSAGE = "events.message", _("Message from the organisers of an event")


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    FEED = "feed", _("activity feed")


@dataclass(frozen=True)
class Route:
    channels: frozenset[Channel]
    template: str


BOTH = frozenset({Channel.EMAIL, Channel.FEED})

ROUTES: dict[Event, Route] = {
    Event.MEMBERSHIP_REQUESTED: Route(BOTH, "membership_requested"),
    Event.MEMBERSHIP_CONFIRMED: Route(BOTH, "membership_confirmed"),
    Event.MEMBERSHIP_DECLINED: Route(BOTH, "membership_declined"),
    # A person who already has an account sees the invitation in their feed ...
    Event.INVITATION_SENT: Route(frozenset({Channel.FEED}), "invitation_sent"),
    # ... and the invitation with its link goes to the address, which may have no account yet
    # (services.email_to_address).
    Event.INVITATION_RECEIVED: Route(frozenset({Channel.EMAIL}), "invitation"),
    # The account is gone, so there is no feed to show it in; the confirmation goes by e-mail.
    # The address is gone once the account is anonymised, and the e-mail task skips anonymised
    # recipients: the deleting service captures the address first and sends it with
    # `services.email_to_address`.
    Event.ACCOUNT_DELETED: Route(frozenset({Channel.EMAIL}), "account_deleted"),
    # A security notice: whoever made the token, the person hears of it (a stolen session that
    # makes one is noticed), by e-mail and in the feed.
    Event.API_TOKEN_CREATED: Route(BOTH, "api_token_created"),
    Event.PARTNERSHIP_STATUS_CHANGED: Route(BOTH, "partnership_status_changed"),
    Event.PARTNERSHIP_PROPOSED: Route(BOTH, "partnership_proposed"),
    Event.PARTNERSHIP_PROPOSAL_CONFIRMED: Route(BOTH, "partnership_proposal_confirmed"),
    Event.PARTNERSHIP_PROPOSAL_REJECTED: Route(BOTH, "partnership_proposal_rejected"),
    # One e-mail per editor per run listing their stale entries, each with its signed link.
    Event.PARTNERSHIP_CONFIRMATION_REQUESTED: Route(BOTH, "partnership_confirmation_requested"),
    # The review of pages (content): reviewers are told what waits, the author what came of it.
    Event.CONTENT_REVIEW_REQUESTED: Route(BOTH, "content_review_requested"),
    Event.CONTENT_SENT_BACK: Route(BOTH, "content_sent_back"),
    Event.CONTENT_PUBLISHED: Route(BOTH, "content_published"),
    # events (registration): participants have no account and no feed; only the e-mail.
    Event.EVENT_REGISTRATION_CONFIRMED: Route(
        frozenset({Channel.EMAIL}), "event_registration_confirmed"
    ),
    Event.EVENT_REGISTRATION_WAITLISTED: Route(
        frozenset({Channel.EMAIL}), "event_registration_waitlisted"
    ),
    Event.EVENT_REGISTRATION_OFFERED: Route(
        frozenset({Channel.EMAIL}), "event_registration_offered"
    ),
    Event.EVENT_REGISTRATION_PROMOTED: Route(
        frozenset({Channel.EMAIL}), "event_registration_promoted"
    ),
    Event.EVENT_REGISTRATION_CANCELLED: Route(
        frozenset({Channel.EMAIL}), "event_registration_cancelled"
    ),
    Event.EVENT_REGISTRATION_REMINDER: Route(
        frozenset({Channel.EMAIL}), "event_registration_reminder"
    ),
    # advisory (cases and action plans): the requester has no account behind the address
    # (services.email_to_address); staff hear of new requests, assignments and due dates; who
    # sees a plan hears of its comments.
    Event.ADVISORY_REQUEST_CONFIRMED: Route(
        frozenset({Channel.EMAIL}), "advisory_request_confirmed"
    ),
    Event.ADVISORY_REQUEST_RECEIVED: Route(BOTH, "advisory_request_received"),
    Event.ADVISORY_CASE_ASSIGNED: Route(BOTH, "advisory_case_assigned"),
    Event.ADVISORY_CASE_DUE: Route(BOTH, "advisory_case_due"),
    Event.ADVISORY_PLAN_COMMENTED: Route(BOTH, "advisory_plan_commented"),
    # funding, after submission: the applicant's editors hear of the decision, each released
    # payment and the coming report deadline.
    Event.FUNDING_DECIDED: Route(BOTH, "funding_decided"),
    Event.FUNDING_PAYMENT_RELEASED: Route(BOTH, "funding_payment_released"),
    Event.FUNDING_REPORT_DUE: Route(BOTH, "funding_report_due"),
    # funding: the agency's staff hear of a new application; the applicant gets a receipt.
    Event.FUNDING_APPLICATION_SUBMITTED: Route(BOTH, "funding_application_submitted"),
    Event.FUNDING_APPLICATION_RECEIVED: Route(BOTH, "funding_application_received"),
    # Experts and deployments (advisory): the expert hears of a proposal and of reports due.
    Event.EXPERT_PROPOSED: Route(BOTH, "expert_proposed"),
    Event.DEPLOYMENT_REPORT_DUE: Route(BOTH, "deployment_report_due"),
    # events (organisers): participants often have no account; sent to their address.
    Event.EVENT_MESSAGE: Route(frozenset({Channel.EMAIL}), "event_message"),
}
