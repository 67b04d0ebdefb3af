"""What other apps add to the places where municipal editors work: a section on the work page
of their municipality (`/register/meine-kommune/<pk>/`) and buttons on a partnership's page.

The registry is a lower layer (ADR 0006): content offers editors to submit practice examples,
and registers a provider here in its `AppConfig.ready()` rather than being imported. A section is
a template name and its context; the registry's templates include it without knowing the app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class EditorSection:
    """A section of the work page: `template` is rendered with `section` in its context."""

    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class EditorAction:
    """A button on a partnership's page for its editors."""

    label: str
    url: str


_WORK_PAGE_SECTIONS: list[Callable[..., EditorSection | None]] = []
_PARTNERSHIP_ACTIONS: list[Callable[..., list[EditorAction]]] = []


def work_page_section_register(provider: Callable[..., EditorSection | None]) -> None:
    """`provider(*, user, municipality)` returns a section (or None) for that work page."""
    if provider not in _WORK_PAGE_SECTIONS:
        _WORK_PAGE_SECTIONS.append(provider)


def partnership_editor_actions_register(provider: Callable[..., list[EditorAction]]) -> None:
    """`provider(*, user, partnership)` returns the buttons `user` gets on the partnership's
    page (called only for people who edit it)."""
    if provider not in _PARTNERSHIP_ACTIONS:
        _PARTNERSHIP_ACTIONS.append(provider)


def work_page_sections(*, user, municipality) -> list[EditorSection]:
    sections = [provider(user=user, municipality=municipality) for provider in _WORK_PAGE_SECTIONS]
    return [section for section in sections if section is not None]


def partnership_editor_actions(*, user, partnership) -> list[EditorAction]:
    return [
        action
        for provider in _PARTNERSHIP_ACTIONS
        for action in provider(user=user, partnership=partnership)
    ]
