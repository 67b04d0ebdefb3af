"""Template helpers of the atlas: what an embedded map needs from the settings."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def atlas_tile_url() -> str:
    """The configured tile server, or "" for the offline basemap of country outlines."""
    return settings.MAP_TILE_URL
