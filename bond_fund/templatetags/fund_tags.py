from django import template

from ..services.money import money as format_money

register = template.Library()


@register.filter
def money(cents):
    """1500_00 -> "$1,500.00", in English and in Spanish alike (U.S. usage)."""
    return format_money(cents)


@register.filter
def percent_of(part, whole):
    if not whole:
        return 0
    return max(0, min(100, round(100 * (part or 0) / whole)))
