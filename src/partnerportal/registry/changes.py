"""When the registry last changed (a `core.versions.ChangeVersion`).

The atlas caches its clusters and statistics under this version, and the API answers
ETag/Last-Modified from it, so a change anywhere in the registry (a save, a delete, an import)
makes every cached view stale at once, on every app server. Signals catch single saves; bulk
writes (the importers) call `registry_changed()` themselves.
"""

from __future__ import annotations

from datetime import datetime

from partnerportal.core.versions import ChangeVersion

REGISTRY_VERSION = ChangeVersion("registry:changed-at")


def registry_changed() -> None:
    """Mark the registry as changed once the current transaction commits."""
    REGISTRY_VERSION.changed()


def registry_version() -> float:
    """A number that grows whenever the registry changes (seconds since the epoch, UTC)."""
    return REGISTRY_VERSION.current()


def registry_last_modified(version: float | None = None) -> datetime:
    return REGISTRY_VERSION.last_modified(version)
