"""A place cannot be given up once the training has started; the answer is kind."""

from datetime import timedelta

import pytest
from django.urls import reverse

from trainings import services
from trainings.links import registration_token
from trainings.models import Registration, RegistrationStatus

from .factories import consenting, make_training, seat

pytestmark = pytest.mark.django_db


def test_service_refuses_to_cancel_after_the_start(committee):
    training = make_training(committee, starts_in=timedelta(minutes=-5))
    registration = seat(training, consenting(committee))
    with pytest.raises(services.CancelRefused):
        services.registration_cancel(registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED


def test_public_cancel_link_after_the_start_changes_nothing(committee, client):
    training = make_training(committee, starts_in=timedelta(minutes=-5))
    registration = seat(training, consenting(committee))
    token = registration_token(registration)
    client.cookies["defensa_language"] = "en"
    response = client.post(
        reverse("trainings_public:cancel", kwargs={"registration_token": token}),
        {"confirm": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert "already started" in response.content.decode()
    assert Registration.objects.get().status == RegistrationStatus.REGISTERED
