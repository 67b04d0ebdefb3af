"""Personal data that higher apps keep about a person (event registrations, advisory requests,
expert profiles), brought into the account's export (Art. 15 GDPR) and its erasure (Art. 17)
without accounts importing those apps (ADR 0006): each app registers a provider in its
AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonalDataProvider:
    #: key of the section in the export, e.g. "event_registrations"
    key: str
    #: export(user) -> JSON-serialisable data about the person (lists of dicts)
    export: Callable[[Any], Any]
    #: erase(user, addresses) anonymises what the app keeps about the person (called inside the
    #: account's erasure transaction; `addresses` are all e-mail addresses the person used)
    erase: Callable[[Any, list[str]], None]
    #: erasure_note() -> a sentence for the account's deletion page on what the app keeps (and
    #: why), e.g. records under a legal retention duty; None: nothing to say
    erasure_note: Callable[[], str] | None = None


_PROVIDERS: dict[str, PersonalDataProvider] = {}


def personal_data_register(provider: PersonalDataProvider) -> None:
    _PROVIDERS[provider.key] = provider


def personal_data_providers() -> list[PersonalDataProvider]:
    return list(_PROVIDERS.values())


def personal_data_erasure_notes() -> list[str]:
    """What the apps say on the deletion page about what they keep after an erasure."""
    return [p.erasure_note() for p in _PROVIDERS.values() if p.erasure_note is not None]
