from django import template
from django.utils.html import format_html, format_html_join
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


def _status_badge(person) -> str:
    css = f" status-{person.status}" if person.status else ""
    return format_html('<span class="badge{}">{}</span>', css, person.status_label)


@register.simple_tag
def directory_lines(page):
    """A phone: one line per person."""
    trained = format_html(' <span class="badge ok">{}</span>', _("Trained"))
    if not page.object_list:
        return format_html("<li>{}</li>", _("No one matches."))
    return format_html_join(
        "\n",
        '<li><a href="{}" class="person-name">{}</a> {}{} '
        '<small class="muted person-meta">{}</small></li>',
        (
            (
                person.url,
                person.preferred_name,
                _status_badge(person),
                trained if person.trained else "",
                person.details,
            )
            for person in page.object_list
        ),
    )


@register.simple_tag
def directory_table_rows(page, show_contact):
    """A laptop: a table row per person, with phone and email when they are shown."""
    if not page.object_list:
        return format_html(
            '<tr><td colspan="{}">{}</td></tr>', 8 if show_contact else 6, _("No one matches.")
        )
    trained = format_html(' <span class="badge ok">{}</span>', _("Trained"))
    rows = []
    for person in page.object_list:
        contact = ""
        if show_contact:
            phone_link = (
                format_html('<a href="tel:{}">{}</a>', person.phone, person.phone)
                if person.phone
                else ""
            )
            contact = format_html(
                '<td class="nowrap">{}</td><td class="wrap">{}</td>', phone_link, person.email
            )
        roles = (
            format_html(' <small class="muted">{}</small>', person.roles) if person.roles else ""
        )
        rows.append(
            (
                person.pk,
                _("Tick %(name)s") % {"name": person.preferred_name},
                person.url,
                person.preferred_name,
                trained if person.trained else "",
                contact,
                person.languages,
                person.zones,
                person.skills,
                _status_badge(person),
                roles,
            )
        )
    return format_html_join(
        "\n",
        '<tr><td><input type="checkbox" name="person" value="{}" aria-label="{}"></td>'
        '<td><a href="{}" class="person-name">{}</a>{}</td>{}'
        "<td>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>",
        rows,
    )
