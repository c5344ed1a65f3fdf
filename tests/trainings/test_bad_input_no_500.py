"""Bad input answered kindly, never a 500: a registration link with a huge id, a
training dated 9999-12-31."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from committees.access import load_viewer
from trainings import services
from trainings.links import registration_id_from_token

from .factories import make_training

pytestmark = pytest.mark.django_db


def test_token_with_a_huge_id_is_just_an_invalid_link():
    assert registration_id_from_token("f" * 5000 + "-abc") is None
    assert registration_id_from_token("1" * 17 + "-abc") is None
    assert registration_id_from_token("+ff-abc") is None


def test_registration_page_with_a_huge_id_is_not_found(client):
    token = "f" * 5000 + "-abcdefghijklmnop"
    response = client.get(
        reverse("trainings_public:registration", kwargs={"registration_token": token})
    )
    assert response.status_code == 404


def _form(day):
    return {
        "kind": "know_your_rights",
        "title_es": "Conozca sus derechos",
        "title_en": "",
        "language": "es",
        "day": day,
        "start_time": "18:00",
        "end_time": "20:00",
        "weeks": "1",
        "place_name": "Iglesia",
        "capacity": "25",
        "visibility": "public",
    }


@pytest.mark.parametrize("day", ["9999-12-31", "2001-01-01"])
def test_training_far_in_the_future_or_past_is_refused_with_a_clear_error(
    coordinator, client_for, day
):
    client = client_for(coordinator, language="en")
    response = client.post(reverse("trainings:create"), _form(day))
    assert response.status_code == 400
    assert "Choose a date between yesterday and two years from today." in (
        response.content.decode()
    )
    assert not coordinator.committee.trainings.exists()


def test_training_two_years_ahead_is_accepted_but_not_three(coordinator, client_for):
    client = client_for(coordinator, language="en")
    soon = (timezone.localdate() + timedelta(days=700)).isoformat()
    assert client.post(reverse("trainings:create"), _form(soon)).status_code == 302
    late = (timezone.localdate() + timedelta(days=3 * 365)).isoformat()
    assert client.post(reverse("trainings:create"), _form(late)).status_code == 400


def test_service_refuses_a_start_years_ahead(coordinator, committee):
    starts_at = timezone.now() + timedelta(days=5 * 365)
    with pytest.raises(ValidationError):
        services.training_create(
            actor=load_viewer(coordinator.person.user),
            kind="know_your_rights",
            title_es="X",
            language="es",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            place_name="Iglesia",
            capacity=5,
            visibility="public",
        )


def test_editing_an_old_training_keeps_its_own_date(coordinator, client_for, committee):
    training = make_training(committee, starts_in=timedelta(days=-10))
    from trainings.forms import TrainingForm

    data = {k: v for k, v in TrainingForm.initial_for(training).items() if v is not None}
    form = TrainingForm(
        {**_form(data["day"].isoformat()), "start_time": "18:00", "end_time": "20:00"},
        committee=committee,
        editing=training,
    )
    form.is_valid()
    assert "day" not in form.errors
