from django import template
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

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


@register.simple_tag
def manage_rows(page, past):
    """The organizers' list's rows, written in Python: through the template engine, fifty
    rows of a dozen values each were most of the page's time. Each training carries
    `detail_url` (set by the view) and the counts of `selectors.with_counts`."""
    members_only = " · " + _("Members only")
    cancelled = format_html(' <span class="badge state-revoked">{}</span>', _("Cancelled"))
    rows = []
    for training in page:
        attended = (
            format_html(
                '<td>{} <small class="muted">{}</small></td>',
                training.attended_count,
                percent(training.attended_count, training.seats_taken),
            )
            if past
            else ""
        )
        rows.append(
            (
                training.detail_url,
                training.title,
                training_when(training),
                members_only if training.visibility == "members" else "",
                cancelled if training.cancelled_at else "",
                training.seats_taken,
                training.capacity,
                percent(training.seats_taken, training.capacity),
                training.waitlist_count,
                attended,
            )
        )
    if not rows:
        return format_html('<tr><td colspan="4">{}</td></tr>', _("No trainings here."))
    return format_html_join(
        "\n",
        '<tr><td><a href="{}">{}</a><br><small class="muted">{}{}</small>{}</td>'
        '<td>{}/{} <small class="muted">{}</small></td><td>{}</td>{}</tr>',
        rows,
    )
