"""Template helpers of the funding pages."""

from decimal import Decimal

from django import template

from ..application_pdf import exchange_rate_text

register = template.Library()


@register.filter
def exchange_rate(value: Decimal | None) -> str:
    """An exchange rate with all its significant digits, in the reader's locale: 0,00065."""
    return exchange_rate_text(value)
