"""What a person's activity page shows. Their own entries (`Activity`, written by `notify`)
leave out what they did themselves ("they know") and the many edits nobody is told about by
e-mail, so an editor who had just saved a partnership read "Nothing has happened yet". Apps
above add sections here instead (`feed_source_register` in their AppConfig.ready): the
registry adds the latest changes to the partnerships of the municipalities a person edits for,
read from the audit trail, their own changes included, the moment they are saved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator

from .models import Activity

PAGE_SIZE = 20


@dataclass(frozen=True)
class FeedEntry:
    when: datetime
    who: str
    by_you: bool
    text: str
    url: str = ""
    link_text: str = ""
    details: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FeedSection:
    title: str
    entries: list[FeedEntry]
    more_url: str = ""
    more_label: str = ""


FeedSource = Callable[[object], FeedSection | None]
_SOURCES: list[FeedSource] = []


def feed_source_register(source: FeedSource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def feed_sections(user) -> list[FeedSection]:
    """The sections other apps add for `user`, empty ones left out."""
    sections = [source(user) for source in _SOURCES]
    return [section for section in sections if section is not None and section.entries]


def activity_page(user, page_number) -> Page:
    activities = Activity.objects.for_user(user).select_related("actor")
    return Paginator(activities, PAGE_SIZE).get_page(page_number)
