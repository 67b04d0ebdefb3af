"""What the article, programme and format pages read from the registry and the page tree, for
their templates: {% article_about page as about %}. The reads are content.selectors'; the models
do not import them (the selectors import the models)."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def article_about(context, page) -> selectors.AboutLinks:
    return selectors.article_about(page, context.get("request"))


@register.simple_tag(takes_context=True)
def programme_articles(context, page, limit: int = 5) -> list[selectors.ArticleLink]:
    return selectors.articles_about_programme(
        page.programme_id, locale_id=page.locale_id, request=context.get("request"), limit=limit
    )


@register.simple_tag
def programme_formats(page) -> list:
    return selectors.programme_format_pages(page)


@register.simple_tag(takes_context=True)
def programme_page_url(context, programme_id: int | None) -> str:
    """The programme's page in the reader's language, or "" (one query)."""
    if programme_id is None:
        return ""
    return selectors.programme_page_urls(context.get("request"), [programme_id]).get(
        programme_id, ""
    )
