"""factory_boy factories for content's pages: the two article lists under the home page and
articles of each kind in them.

    news = ArticleIndexFactory(title="Aktuelles")           # under the German home page
    NewsArticleFactory(parent=news, municipalities=[koeln], themes=["sdg-13"])
    PracticeExampleFactory(parent=practice, draft=True)      # saved, never published
    NewsArticleFactory(parent=news, scheduled=True)          # go_live_at tomorrow
    ArticleIndexFactory(language="en")                       # under the English home page

Pages are added to the tree as Wagtail's back office does (parent.add_child). The `site`
fixture must have run (it makes the home pages). Many-to-many fields take objects or, for
themes, codes; they are written with the page's first save."""

from __future__ import annotations

import datetime
import gc
import io
import warnings

import factory
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from partnerportal.content.models import (
    ArticleIndexPage,
    HomePage,
    Interview,
    NewsArticle,
    PracticeExample,
    ProgrammePage,
)
from partnerportal.content.selectors import CARD_RENDITION
from partnerportal.registry.models import Theme


def home_page(language: str = "de") -> HomePage:
    return HomePage.objects.get(locale__language_code=language)


class _PageFactory(factory.Factory):
    """Builds the page in memory and adds it below `parent` (default: the home page of
    `language`)."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Seite {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title) or "seite")

    #: Passed on to _create, not to the model.
    parent = None
    language = "de"

    class Params:
        #: Saved as a draft that was never published.
        draft = factory.Trait(live=False)

    @classmethod
    def _create(cls, model_class, *args, parent=None, language="de", **kwargs):
        many = {
            name: kwargs.pop(name)
            for name in ("municipalities", "partnerships", "countries", "programmes", "themes")
            if name in kwargs
        }
        page = model_class(**kwargs)
        if "themes" in many:
            many["themes"] = [
                Theme.objects.get(code=item) if isinstance(item, str) else item
                for item in many["themes"]
            ]
        for name, values in many.items():
            getattr(page, name).set(values)
        (parent or home_page(language)).add_child(instance=page)
        if not page.live:
            page.save_revision()
        return page


class ArticleIndexFactory(_PageFactory):
    class Meta:
        model = ArticleIndexPage

    title = factory.Sequence(lambda n: f"Aktuelles {n}")


class _ArticleFactory(_PageFactory):
    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Beitrag {n}")
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    teaser = factory.LazyAttribute(lambda o: f"Worum es in „{o.title}“ geht.")

    class Params:
        #: Published, but to go live tomorrow (the scheduler has not run).
        scheduled = factory.Trait(
            go_live_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
        )
        #: Published, but its time ran out yesterday.
        expired = factory.Trait(
            expire_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
        )


class NewsArticleFactory(_ArticleFactory):
    class Meta:
        model = NewsArticle


class InterviewFactory(_ArticleFactory):
    class Meta:
        model = Interview


class PracticeExampleFactory(_ArticleFactory):
    class Meta:
        model = PracticeExample


class ProgrammePageFactory(_PageFactory):
    class Meta:
        model = ProgrammePage

    title = factory.Sequence(lambda n: f"Programm {n}")
    teaser = "Wozu es das Programm gibt."


def image_create(title: str = "Bild", size: tuple[int, int] = (640, 360)):
    """A small PNG in Wagtail's image library."""
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, (23, 26, 71)).save(buffer, format="PNG")
    # A transactional test's flush takes Wagtail's root collection with it.
    collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    image = get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{slugify(title)}.png"), collection=collection
    )
    # The card's thumbnail, made now: Wagtail leaves the temporary file of a new rendition open
    # (a ResourceWarning, an error under our warning filter); it is collected here, quietly.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        image.get_rendition(CARD_RENDITION)
        gc.collect()
    image.file.close()
    return image
