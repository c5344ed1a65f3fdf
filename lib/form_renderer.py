"""Django's form renderer with the hottest templates written out in Python.

Django renders every input, every label and every (usually empty) error list through a
template: a sign-up form of six fields costs about twenty template renders, 1.5 ms of a
7 ms page. The few templates below are Django's own (django/forms/templates/django/forms)
turned into string building with the same escaping and the same markup, byte for byte
(tests/lib/test_form_renderer.py compares them with the templates). Any other template,
or one this project or an app overrides, is rendered by the template as before.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.template import TemplateDoesNotExist
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime

# Widgets whose template is only `{% include "django/forms/widgets/input.html" %}`.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input checkbox color date datetime email file hidden number password search tel "
        "text time url"
    ).split()
)
ERROR_TEMPLATES = frozenset(
    {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}
)
LABEL_TEMPLATE = "django/forms/label.html"
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _text(value) -> str:
    """`{{ value }}` in an autoescaped template, for the strings these templates show."""
    if isinstance(value, SafeData):
        return str(value)
    return escape(str(value))


def _shown(value) -> str:
    """`{{ value }}` for any value (numbers and dates localized, as a template does)."""
    if isinstance(value, str):
        return _text(value)
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}` (the filter is marked safe: safe input stays so)."""
    text = str(value)  # what "%s" % value gives
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs) -> str:
    """django/forms/widgets/attrs.html and django/forms/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_text(name)}")
        if value is not True:
            out.append(f'="{_formatted(value)}"')
    return "".join(out)


def _input(context) -> str:
    widget = context["widget"]
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value is not None else ""
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _select(context) -> str | None:
    """django/forms/widgets/select.html with select_option.html; None for other options."""
    widget = context["widget"]
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            out.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_shown(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out).strip()


def _label(context) -> str:
    if not context["use_tag"]:
        return _text(context["label"]).strip()
    tag = _text(context["tag"])
    attrs = _attrs(context["attrs"]) if context["attrs"] else ""
    return f"<{tag}{attrs}>{_text(context['label'])}</{tag}>"


class FastTemplatesRenderer(DjangoTemplates):
    """settings.FORM_RENDERER: Django's renderer, with inputs, selects, labels and empty
    error lists built in Python when their templates are Django's own."""

    def __init__(self):
        super().__init__()
        self._own: dict[str, bool] = {}

    def _is_djangos(self, template_name: str) -> bool:
        """The template found for this name is the one Django ships (no override)."""
        if template_name not in self._own:
            try:
                origin = self.get_template(template_name).origin.name
            except TemplateDoesNotExist:
                origin = ""
            self._own[template_name] = origin.replace("\\", "/").endswith(
                "/django/forms/templates/" + template_name
            )
        return self._own[template_name]

    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES and self._is_djangos(template_name):
            if self._is_djangos("django/forms/widgets/input.html") and self._is_djangos(
                "django/forms/widgets/attrs.html"
            ):
                return _input(context)
        elif template_name in ERROR_TEMPLATES and not context["errors"]:
            if self._is_djangos(template_name) and self._is_djangos(
                "django/forms/errors/list/ul.html"
            ):
                return ""
        elif template_name == LABEL_TEMPLATE and self._is_djangos(template_name):
            if self._is_djangos("django/forms/attrs.html"):
                return _label(context)
        elif template_name == SELECT_TEMPLATE and all(
            self._is_djangos(name)
            for name in (SELECT_TEMPLATE, OPTION_TEMPLATE, "django/forms/widgets/attrs.html")
        ):
            html = _select(context)
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
