"""What every page's layout needs from content: the links to the legal pages in the footer."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import legal_page_links


def legal_links(request: HttpRequest) -> dict:
    return {"legal_links": SimpleLazyObject(lambda: legal_page_links(request))}
