"""What the registry makes searchable (core.search): municipalities, published partnerships
and programmes, with their countries and themes as facets. Registered in `apps.ready`."""

from collections.abc import Callable, Iterable

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from partnerportal.core.i18n import localized_name
from partnerportal.core.search.services import (
    search_object_changed,
    search_object_deleted,
    search_rows_sync,
    search_source_rebuild,
)
from partnerportal.core.search.sources import (
    DocumentData,
    FacetKind,
    SearchSource,
    facet_kind_register,
    search_source,
    search_source_register,
)
from partnerportal.geo.models import Country

from .models import Municipality, Partnership, Programme, Theme


def _path(name: str, *args) -> str:
    """The address without its language prefix: registry documents serve every language."""
    with override("de"):
        return reverse(name, args=args).removeprefix("/de")


#: A primary key no row has, to reverse an address once and put each row's key into it.
_SOME_PK = 987654321


def _paths(name: str) -> Callable[[int], str]:
    """`_path(name, pk)` for many rows with one `reverse` (a rebuild asks for 60,000)."""
    head, tail = _path(name, _SOME_PK).split(str(_SOME_PK))
    return lambda pk: f"{head}{pk}{tail}"


def _country_words(country: Country | None) -> str:
    return f"{country.name_de} {country.name_en}" if country else ""


def _municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.select_related("country")


def _municipality_documents(rows: Iterable[Municipality]) -> Iterable[DocumentData]:
    path = _paths("registry:municipality_detail")
    for m in rows:
        names = " ".join(str(n) for n in (m.alternate_names or []) if isinstance(n, str))
        body = ", ".join(
            part
            for part in (
                m.official_name,
                m.get_kind_display(),
                m.district,
                m.state,
                _country_words(m.country),
                names,
            )
            if part
        )
        yield DocumentData(
            key=str(m.pk),
            title=m.name,
            url=path(m.pk),
            body=body,
            countries=[m.country_id],
        )


def _partnerships() -> QuerySet[Partnership]:
    return (
        Partnership.objects.public()
        .select_related("municipality_a__country", "municipality_b__country")
        .prefetch_related("themes")
    )


def _partnership_documents(rows: Iterable[Partnership]) -> Iterable[DocumentData]:
    path = _paths("registry:partnership_detail")
    for p in rows:
        a, b = p.municipality_a, p.municipality_b
        themes = list(p.themes.all())
        with override("de"):
            kind_de = str(p.get_type_display())
        with override("en"):
            kind_en = str(p.get_type_display())
        countries = {a.country_id: a.country, b.country_id: b.country}.values()
        body = " ".join(
            part
            for part in (
                p.description,
                f"{a.official_name} ({a.state or a.country.name_de}) – "
                f"{b.official_name} ({b.state or b.country.name_de}).",
                ", ".join(c.name_de for c in countries if c)
                + " ("
                + ", ".join(c.name_en for c in countries if c)
                + ").",
                ", ".join(f"{t.name_de} ({t.name_en})" for t in themes),
                f"{kind_de} ({kind_en}), {p.start_year}."
                if p.start_year
                else f"{kind_de} ({kind_en}).",
            )
            if part
        )
        yield DocumentData(
            key=str(p.pk),
            title=f"{a.name} – {b.name}",
            url=path(p.pk),
            body=body,
            themes=[t.code for t in themes],
            countries=[a.country_id, b.country_id],
        )


def _programme_documents(rows: Iterable[Programme]) -> Iterable[DocumentData]:
    for programme in rows:
        yield DocumentData(
            key=str(programme.pk),
            title=programme.name,
            url=programme.url or _path("registry:partnership_list"),
            body=programme.description,
        )


def _theme_names(codes: Iterable[str]) -> dict[str, str]:
    return {t.code: localized_name(t) for t in Theme.objects.filter(code__in=list(codes))}


def _country_names(codes: Iterable[str]) -> dict[str, str]:
    return {c.iso2: localized_name(c) for c in Country.objects.filter(iso2__in=list(codes))}


def _partnerships_of_municipality(sender, instance: Municipality, created=False, **kwargs):
    # A renamed municipality renames its partnerships' documents too.
    if not created:
        for partnership in Partnership.objects.involving(instance).only("pk"):
            search_object_changed(partnership)


def _themes_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Partnership):
        search_object_changed(instance)


def search_register() -> None:
    search_source_register(
        SearchSource(
            type="municipality",
            label=_("Municipality"),
            label_plural=_("Municipalities"),
            model=Municipality,
            objects=_municipalities,
            documents=_municipality_documents,
        )
    )
    search_source_register(
        SearchSource(
            type="partnership",
            label=_("Partnership"),
            label_plural=_("Partnerships"),
            model=Partnership,
            objects=_partnerships,
            documents=_partnership_documents,
        )
    )
    search_source_register(
        SearchSource(
            type="programme",
            label=_("Programme"),
            label_plural=_("Programmes"),
            model=Programme,
            objects=Programme.objects.all,
            documents=_programme_documents,
        )
    )
    facet_kind_register(FacetKind("theme", _("Theme"), _theme_names))
    facet_kind_register(FacetKind("country", _("Country"), _country_names))
    for model in (Municipality, Partnership, Programme):
        post_save.connect(
            lambda sender, instance, raw=False, **kw: raw or search_object_changed(instance),
            sender=model,
            weak=False,
            dispatch_uid=f"registry-search-{model.__name__}",
        )
        post_delete.connect(
            lambda sender, instance, **kw: search_object_deleted(instance),
            sender=model,
            weak=False,
            dispatch_uid=f"registry-search-delete-{model.__name__}",
        )
    post_save.connect(
        _partnerships_of_municipality,
        sender=Municipality,
        dispatch_uid="registry-search-municipality-partnerships",
    )
    m2m_changed.connect(
        _themes_changed,
        sender=Partnership.themes.through,
        dispatch_uid="registry-search-partnership-themes",
    )


def search_registry_rebuild() -> dict[str, int]:
    """After an import that changed places throughout (bulk writes send no signals):
    municipalities and partnerships anew."""
    return {
        type_: search_source_rebuild(source=search_source(type_))
        for type_ in ("municipality", "partnership")
    }


def search_registry_add(*, municipalities: Iterable[int], partnerships: Iterable[int]) -> dict:
    """After an import that only added rows (bulk writes send no signals): their documents,
    the rest of the index as it was (a municipality's document does not name its partners)."""
    return {
        "municipality": search_rows_sync(source=search_source("municipality"), pks=municipalities),
        "partnership": search_rows_sync(source=search_source("partnership"), pks=partnerships),
    }
