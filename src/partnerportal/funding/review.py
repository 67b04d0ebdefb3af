"""The agency's review of a submitted application: who took part (the record the four-eyes rules
read), the formal check and the written assessment.

The state changes themselves go through `workflows.application_transition`; the services here
write what a step needs (the assessment text) and record who did it. Whoever writes the
assessment is its assessor, and an assessor may never decide on the same application."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerportal.audit.services import attribute_change
from partnerportal.core.concurrency import version_check

from .actions import FundingAction
from .models import (
    Application,
    ApplicationInvolvement,
    ApplicationState,
    InvolvementKind,
    Recommendation,
    Review,
)
from .permissions import can_review_applications, is_applicant_editor

#: Kinds of involvement that bar a person from deciding on the application.
BARRED_FROM_DECIDING = (InvolvementKind.ASSESSED, InvolvementKind.EDITED)


def involvement_add(*, application: Application, user, kind: str) -> None:
    """Record that `user` took part in `application` as `kind` (once per person and kind)."""
    ApplicationInvolvement.objects.get_or_create(application=application, user=user, kind=kind)


def involved_as(application: Application, user, kinds) -> bool:
    return ApplicationInvolvement.objects.filter(
        application=application, user=user, kind__in=list(kinds)
    ).exists()


def decision_barred_reason(application: Application, user) -> str:
    """Why `user` may not decide on `application` ('' if they may): the four-eyes rule. The
    person who assessed it, changed it (its cost plan or the decision draft) or wrote it never
    decides on it."""
    if user is None or not user.is_authenticated:
        return _("Please log in.")
    if application.created_by_id == user.pk:
        return _("You wrote this application; someone else must decide on it (four eyes).")
    if is_applicant_editor(user, application):
        return _(
            "You edit for the applicant municipality; someone outside it must decide on its "
            "application (four eyes)."
        )
    kinds = set(
        ApplicationInvolvement.objects.filter(
            application=application, user=user, kind__in=BARRED_FROM_DECIDING
        ).values_list("kind", flat=True)
    )
    if InvolvementKind.ASSESSED in kinds:
        return _("You assessed this application; someone else must decide on it (four eyes).")
    if InvolvementKind.EDITED in kinds:
        return _(
            "You changed this application or its decision draft; someone else must decide on "
            "it (four eyes)."
        )
    return ""


def review_ensure(application: Application) -> Review:
    review, _created = Review.objects.get_or_create(application=application)
    return review


def assessment_save(
    *,
    application: Application,
    actor,
    assessment: str,
    recommendation: str,
    expected_version: int | None = None,
) -> Review:
    """Save the written assessment while the application is under assessment. The writer
    becomes its assessor (and so may not decide on it)."""
    if not can_review_applications(actor):
        raise PermissionDenied
    if application.state != ApplicationState.ASSESSMENT:
        raise ValidationError(
            _("The assessment can be written only while the application is under assessment."),
            code="wrong_state",
        )
    assessment = assessment.strip()
    if not assessment:
        raise ValidationError({"assessment": _("Please write the assessment.")})
    if recommendation not in Recommendation.values:
        raise ValidationError({"recommendation": _("Please choose a recommendation.")})
    with transaction.atomic():
        version_check(application, expected_version=expected_version)
        review = review_ensure(application)
        review.assessment = assessment
        review.recommendation = recommendation
        review.assessed_by = actor
        review.assessed_at = timezone.now()
        attribute_change(review, actor=actor, action=FundingAction.ASSESSMENT_SAVED)
        review.save()
        involvement_add(application=application, user=actor, kind=InvolvementKind.ASSESSED)
    return review
