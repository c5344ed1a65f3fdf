from django import template
from django.utils import translation

from lib.dates import format_time, format_when

register = template.Library()


@register.simple_tag
def training_when(training):
    """'martes 3 de marzo, 18:00–20:00' in the page's language and the committee's zone."""
    language = translation.get_language() or "en"
    start = format_when(training.starts_at, training.committee, language)
    end = format_time(training.ends_at, training.committee, language)
    return f"{start}–{end}"


@register.filter
def percent(part, whole):
    """Whole-number percentage, or an empty string when there is nothing to divide by."""
    try:
        return f"{round(100 * part / whole)}%" if whole else ""
    except (TypeError, ValueError):
        return ""
