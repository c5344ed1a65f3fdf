from django import template

from .. import reasons

register = template.Library()


@register.filter
def reason_label(reason: str) -> str:
    """The stored reason a message was not sent, in words for the reader's language."""
    return reasons.label(reason) if reason else ""
