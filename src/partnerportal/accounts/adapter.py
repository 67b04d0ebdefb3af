"""allauth adapter: the language chosen at sign-up is kept, and allauth's e-mails (address
confirmation, password reset, security notices of the second factor) leave through a task."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from partnerportal.notifications import services as notifications


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user.language = (translation.get_language() or "de")[:2]
        return super().save_user(request, user, form, commit)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render here, where allauth's context (request, site, keys) is at hand, and queue the
        delivery: no e-mail is sent inside a request, so a slow or failing mail server neither
        slows the page nor tells an attacker anything by its timing."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        # A person with an account reads it in their own language (links included), whatever
        # the page they asked from; without one (sign-up, unknown address) in the page's.
        user = context.get("user")
        language = getattr(user, "language", "") if getattr(user, "pk", None) else ""
        if language not in dict(settings.LANGUAGES):
            language = translation.get_language() or settings.LANGUAGE_CODE
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        notifications.email_message_enqueue(message=message, kind=template_prefix)
