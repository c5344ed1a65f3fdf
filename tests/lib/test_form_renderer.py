"""The Python-built inputs, labels and empty error lists are Django's templates' markup,
byte for byte."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from lib.form_renderer import FastTemplatesRenderer


class Everything(forms.Form):
    name = forms.CharField(
        label="Name & <b>surname</b>",
        max_length=80,
        help_text="As people call you",
        widget=forms.TextInput(
            attrs={"autocomplete": "name", "placeholder": gettext_lazy("e.g. Ana")}
        ),
    )
    email = forms.EmailField(required=False, label=mark_safe("E<i>mail</i>"))
    phone = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"inputmode": "tel", "data-x": '"q"&'})
    )
    count = forms.IntegerField(min_value=0, initial=1234)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    consent = forms.BooleanField(
        required=False, widget=forms.CheckboxInput(attrs={"disabled": False})
    )
    hidden = forms.CharField(widget=forms.HiddenInput, initial=mark_safe("<safe>"))
    url = forms.URLField(required=False, label="", assume_scheme="https")
    choice = forms.ChoiceField(choices=[("a", "A & B"), ("b", "B")])
    grouped = forms.ChoiceField(
        required=False,
        choices=[("", "---"), ("Group <1>", [(1, 1234), (2, gettext_lazy("Spanish"))]), (3, 3.5)],
        widget=forms.Select(attrs={"class": "wide"}),
    )
    many = forms.MultipleChoiceField(required=False, choices=[("x", "X"), ("y", "Y")])


CASES = [
    None,
    {},
    {
        "name": 'Ana "<script>" & co',
        "email": "not an email",
        "count": "-5",
        "secret": "p&ss",
        "when": "2026-01-02",
        "consent": "on",
        "hidden": "x'y",
        "grouped": "2",
        "many": ["x", "y"],
        "choice": "b",
    },
]


@pytest.mark.parametrize("data", CASES)
@pytest.mark.parametrize("language", ["en", "es"])
def test_same_markup_as_djangos_templates(data, language, settings):
    from django.utils import translation

    with translation.override(language):
        fast = Everything(
            data, renderer=FastTemplatesRenderer(), initial={"when": datetime.date(2026, 3, 4)}
        )
        slow = Everything(
            data, renderer=DjangoTemplates(), initial={"when": datetime.date(2026, 3, 4)}
        )
        if data is not None:
            fast.is_valid()
            slow.is_valid()
        for fast_field, slow_field in zip(fast, slow, strict=True):
            assert str(fast_field) == str(slow_field)
            assert fast_field.label_tag() == slow_field.label_tag()
            assert fast_field.label_tag(
                attrs={"class": "x", "hidden": True}
            ) == slow_field.label_tag(attrs={"class": "x", "hidden": True})
            assert fast_field.legend_tag() == slow_field.legend_tag()
            assert str(fast_field.errors) == str(slow_field.errors)
        assert str(fast) == str(slow)
        assert str(fast.non_field_errors()) == str(slow.non_field_errors())


def test_the_project_uses_it(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "lib.form_renderer.FastTemplatesRenderer"
    get_default_renderer.cache_clear()
    assert isinstance(get_default_renderer(), FastTemplatesRenderer)


def test_inputs_labels_and_empty_errors_render_no_template(monkeypatch):
    renderer = FastTemplatesRenderer()
    form = Everything(renderer=renderer)
    names = ("name", "email", "count", "secret", "when", "consent", "hidden", "url")
    for name in names:  # finds each template once
        str(form[name]), form[name].label_tag(), str(form[name].errors)

    def no_template(name):
        raise AssertionError(f"rendered {name}")

    monkeypatch.setattr(renderer, "get_template", no_template)
    for name in names:
        assert str(form[name]).startswith("<input ")
        assert form[name].label_tag().startswith("<label ")
        assert str(form[name].errors) == ""


def test_selects_render_no_template(monkeypatch):
    renderer = FastTemplatesRenderer()
    form = Everything({"grouped": "1", "many": ["y"]}, renderer=renderer)
    names = ("choice", "grouped", "many")
    for name in names:
        str(form[name])

    def no_template(name):
        raise AssertionError(f"rendered {name}")

    monkeypatch.setattr(renderer, "get_template", no_template)
    for name in names:
        assert str(form[name]).startswith("<select ")
