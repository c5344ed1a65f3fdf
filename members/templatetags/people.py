from django import template

from .. import availability
from ..phones import display_phone

register = template.Library()


@register.filter
def phone(value):
    """(213) 555-0142 for a US number in E.164, the international form otherwise."""
    return display_phone(value)


@register.filter
def available_days(mask):
    """[(weekday, [parts])] for the days someone is available."""
    return availability.describe(mask or 0)
