"""The one way a file gets in: content, events and funding all validate uploads here.

The type is read from the bytes (magic numbers through `filetype`; text types by decoding), never
from the name or the browser's Content-Type, which the sender controls. The extension must then
agree with what the bytes are, so that a download is opened by the program it claims to be for.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

#: How much of the file detection reads. Office documents (zip containers) name their kind in
#: the first entries; 64 KiB is plenty for them and cheap for everything else.
HEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class FileKind:
    """A kind of file we accept: the extensions it may carry and the type served for it."""

    key: str
    mime: str
    extensions: tuple[str, ...]
    #: The MIME type `filetype` reports for it; None for text kinds detected by decoding.
    magic_mime: str | None


KINDS: dict[str, FileKind] = {
    kind.key: kind
    for kind in (
        FileKind("pdf", "application/pdf", ("pdf",), "application/pdf"),
        FileKind("png", "image/png", ("png",), "image/png"),
        FileKind("jpeg", "image/jpeg", ("jpg", "jpeg"), "image/jpeg"),
        FileKind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ("docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        FileKind(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ("xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        FileKind(
            "odt",
            "application/vnd.oasis.opendocument.text",
            ("odt",),
            "application/vnd.oasis.opendocument.text",
        ),
        FileKind("csv", "text/csv", ("csv",), None),
        FileKind("txt", "text/plain", ("txt",), None),
    )
}

DEFAULT_KINDS: tuple[str, ...] = ("pdf", "png", "jpeg", "docx", "xlsx", "odt", "csv")
TEXT_KINDS = frozenset(key for key, kind in KINDS.items() if kind.magic_mime is None)


def _default_max_bytes() -> int:
    return settings.PARTNERPORTAL_UPLOAD_MAX_BYTES


@dataclass(frozen=True)
class UploadPolicy:
    """What one upload field accepts. `UploadPolicy(kinds=("pdf",))` for a report,
    `UploadPolicy(kinds=("png", "jpeg"))` for a picture; the size limit defaults to the setting."""

    kinds: tuple[str, ...] = DEFAULT_KINDS
    max_bytes: int = field(default_factory=_default_max_bytes)

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"Unknown upload kinds: {', '.join(sorted(unknown))}")

    @property
    def extensions(self) -> list[str]:
        return [ext for key in self.kinds for ext in KINDS[key].extensions]

    @property
    def accept(self) -> str:
        """For the file input's `accept` attribute (a hint to the browser, not a check)."""
        return ",".join(f".{ext}" for ext in self.extensions)


@dataclass(frozen=True)
class DetectedType:
    kind: str
    mime: str
    extension: str
    size: int


def _read_head(file: Any) -> bytes:
    """The first bytes, leaving the file where it was found."""
    position = file.tell() if hasattr(file, "tell") else None
    if hasattr(file, "seek"):
        file.seek(0)
    head = file.read(HEAD_BYTES)
    if hasattr(file, "seek"):
        file.seek(position or 0)
    return head if isinstance(head, bytes) else head.encode()


def _is_text(file: Any) -> bool:
    """UTF-8 (a BOM allowed) without NUL bytes, checked over the whole file in chunks."""
    if hasattr(file, "seek"):
        file.seek(0)
    chunks: Iterable[bytes] = file.chunks() if hasattr(file, "chunks") else [file.read()]
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in chunks:
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        if hasattr(file, "seek"):
            file.seek(0)
    return True


def _size(file: Any) -> int:
    size = getattr(file, "size", None)
    if size is not None:
        return int(size)
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    return size


def detect_kind(file: Any) -> str | None:
    """The kind of file the bytes say it is, among all kinds we know; None if none."""
    head = _read_head(file)
    if not head:
        return None
    guess = filetype.guess(head)
    if guess is not None:
        for kind in KINDS.values():
            if kind.magic_mime == guess.mime:
                return kind.key
        return None
    if _is_text(file):
        return "text"
    return None


def validate_upload(file: Any, *, policy: UploadPolicy) -> DetectedType:
    """Check an uploaded file against a policy and say what it is.

    Raises ValidationError (codes: empty, too_large, unsupported, extension_mismatch) with a
    message the person uploading can act on."""
    allowed = ", ".join(policy.extensions)
    size = _size(file)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > policy.max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s). At most %(max)s are allowed."),
            code="too_large",
            params={"size": filesizeformat(size), "max": filesizeformat(policy.max_bytes)},
        )

    name = getattr(file, "name", "") or ""
    extension = PurePath(name).suffix.lower().lstrip(".")
    detected = detect_kind(file)
    if detected == "text":
        # Plain text carries no signature: the extension says which text kind is meant.
        detected = next((key for key in TEXT_KINDS if extension in KINDS[key].extensions), "txt")
    if detected is None or detected not in policy.kinds:
        raise ValidationError(
            _("This type of file cannot be uploaded here. Allowed are: %(allowed)s."),
            code="unsupported",
            params={"allowed": allowed},
        )
    kind = KINDS[detected]
    if extension not in kind.extensions:
        raise ValidationError(
            _(
                "The file name ends in “.%(extension)s” but the file is a %(kind)s file. "
                "Please rename it to “.%(expected)s” or upload the right file."
            ),
            code="extension_mismatch",
            params={
                "extension": extension or "",
                "kind": kind.key.upper(),
                "expected": kind.extensions[0],
            },
        )
    return DetectedType(kind=kind.key, mime=kind.mime, extension=extension, size=size)


class ValidatedFileField(forms.FileField):
    """A form field that only lets through what `validate_upload` accepts; the detected type is
    available as `cleaned_file.detected_type` for the service that stores it."""

    def __init__(self, *, policy: UploadPolicy | None = None, **kwargs: Any) -> None:
        self.policy = policy or UploadPolicy()
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput):
            attrs.setdefault("accept", self.policy.accept)
        return attrs

    def clean(self, data: Any, initial: Any = None) -> Any:
        file = super().clean(data, initial)
        if file and file is not initial and hasattr(file, "read"):
            file.detected_type = validate_upload(file, policy=self.policy)
        return file
