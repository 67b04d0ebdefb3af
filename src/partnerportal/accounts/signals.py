"""Keep the back office in the person's language (Wagtail reads its own profile setting); count
the set-up of a second factor as passing it in that session."""

from allauth.mfa.signals import authenticator_added
from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import second_factor
from .models import User


@receiver(post_save, sender=User, dispatch_uid="accounts.wagtail_admin_language")
def wagtail_admin_language_sync(sender, instance: User, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "language" not in update_fields:
        return  # a login saves last_login only: no profile query on every login
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(instance)
    # The back office speaks fewer languages than the site: "" lets Wagtail use German.
    admin_languages = dict(settings.WAGTAILADMIN_PERMITTED_LANGUAGES)
    language = instance.language if instance.language in admin_languages else ""
    if profile.preferred_language != language:
        profile.preferred_language = language
        profile.save(update_fields=["preferred_language"])


@receiver(authenticator_added, dispatch_uid="accounts.second_factor_at_set_up")
def second_factor_passed_at_set_up(sender, request, user, authenticator, **kwargs) -> None:
    """Setting up TOTP means typing a valid code: that session has passed the second factor
    (recovery codes made alongside prove nothing and are not recorded)."""
    if request is None or authenticator.type != authenticator.Type.TOTP:
        return
    second_factor.session_second_factor_record(request, user, authenticator=authenticator)
