"""Keep the back office in the person's language: Wagtail reads its own profile setting."""

from django.db.models.signals import post_save
from django.dispatch import receiver

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
    if profile.preferred_language != instance.language:
        profile.preferred_language = instance.language
        profile.save(update_fields=["preferred_language"])
