"""Spanish forms round-trip: date and time inputs render ISO values in every language.

`<input type="date">` takes only 2026-12-08; Spanish formats rendered 08/12/2026, which
the browser dropped, and saving a training in Spanish said "Fecha: Este campo es
obligatorio". The fix is at the root (settings.FORMAT_MODULE_PATH, config/formats)."""

import importlib
import inspect
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from .helpers import form_values
from .trainings.factories import make_training

SAMPLES = {
    forms.DateTimeField: (datetime(2026, 12, 8, 18, 30), r"2026-12-08T18:30"),
    forms.DateField: (date(2026, 12, 8), r"2026-12-08"),
    forms.TimeField: (time(18, 30), r"18:30(:00)?"),
}


def project_forms():
    """Every form class in the project's apps' `forms` modules (new apps included)."""
    found = []
    for app in apps.get_app_configs():
        if not app.path.startswith(str(settings.BASE_DIR)):
            continue
        try:
            module = importlib.import_module(f"{app.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found.append(value)
    return found


def date_and_time_fields():
    for form_class in project_forms():
        for name, field in form_class.base_fields.items():
            for kind, (value, pattern) in SAMPLES.items():
                if isinstance(field, kind):
                    yield (
                        f"{form_class.__module__}.{form_class.__name__}.{name}",
                        field,
                        value,
                        pattern,
                    )
                    break


def spanish(membership, client_for):
    """A coordinator whose saved language is Spanish (it wins over the cookie)."""
    user = membership.person.user
    user.language = "es"
    user.save(update_fields=["language"])
    return client_for(membership, language="es")


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_date_and_time_input_renders_an_iso_value(language):
    checked = []
    for where, field, value, pattern in date_and_time_fields():
        with translation.override(language):
            html = field.widget.render("x", value)
        rendered = re.search(r'value="([^"]*)"', html).group(1)
        assert re.fullmatch(pattern, rendered), f"{where} renders {rendered!r} in {language}"
        checked.append(where)
    assert "trainings.forms.TrainingForm.day" in checked  # the walk finds the forms


@pytest.mark.parametrize("language", ["en", "es"])
def test_dates_typed_the_local_way_are_still_understood(language):
    with translation.override(language):
        assert forms.DateField().clean("2026-12-08") == date(2026, 12, 8)
    with translation.override("es"):
        assert forms.DateField().clean("08/12/2026") == date(2026, 12, 8)


def test_a_training_edited_in_spanish_saves_unchanged_and_with_a_new_date(coordinator, client_for):
    committee = coordinator.committee
    starts_at = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    training = make_training(committee, starts_at=starts_at)
    client = spanish(coordinator, client_for)
    url = reverse("trainings:edit", args=[training.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'lang="es"' in page.content.decode()
    sent = form_values(page.content.decode(), "")
    local = training.starts_at.astimezone(ZoneInfo(committee.timezone))
    assert sent["day"] == [local.date().isoformat()]
    assert sent["start_time"] == [local.strftime("%H:%M")]

    # Sent back exactly as the browser shows it: saved, nothing changed.
    response = client.post(url, {k: v for k, v in sent.items()})
    assert response.status_code == 302, response.context["form"].errors
    before = training.starts_at
    training.refresh_from_db()
    assert training.starts_at == before

    # A new date (what the browser's date picker sends) is saved.
    sent["day"] = [(local.date() + timedelta(days=7)).isoformat()]
    response = client.post(url, sent)
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.starts_at == before + timedelta(days=7)


def test_a_training_created_in_spanish_round_trips_through_its_own_form(coordinator, client_for):
    client = spanish(coordinator, client_for)
    url = reverse("trainings:create")
    sent = form_values(client.get(url).content.decode(), "")
    day = (date.today() + timedelta(days=14)).isoformat()
    sent.update(day=[day], start_time=["18:00"], end_time=["20:00"], capacity=["20"])
    sent.update(title_es=["Taller"], place_name=["Casa del Pueblo"])
    response = client.post(url, sent)
    assert response.status_code == 302, response.context["form"].errors
    created = client.get(response["Location"])
    edit = reverse("trainings:edit", args=[created.context["training"].pk])
    again = form_values(client.get(edit).content.decode(), "")
    assert again["day"] == [day] and again["start_time"] == ["18:00"]
