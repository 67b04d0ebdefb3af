"""allauth adapter: e-mails in the recipient's language; the language chosen at sign-up is kept."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user.language = (translation.get_language() or "de")[:2]
        return super().save_user(request, user, form, commit)
