"""How history records are written: one per edit, not one per step of it."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models


@contextmanager
def history_deferred(obj: models.Model) -> Iterator[None]:
    """Changes of `obj`'s tracked many-to-many fields inside the block write no history record
    of their own; the next save of `obj` records them together with its fields. So one edit is
    one entry in the trail (simple-history writes one record per add and per remove)."""
    already = getattr(obj, "skip_history_when_saving", None)
    obj.skip_history_when_saving = True
    try:
        yield
    finally:
        if already is None:  # leave the object as it was (a caller may have set the flag)
            del obj.skip_history_when_saving
        else:
            obj.skip_history_when_saving = already
