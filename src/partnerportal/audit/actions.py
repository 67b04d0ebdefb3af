"""The actions services record in the trail, as people read them.

Each app names its actions in a `TextChoices` of its own (`RegistryAction`, `AccountsAction`, …)
and registers it here from its `AppConfig.ready()` (`actions_register`), so that audit, at the
foot of the layers, can label codes without importing the apps that record them. The trail
shows the label; a code nobody registered is shown as it is and warned about when it is
recorded (`action_check`), which fails the tests (warnings are errors there)."""

import warnings

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Audit's own codes: simple-history's kinds of save where no action was named, and the
    revert."""

    CREATED = "create", _("created")
    CHANGED = "update", _("changed")
    DELETED = "delete", _("deleted")
    REVERTED = "audit.reverted", _("change reverted")


class UnknownActionWarning(UserWarning):
    """A change was recorded under a code no app registered: it has no label to show."""


_ACTIONS: dict[str, models.TextChoices] = {}


def actions_register(choices: type[models.TextChoices]) -> None:
    """Let an app make its action codes known, with their labels (called from its ready())."""
    for member in choices:
        known = _ACTIONS.get(member.value)
        if known is not None and type(known) is not choices:
            raise ImproperlyConfigured(
                f"Audit action {member.value!r} is registered by {type(known).__name__} "
                f"and {choices.__name__}."
            )
        _ACTIONS[member.value] = member


def registered_actions() -> dict[str, models.TextChoices]:
    """Every registered code with its member (for tests and checks)."""
    return dict(_ACTIONS)


def action_label(code: str) -> str:
    member = _ACTIONS.get(code)
    return str(member.label) if member is not None else code


def action_check(code: str | None) -> None:
    """Warn about a code without a label: the trail could only show it as code."""
    if code and code not in _ACTIONS:
        warnings.warn(
            f"Audit action {code!r} is not registered (audit.actions.actions_register).",
            UnknownActionWarning,
            stacklevel=2,
        )


def history_record_check(sender, history_change_reason=None, **kwargs) -> None:
    action_check(history_change_reason)


actions_register(AuditAction)
