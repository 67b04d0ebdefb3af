"""Loads the demo's articles, programme and format pages (demo/texts.py) in German and English.
Idempotent: a page is found again by its address below its list; the English page is the German
one's Wagtail translation (same translation key). Published at once, without the review: demo
data is not an editor's work."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Locale

from partnerportal.registry.models import Municipality, Partnership, Programme, Theme

from ..models import (
    ArticleIndexPage,
    ArticlePage,
    FormatPage,
    HomePage,
    Interview,
    NewsArticle,
    PracticeExample,
    ProgrammeContact,
    ProgrammePage,
)
from . import texts

KINDS = {"news": NewsArticle, "interview": Interview, "practice": PracticeExample}


def _municipality(name: str, *, german: bool):
    queryset = Municipality.objects.filter(name=name)
    queryset = queryset.filter(country_id="DE") if german else queryset.exclude(country_id="DE")
    return queryset.first()


def _partnership(names):
    german, partner = _municipality(names[0], german=True), _municipality(names[1], german=False)
    if german is None or partner is None:
        return None, [m for m in (german, partner) if m is not None]
    first, second = Partnership.ordered_pair(german, partner)
    partnership = Partnership.objects.filter(municipality_a=first, municipality_b=second).first()
    return partnership, [german, partner]


def _programmes() -> dict[str, Programme]:
    result = {}
    for slug, name in texts.PROGRAMMES.items():
        result[slug], _created = Programme.objects.get_or_create(slug=slug, defaults={"name": name})
    return result


def _set_fields(page, values: dict, names: tuple[str, ...]) -> None:
    for name in names:
        if name in values:
            setattr(page, name, values[name])


def _translate(page, locale_en, values: dict, names: tuple[str, ...]):
    """The English translation of `page`, created once (a later run leaves it as staff left
    it)."""
    existing = page.get_translation_or_none(locale_en)
    if existing is not None:
        return existing, False
    page_en = page.copy_for_translation(locale_en)
    _set_fields(page_en, values, names)
    page_en.save_revision().publish()
    return page_en, True


ARTICLE_FIELDS = ("title", "teaser", "body", "results", "lessons")


def _article(spec: dict, programmes: dict, indexes: dict, locale_en) -> int:
    cls = KINDS[spec["kind"]]
    purpose = "practice_examples" if spec["kind"] == "practice" else "news"
    parent = indexes[purpose]
    created = 0
    page = ArticlePage.objects.child_of(parent).filter(slug=spec["slug"]).first()
    if page is None:
        page = cls(slug=spec["slug"], date=spec["date"], place=spec["place"], live=False)
        _set_fields(page, spec["de"], ARTICLE_FIELDS)
        if spec.get("interviewee"):
            page.interviewee = spec["interviewee"]
            page.interviewee_role = spec["de"].get("role", "")
        parent.add_child(instance=page)
        partnership, municipalities = _partnership(spec["partnership"])
        page.partnerships = [partnership] if partnership else []
        page.municipalities = municipalities
        page.countries = spec.get("countries", [])
        page.programmes = [programmes[slug] for slug in spec.get("programmes", [])]
        page.themes = list(Theme.objects.filter(code__in=spec.get("themes", [])))
        page.tags.add(*spec.get("tags", []))
        page.save()
        page.save_revision().publish()
        created += 1
    page = page.specific
    values = dict(spec["en"])
    if spec.get("interviewee"):
        values["interviewee_role"] = values.get("role", "")
    _page_en, made = _translate(page, locale_en, values, (*ARTICLE_FIELDS, "interviewee_role"))
    return created + made


PROGRAMME_FIELDS = (
    "title",
    "teaser",
    "background",
    "goal",
    "approach",
    "offer_details",
    "target_group",
)


def _programme_page(spec: dict, home, programmes: dict, locale_en) -> int:
    created = 0
    page = ProgrammePage.objects.child_of(home).filter(slug=spec["slug"]).first()
    if page is None:
        page = ProgrammePage(slug=spec["slug"], programme=programmes[spec["programme"]], live=False)
        _set_fields(page, spec["de"], PROGRAMME_FIELDS)
        for offer in spec["offers"]:
            setattr(page, f"offers_{offer}", True)
        home.add_child(instance=page)
        page.countries = spec["countries"]
        page.themes = list(Theme.objects.filter(code__in=spec["themes"]))
        page.contacts = [
            ProgrammeContact(name=name, role=role, email=email, phone=phone)
            for name, role, email, phone in spec["de"]["contacts"]
        ]
        page.save()
        page.save_revision().publish()
        created += 1
    existing = page.get_translation_or_none(locale_en)
    if existing is None:
        page_en = page.copy_for_translation(locale_en)
        _set_fields(page_en, spec["en"], PROGRAMME_FIELDS)
        page_en.contacts = [
            ProgrammeContact(name=name, role=role, email=email, phone=phone)
            for name, role, email, phone in spec["en"]["contacts"]
        ]
        page_en.save_revision().publish()
        created += 1
    return created


FORMAT_FIELDS = ("title", "teaser", "rhythm", "body", "target_group")


def _format_page(spec: dict, home, locale_en) -> int:
    created = 0
    page = FormatPage.objects.child_of(home).filter(slug=spec["slug"]).first()
    if page is None:
        page = FormatPage(slug=spec["slug"], live=False)
        _set_fields(page, spec["de"], FORMAT_FIELDS)
        home.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    _page_en, made = _translate(page, locale_en, spec["en"], FORMAT_FIELDS)
    return created + made


@transaction.atomic
def demo_content_load() -> int:
    """Returns how many pages (German and English) were created."""
    locale_de = Locale.objects.get(language_code="de")
    locale_en = Locale.objects.get(language_code="en")
    home = HomePage.objects.get(locale=locale_de)
    indexes = {index.purpose: index for index in ArticleIndexPage.objects.filter(locale=locale_de)}
    programmes = _programmes()
    created = 0
    for spec in texts.PROGRAMME_PAGES:
        created += _programme_page(spec, home, programmes, locale_en)
    for spec in texts.FORMAT_PAGES:
        created += _format_page(spec, home, locale_en)
    for spec in [*texts.ARTICLES, *texts.PRACTICE_EXAMPLES]:
        created += _article(spec, programmes, indexes, locale_en)
    return created
