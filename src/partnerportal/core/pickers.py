"""Choosing one record out of many by typing its name: a text field that the server resolves,
with suggestions as one types (htmx fills a native <datalist>).

A select with every municipality made the editors page 1.2 MB and 7 s; this field sends none.
It works without JavaScript: the text is resolved on the server (an exact label, an
identifier, or a name that only one record has); several matches are refused with the
candidates named, and the re-rendered field offers them in its list.

The app that owns the records registers a `Picker` in its `AppConfig.ready`, so a lower app's
form (accounts' memberships) can use the registry's search without importing it
(docs/decisions/0006)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from .text import fold

#: How many candidates the suggestions and an ambiguity message name.
PICKER_LIMIT = 10


@dataclass(frozen=True)
class Picker:
    #: The best candidates for a typed text, best first (at most `limit`).
    search: Callable[[str, int], Sequence[Any]]
    #: A label that names one record unambiguously (name, region, identifier).
    label: Callable[[Any], str]
    #: The record a full label or a bare identifier names, or None.
    lookup: Callable[[str], Any | None]
    #: The name a record is typed as (compared folded with what was typed).
    name: Callable[[Any], str]
    #: URL name of the suggestions endpoint (`picker_options` answers).
    url_name: str


_PICKERS: dict[str, Picker] = {}


def picker_register(kind: str, picker: Picker) -> None:
    _PICKERS[kind] = picker


def picker_get(kind: str) -> Picker:
    try:
        return _PICKERS[kind]
    except KeyError:  # pragma: no cover - a programming error, at start-up
        raise LookupError(f"no picker registered for {kind!r}") from None


def picker_resolve(kind: str, text: str) -> tuple[Any | None, list[Any]]:
    """(the one record `text` names, or None; the candidates when there are several or none)."""
    picker = picker_get(kind)
    text = " ".join(text.split())
    if not text:
        return None, []
    found = picker.lookup(text)
    if found is not None:
        return found, []
    candidates = list(picker.search(text, PICKER_LIMIT + 1))
    folded = fold(text)
    exact = [c for c in candidates if fold(picker.name(c)) == folded]
    if len(exact) == 1:
        return exact[0], []
    if len(candidates) == 1:
        return candidates[0], []
    return None, (exact or candidates)[:PICKER_LIMIT]


class PickerInput(forms.TextInput):
    """A text input with a datalist of suggestions that htmx refreshes as one types."""

    template_name = "partnerportal/forms/picker.html"

    def __init__(self, kind: str, attrs=None):
        super().__init__(attrs)
        self.kind = kind
        self.options: list[str] = []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        picker = picker_get(self.kind)
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        list_id = f"{widget_id}_options"
        context["widget"]["attrs"].update(
            {
                "list": list_id,
                "autocomplete": "off",
                "hx-get": reverse(picker.url_name),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{list_id}",
                "hx-vals": f'{{"field": "{name}"}}',
                "hx-sync": "this:replace",
            }
        )
        context["widget"]["list_id"] = list_id
        context["widget"]["options"] = self.options
        return context


class PickerField(forms.Field):
    """One record chosen by its name; the cleaned value is the record."""

    default_error_messages = {
        "not_found": _("No entry matches “%(text)s”. Please check the spelling."),
        "ambiguous": _(
            "Several entries match “%(text)s”: %(candidates)s. Please choose one from the list "
            "or type it as shown."
        ),
    }

    def __init__(self, kind: str, **kwargs):
        self.kind = kind
        kwargs.setdefault("widget", PickerInput(kind))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int):
            return value
        return picker_get(self.kind).label(value)

    def to_python(self, value):
        text = (value or "").strip() if isinstance(value, str) else value
        if text in self.empty_values:
            return None
        if not isinstance(text, str):
            return text
        found, candidates = picker_resolve(self.kind, text)
        if found is not None:
            return found
        picker = picker_get(self.kind)
        labels = [picker.label(c) for c in candidates]
        # The re-rendered field offers the candidates in its list, with or without JavaScript.
        self.widget.options = labels
        if not candidates:
            raise ValidationError(
                self.error_messages["not_found"], code="not_found", params={"text": text}
            )
        raise ValidationError(
            self.error_messages["ambiguous"],
            code="ambiguous",
            params={"text": text, "candidates": "; ".join(labels)},
        )

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.options = []
        return result


def picker_options_html(kind: str, text: str) -> str:
    """The <option>s of the suggestions list for `text` (the endpoint's answer)."""
    picker = picker_get(kind)
    text = " ".join(text.split())
    if not text:
        return ""
    labels = [picker.label(c) for c in picker.search(text, PICKER_LIMIT)]
    return format_html_join("\n", '<option value="{}"></option>', ((label,) for label in labels))


__all__ = [
    "PICKER_LIMIT",
    "Picker",
    "PickerField",
    "PickerInput",
    "picker_get",
    "picker_options_html",
    "picker_register",
    "picker_resolve",
]
