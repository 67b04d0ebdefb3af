"""Certificates of attendance by e-mail (issue 12): the organisers send each person who was
checked in their certificate (certificates.py) as a PDF attachment, in the person's language,
through the notifications catalogue (`email_to_address`, delivered by the `email_deliver` task).

Once per person: `certificate_sent_at` is claimed with a compare-and-set before anything is
queued, so a second click, or two organisers at once, send nothing more; `resend=True` sends
again on purpose. The PDF is drawn in a task of its own per person (not in the request: a
conference's hundreds of PDFs would hold the page), which hands it to `email_deliver`."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from partnerportal.notifications.events import Event as Notice
from partnerportal.notifications.mail import attachment_binary
from partnerportal.notifications.services import email_to_address

from .actions import EventsRegistrationAction
from .models import Event, Registration
from .organising import certificate_check
from .permissions import can_manage_event
from .registration_history import registration_record

logger = logging.getLogger(__name__)


def certificate_recipients(event: Event, *, resend: bool = False):
    """Everyone with a certificate due: confirmed, checked in, not anonymised, with an address;
    without `resend` only those who have not had it yet."""
    rows = Registration.objects.filter(
        event=event,
        status=Registration.Status.CONFIRMED,
        checked_in_at__isnull=False,
        anonymised_at__isnull=True,
    ).exclude(email="")
    if not resend:
        rows = rows.filter(certificate_sent_at__isnull=True)
    return rows.order_by("pk")


def _claim(registration: Registration, *, actor, resend: bool) -> bool:
    """Mark the certificate as sent, once (see the module docstring); with the history record.
    Whether this call claimed it."""
    now = timezone.now()
    rows = Registration.objects.filter(pk=registration.pk)
    if not resend:
        rows = rows.filter(certificate_sent_at__isnull=True)
    if not rows.update(certificate_sent_at=now):
        return False
    registration.certificate_sent_at = now
    registration_record(
        registration,
        actor=actor,
        action=EventsRegistrationAction.CERTIFICATE_SENT,
        fields=["certificate_sent_at"],
    )
    return True


def certificates_send(*, actor, event: Event, resend: bool = False) -> int:
    """Send the certificates of `event` by e-mail; returns how many were queued."""
    if not can_manage_event(actor, event):
        raise PermissionDenied
    sent = 0
    for registration in certificate_recipients(event, resend=resend):
        with transaction.atomic():
            if _claim(registration, actor=actor, resend=resend):
                transaction.on_commit(
                    lambda pk=registration.pk: certificate_email_send.enqueue(registration_id=pk)
                )
                sent += 1
    logger.info("Certificates of event %s queued: %d", event.pk, sent)
    return sent


def certificate_send(*, actor, registration: Registration) -> None:
    """Send one person's certificate (again): the organisers' button on the registration."""
    if not can_manage_event(actor, registration.event):
        raise PermissionDenied
    certificate_check(registration)
    if not registration.email:
        raise ValidationError(_("This registration has no e-mail address."))
    with transaction.atomic():
        _claim(registration, actor=actor, resend=True)
        transaction.on_commit(
            lambda: certificate_email_send.enqueue(registration_id=registration.pk)
        )


def certificate_email(registration: Registration) -> None:
    """Queue the e-mail with the PDF, in the participant's language."""
    from .certificates import certificate_pdf

    event = registration.event
    language = registration.language or "de"
    content = certificate_pdf(registration)
    with translation.override(language):
        subject = _("Your certificate of attendance")
        body = _(
            "Thank you for taking part. Your certificate of attendance is attached to this "
            "e-mail as a PDF file."
        )
        filename = _("certificate-of-attendance") + f"-{event.slug}.pdf"
    email_to_address(
        event=Notice.EVENT_MESSAGE,
        to_email=registration.email,
        language=language,
        context={
            "subject": subject,
            "body": body,
            "event_title": event.title,
            "recipient_name": registration.name,
        },
        attachments=[attachment_binary(filename, content, "application/pdf")],
    )


@task()
def certificate_email_send(registration_id: int) -> bool:
    """Draw one certificate and hand it to `email_deliver`. Nothing for a registration that
    no longer qualifies (anonymised or check-in undone meanwhile)."""
    registration = (
        Registration.objects.select_related("event", "municipality")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or not registration.email:
        return False
    try:
        certificate_check(registration)
    except ValidationError:
        return False
    with transaction.atomic():
        certificate_email(registration)
    return True
