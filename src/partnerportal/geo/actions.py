"""Geo's actions in the audit trail, with their labels (registered with audit in
GeoConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GeoAction(models.TextChoices):
    COUNTRY_SYNCED = "country.synced", _("country data updated from the reference files")
    COUNTRY_CHANGED = "country.changed", _("country changed")
