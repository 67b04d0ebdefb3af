"""Any saved or deleted registry record makes cached atlas views and API answers stale."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from partnerportal.geo.models import Country

from .changes import registry_changed
from .models import (
    Actor,
    ContactPerson,
    Municipality,
    Partnership,
    PartnershipStatusChange,
    Programme,
    Theme,
)

#: Everything the atlas, the statistics, the exports and the API show.
WATCHED = (
    Municipality,
    Partnership,
    PartnershipStatusChange,
    Theme,
    Programme,
    Actor,
    ContactPerson,
    Country,
)


def _registry_record_changed(sender, **kwargs) -> None:
    registry_changed()


# Connected per model, so that saves elsewhere in the project do not pass through here.
for _model in WATCHED:
    post_save.connect(_registry_record_changed, sender=_model, dispatch_uid=f"registry-{_model}")
    post_delete.connect(_registry_record_changed, sender=_model, dispatch_uid=f"registry-{_model}")


@receiver(m2m_changed, sender=Partnership.themes.through)
@receiver(m2m_changed, sender=Partnership.programmes.through)
def _partnership_relations_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        registry_changed()
