"""Rendering and sending one e-mail. Both the services and the tasks use it; the tasks import
this module, not the services, so that the services can enqueue the tasks without a cycle."""

import base64
import logging

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

logger = logging.getLogger(__name__)

#: The fourth item of an attachment whose text is a binary file in base64 (`attachment_binary`).
ATTACHMENT_BASE64 = "base64"

QUEUED_BACKEND = "partnerportal.notifications.backends.QueuedEmailBackend"


def _connection():
    """The backend that really delivers. EMAIL_BACKEND queues (backends.py); delivering through
    it would only queue again. Where EMAIL_BACKEND is something else (the tests' in-memory
    outbox), that is used as it is."""
    if settings.EMAIL_BACKEND == QUEUED_BACKEND:
        return get_connection(settings.PARTNERPORTAL_EMAIL_DELIVERY_BACKEND)
    return get_connection()


def attachment_binary(filename: str, content: bytes, mimetype: str) -> list[str]:
    """A binary attachment (a PDF) as plain values the e-mail task can carry: base64 text."""
    return [filename, base64.b64encode(content).decode("ascii"), mimetype, ATTACHMENT_BASE64]


def email_send(
    *,
    to_email: str,
    language: str,
    template: str,
    context: dict,
    attachments: list[list[str]] | None = None,
) -> None:
    """Render and send one e-mail in the recipient's language, as text with an HTML alternative.

    The language is the recipient's, not that of whoever triggered the event, hence the explicit
    override: a task has no request whose language could leak in.
    """
    with translation.override(language):
        feed_url = settings.SITE_URL.rstrip("/") + reverse("notifications:feed")
        context = {"site_url": settings.SITE_URL, "feed_url": feed_url, **context}
        subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
        subject = " ".join(subject.split())
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[to_email], connection=_connection()
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype, *encoding in attachments or []:
        # A binary file (a PDF) travels through the task queue's JSON as base64, marked so.
        if encoding == [ATTACHMENT_BASE64]:
            content = base64.b64decode(content)
        message.attach(filename, content, mimetype)
    message.send()
    # Only the template: addresses and names are personal data and stay out of the logs.
    logger.info("E-mail sent: template=%s language=%s", template, language)


def message_payload(message: EmailMessage) -> dict:
    """A message another library rendered (allauth), as plain values a task can carry: the
    database task queue stores its arguments as JSON. Attachments cannot travel that way; no
    mail of ours or of the libraries we use has one, so one is refused rather than dropped."""
    if message.attachments:
        raise ValueError("A queued e-mail cannot carry attachments.")
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "to": [str(address) for address in message.to],
        "cc": [str(address) for address in message.cc],
        "bcc": [str(address) for address in message.bcc],
        "reply_to": [str(address) for address in message.reply_to],
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "content_subtype": message.content_subtype,
        "alternatives": [
            [str(content), str(mimetype)]
            for content, mimetype in getattr(message, "alternatives", None) or []
        ],
    }


def message_send(payload: dict, *, kind: str) -> None:
    """Send a message built by message_payload; `kind` names it in the log (never an address)."""
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload.get("cc") or None,
        bcc=payload.get("bcc") or None,
        reply_to=payload.get("reply_to") or None,
        headers=payload.get("headers") or None,
        connection=_connection(),
    )
    message.content_subtype = payload.get("content_subtype", "plain")
    for content, mimetype in payload.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    message.send()
    logger.info("E-mail sent: kind=%s", kind)
