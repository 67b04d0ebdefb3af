"""Pages and images for the content tests: real pages in the real tree, published through
revisions as the back office does."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from partnerportal.content.models import ArticleIndexPage, ArticlePage


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (23, 26, 71)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(name: str = "foto.png", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes() if content is None else content, "image/png")


def image(title: str = "Bild"):
    from django.core.files.images import ImageFile

    return get_image_model().objects.create(
        title=title, file=ImageFile(io.BytesIO(png_bytes(1600, 900)), name="bild.png")
    )


def index(purpose: str = "news", language: str = "de") -> ArticleIndexPage:
    return ArticleIndexPage.objects.get(purpose=purpose, locale__language_code=language)


def add_page(parent, page, *, publish: bool = True, user=None, **m2m):
    """Add `page` below `parent` with its many-to-many values, as a revision; published unless
    told otherwise."""
    if isinstance(page, ArticlePage) and page.date is None:
        page.date = dt.date(2026, 11, 3)
    page.live = False
    parent.add_child(instance=page)
    if m2m:
        for name, values in m2m.items():
            setattr(page, name, values)
        page.save()
    revision = page.save_revision(user=user)
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page
