"""Public pages show coarse availability, never the exact number of seats left (which
would reveal whether a phone number was already signed up)."""

import pytest
from django.urls import reverse

from trainings.models import RegistrationStatus

from .factories import consenting, make_training, seat

pytestmark = pytest.mark.django_db


def page(client, training):
    client.cookies["defensa_language"] = "en"
    return client.get(
        reverse(
            "trainings_public:training",
            kwargs={"committee_slug": training.committee.slug, "public_training_id": training.pk},
        )
    ).content.decode()


@pytest.mark.parametrize(
    ("capacity", "taken", "shown"),
    [
        (10, 1, "Seats available"),
        (10, 7, "Only a few seats left"),
        (10, 9, "Only a few seats left"),
        (2, 2, "Full: you can join the waitlist"),
    ],
)
def test_public_page_shows_coarse_availability(committee, client, capacity, taken, shown):
    training = make_training(committee, capacity=capacity)
    for _ in range(taken):
        seat(training, consenting(committee), status=RegistrationStatus.REGISTERED)
    body = page(client, training)
    assert shown in body
    assert "seats left" not in body.replace("Only a few seats left", "")
    assert "seat left" not in body


def test_public_calendar_shows_no_count(committee, client):
    training = make_training(committee, capacity=10)
    seat(training, consenting(committee))
    client.cookies["defensa_language"] = "en"
    body = client.get(
        reverse("trainings_public:calendar", kwargs={"committee_slug": committee.slug})
    ).content.decode()
    assert "9 seats left" not in body
    assert "Seats available" in body
