"""The static files of the npm packages (STATICFILES_DIRS), less those no page asks for.

The packages come whole: world-atlas holds the Natural Earth outlines at three scales (8 MB
where the atlas uses the 105 kB one), Leaflet and htmx their unminified and module builds with
source maps. collectstatic hashes and compresses everything it finds, so these files made up
most of its work on every installation and update (19 s of 24 s). Patterns as in
`collectstatic --ignore`, from PARTNERPORTAL_STATIC_IGNORE; a file left out is not found in
development either, so that a page cannot come to depend on it there and fail in production."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.finders import FileSystemFinder
from django.contrib.staticfiles.utils import matches_patterns


class VendorFinder(FileSystemFinder):
    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), *settings.PARTNERPORTAL_STATIC_IGNORE])

    def find_location(self, root, path, prefix=None):
        name = path.rsplit("/", 1)[-1]
        if matches_patterns(name, settings.PARTNERPORTAL_STATIC_IGNORE):
            return None
        return super().find_location(root, path, prefix)
