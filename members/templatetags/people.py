from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

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


# The directory's rows, written in Python: through the template engine the two loops
# (a line per person on a phone, a table row on a laptop) with a translated label per
# row were the largest part of the page. The markup is the same as the template's was.
# Every value is escaped with the standard library's html.escape (what Django's escape
# calls, without its lazy-string wrapper on each of the few hundred values a page).


def _status_badge(person) -> str:
    css = f" status-{escape(person.status)}" if person.status else ""
    return f'<span class="badge{css}">{escape(person.status_label)}</span>'


@register.simple_tag
def directory_lines(page):
    """A phone: one line per person."""
    if not page.object_list:
        return mark_safe(f"<li>{escape(_('No one matches.'))}</li>")  # noqa: S308 (escaped)
    trained = f' <span class="badge ok">{escape(_("Trained"))}</span>'
    lines = [
        f'<li><a href="{escape(person.url)}" class="person-name">'
        f"{escape(person.preferred_name)}</a> {_status_badge(person)}"
        f"{trained if person.trained else ''} "
        f'<small class="muted person-meta">{escape(person.details)}</small></li>'
        for person in page.object_list
    ]
    return mark_safe("\n".join(lines))  # noqa: S308 (every value escaped above)


@register.simple_tag
def directory_table_rows(page, show_contact):
    """A laptop: a table row per person, with phone and email when they are shown."""
    if not page.object_list:
        columns = 8 if show_contact else 6
        return mark_safe(  # noqa: S308 (escaped)
            f'<tr><td colspan="{columns}">{escape(_("No one matches."))}</td></tr>'
        )
    trained = f' <span class="badge ok">{escape(_("Trained"))}</span>'
    tick = _("Tick %(name)s")
    rows = []
    for person in page.object_list:
        contact = ""
        if show_contact:
            phone = escape(person.phone)
            link = f'<a href="tel:{phone}">{phone}</a>' if person.phone else ""
            contact = f'<td class="nowrap">{link}</td><td class="wrap">{escape(person.email)}</td>'
        roles = f' <small class="muted">{escape(person.roles)}</small>' if person.roles else ""
        name = escape(person.preferred_name)
        label = escape(tick % {"name": person.preferred_name})
        rows.append(
            f'<tr><td><input type="checkbox" name="person" value="{int(person.pk)}" '
            f'aria-label="{label}"></td>'
            f'<td><a href="{escape(person.url)}" class="person-name">{name}</a>'
            f"{trained if person.trained else ''}</td>{contact}"
            f"<td>{escape(person.languages)}</td><td>{escape(person.zones)}</td>"
            f"<td>{escape(person.skills)}</td><td>{_status_badge(person)}{roles}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 (every value escaped above)
