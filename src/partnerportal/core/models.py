"""Core's models: the search documents (see core.search)."""

from .search.models import SearchDocument, SearchFacet, SearchTerm

__all__ = ["SearchDocument", "SearchFacet", "SearchTerm"]
