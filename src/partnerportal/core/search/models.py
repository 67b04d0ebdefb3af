"""The search documents: one row per searchable thing and language, indexed by Wagtail's
search framework (`WAGTAILSEARCH_BACKENDS`). Their title and body are indexed as German terms
(`analysis`); the row keeps the original text for snippets and the facets for filtering."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelsearch import index

from . import analysis


class AnalysedSearchField(index.SearchField):
    """A search field whose indexed value is its German terms, not its text (see analysis)."""

    def get_value(self, obj):
        # The database backends ask each field's value once per index column, and our own
        # index (fulltext) asks too: analyse once.
        cache = obj.__dict__.setdefault("_analysed", {})
        if self.field_name not in cache:
            cache[self.field_name] = analysis.analyse(super().get_value(obj) or "")
        return cache[self.field_name]


class SearchDocument(index.Indexed, models.Model):
    """What the search finds: a page, a municipality, a partnership, a programme, …

    Written only by `services.search_documents_sync`, from the catalogue of sources.
    """

    source = models.CharField(_("type"), max_length=40)
    object_key = models.CharField(max_length=64)
    #: "" for records that read the same in every language (names); else the page's language.
    language = models.CharField(max_length=10, blank=True)
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=500)
    date = models.DateField(_("date"), null=True, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    #: The services index documents in batches themselves (one task per save would be slow).
    search_auto_update = False

    search_fields = [
        AnalysedSearchField("title"),
        AnalysedSearchField("body"),
        index.FilterField("source"),
        index.FilterField("language"),
        index.FilterField("date"),
    ]

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "object_key", "language"], name="searchdocument_unique_key"
            )
        ]

    def __str__(self) -> str:
        return self.title


class SearchFacet(models.Model):
    """One facet value of a document (a theme id, a country code) to filter and count by."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facets")
    kind = models.CharField(max_length=20)
    value = models.CharField(max_length=60)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "value"], name="searchfacet_kind_value"),
            models.Index(fields=["document", "kind"], name="searchfacet_document_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class SearchTerm(models.Model):
    """Every term in the full-text index, to turn a prefix into the words it begins (see
    `fulltext`)."""

    term = models.CharField(primary_key=True, max_length=255)

    def __str__(self) -> str:
        return self.term
