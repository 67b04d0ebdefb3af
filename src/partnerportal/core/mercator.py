"""Web Mercator, the projection of map tiles: the one place it is computed (the registry stores
each place's position, the atlas cuts the visible area into cells with it)."""

import math

#: Web Mercator ends here; the poles lie at infinity.
MERCATOR_MAX_LATITUDE = 85.0511287798


def web_mercator(latitude: float, longitude: float) -> tuple[float, float]:
    """The position on the unit Web Mercator square (x east, y south), as map tiles use it."""
    lat = math.radians(max(-MERCATOR_MAX_LATITUDE, min(MERCATOR_MAX_LATITUDE, latitude)))
    x = (longitude + 180.0) / 360.0
    y = (1.0 - math.log(math.tan(lat) + 1.0 / math.cos(lat)) / math.pi) / 2.0
    return min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0)
