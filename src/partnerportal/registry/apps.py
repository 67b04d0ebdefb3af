from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "partnerportal.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from partnerportal.audit.permissions import visibility_register

        from . import signals  # noqa: F401
        from .models import Actor, ContactPerson, Partnership
        from .permissions import can_view_contact, can_view_partnership

        # The trail of something hidden from a person answers 404, as its page does.
        visibility_register(Partnership, can_view_partnership)
        visibility_register(
            Actor, lambda user, actor: can_view_partnership(user, actor.partnership)
        )
        # A public contact of a hidden proposal is as hidden as the proposal.
        visibility_register(
            ContactPerson,
            lambda user, contact: (
                can_view_partnership(user, contact.partnership) and can_view_contact(user, contact)
            ),
        )
