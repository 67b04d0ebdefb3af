"""The e-mail backend every request uses: it queues, the task delivers.

Our own e-mails and allauth's are queued explicitly (services.py, accounts/adapter.py); this
backend catches what other code sends through Django's mail API on its own (Wagtail's
moderation notices, Django's mail_admins), so that no e-mail is sent inside a request either
way. The task sends through PARTNERPORTAL_EMAIL_DELIVERY_BACKEND (the backend of EMAIL_URL)."""

from django.core.mail.backends.base import BaseEmailBackend


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        from .services import email_message_enqueue

        queued = 0
        for message in email_messages:
            try:
                email_message_enqueue(message=message, kind="django.core.mail")
            except Exception:
                if not self.fail_silently:
                    raise
                continue
            queued += 1
        return queued
