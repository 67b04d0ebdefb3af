"""{% page_meta as meta %}: the head's metadata of the Wagtail page being shown (None on pages
that are not Wagtail pages: views of the registry, the atlas, accounts)."""

from django import template
from wagtail.models import Page

from partnerportal.content.feeds import feed_links
from partnerportal.content.metadata import page_meta as build_page_meta

register = template.Library()


@register.simple_tag(takes_context=True)
def page_meta(context: template.Context):
    page = context.get("page")
    request = context.get("request")
    if request is None or not isinstance(page, Page):
        return None
    return build_page_meta(request, page)


@register.simple_tag
def news_feeds() -> list[dict[str, str]]:
    """The news feeds (RSS, Atom) in the active language, for visible links."""
    return feed_links()
