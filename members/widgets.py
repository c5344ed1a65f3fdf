"""Widgets and fields for the directory's filters, which render on every search."""

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A <select> written in Python rather than through one template per option.

    The directory's filters render about eighty options on every search: through the
    template engine they took a third of the page's time. The markup is Django's own
    (the same attributes, the first matching option selected); optgroups are not
    supported, and none of the filters has any.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = []
        for choice_value, label in self.choices:
            choice_value = "" if choice_value is None else str(choice_value)
            chosen = choice_value in selected
            if chosen:  # a single select marks only the first match
                selected = set()
            options.append(
                f'\n  <option value="{escape(choice_value)}"{" selected" if chosen else ""}>'
                f"{escape(label)}</option>"
            )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return mark_safe(  # noqa: S308 (every value above is escaped)
            f'<select name="{escape(name)}"{flatatt(final_attrs)}>{"".join(options)}\n</select>'
        )


class _ListedChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """Choices read with one ordinary query.

    Django reads model choices through `QuerySet.iterator()`, which on PostgreSQL is a
    server-side cursor: three round trips (DECLARE, FETCH, CLOSE) for a dozen zones.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset:
            yield self.choice(obj)


class _ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _ListedChoiceIterator


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A model choice filter whose choices cost one query (see _ListedChoiceIterator)."""

    field_class = _ListedModelChoiceField
