"""Confirm before the irreversible: cancelling a training, giving up a seat (member and
public), suspending, erasing and sending a group message each need a second, explicit
step that says what will happen and to how many; a single POST changes nothing."""

import pytest
from django.urls import reverse

from committees.access import load_viewer
from committees.roles import MembershipStatus
from members.consent import Purpose
from notifications import services as outbox
from notifications.models import Broadcast, Message
from trainings.links import registration_token
from trainings.models import Registration, RegistrationStatus

from .factories import PersonFactory
from .notifications.conftest import bulk_consenting_people
from .trainings.factories import consenting, make_training, seat

pytestmark = pytest.mark.django_db


def test_cancelling_a_training_asks_first_says_how_many_and_puts_the_reason_in_the_text(
    committee, coordinator, client_for, django_capture_on_commit_callbacks
):
    training = make_training(committee)
    people = [consenting(committee, language="en") for _ in range(3)]
    for person in people:
        seat(training, person)
    client = client_for(coordinator)
    url = reverse("trainings:cancel", args=[training.pk])

    page = client.post(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "3 people with a seat, an offer or a waitlist place get a message" in text
    assert 'name="reason"' in text
    training.refresh_from_db()
    assert training.cancelled_at is None and not Message.objects.exists()

    # Confirmed but without a reason: still nothing.
    assert client.post(url, {"confirm": "yes"}).status_code == 400
    training.refresh_from_db()
    assert training.cancelled_at is None

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "yes", "reason": "The trainer is ill"})
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.cancelled_at and training.cancellation_reason == "The trainer is ill"
    bodies = Message.objects.filter(template="trainings_cancelled").values_list("body", flat=True)
    assert len(bodies) == 3 and all("Reason: The trainer is ill" in body for body in bodies)


def test_member_giving_up_a_seat_is_asked_first_and_can_sign_up_again(
    committee, vetted_member, client_for
):
    training = make_training(committee, visibility="members")
    registration = seat(training, vetted_member.person)
    client = client_for(vetted_member)
    url = reverse("trainings:cancel_mine", args=[training.pk])

    page = client.post(url)
    assert page.status_code == 200 and "Give up your place?" in page.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED

    client.post(url, {"confirm": "yes"})
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    detail = client.get(reverse("trainings:detail", args=[training.pk])).content.decode()
    assert reverse("trainings:sign_up", args=[training.pk]) in detail
    client.post(reverse("trainings:sign_up", args=[training.pk]))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED


def test_public_giving_up_a_seat_is_asked_first_and_offers_signing_up_again(committee, client):
    training = make_training(committee)
    registration = seat(training, consenting(committee, language="en"))
    token = registration_token(registration)
    client.cookies["defensa_language"] = "en"
    url = reverse("trainings_public:cancel", args=[token])

    page = client.post(url)
    assert page.status_code == 200 and "Yes, give up my place" in page.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED

    response = client.post(url, {"confirm": "yes"}, follow=True)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    again = reverse("trainings_public:training", args=[committee.slug, training.pk])
    assert again in response.content.decode() and "Sign up again" in response.content.decode()


def test_suspending_is_asked_first(coordinator, vetted_member, client_for):
    url = reverse("committees:membership_suspend", args=[vetted_member.pk])
    page = client_for(coordinator).post(url)
    assert page.status_code == 200
    assert "signed out of every device" in page.content.decode()
    vetted_member.refresh_from_db()
    assert vetted_member.status == MembershipStatus.VETTED
    client_for(coordinator).post(url, {"confirm": "yes"})
    vetted_member.refresh_from_db()
    assert vetted_member.status == MembershipStatus.SUSPENDED


def test_erasing_is_asked_first(committee, coordinator, client_for):
    person = PersonFactory(committee=committee, preferred_name="Inés")
    url = reverse("members:person_erase", args=[person.pk])
    page = client_for(coordinator).post(url)
    assert page.status_code == 200 and "cannot be undone" in page.content.decode()
    person.refresh_from_db()
    assert person.erased_at is None and person.preferred_name == "Inés"
    client_for(coordinator).post(url, {"confirm": "yes"})
    person.refresh_from_db()
    assert person.erased_at is not None


def test_sending_a_group_message_is_asked_first(
    committee, coordinator, client_for, django_capture_on_commit_callbacks
):
    bulk_consenting_people(committee, 4)
    broadcast = outbox.broadcast_draft(
        actor=load_viewer(coordinator.person.user),
        channel="sms",
        purpose=Purpose.REMINDERS,
        text_en="Meeting at 6.",
        text_es="Reunión a las 6.",
        recipient_filter={},
    )
    client = client_for(coordinator)
    detail = client.get(reverse("notifications:broadcast_detail", args=[broadcast.pk]))
    assert "Send to 4 people" in detail.content.decode()
    send = reverse("notifications:broadcast_send", args=[broadcast.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(send)
    broadcast.refresh_from_db()
    assert broadcast.state == Broadcast.State.DRAFT and not Message.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(send, {"confirm": "yes"})
    assert Message.objects.filter(broadcast=broadcast).count() == 4


def test_cancel_training_page_is_a_404_for_an_outsider(committee, outsider, client_for):
    training = make_training(committee)
    response = client_for(outsider).post(reverse("trainings:cancel", args=[training.pk]))
    assert response.status_code == 404
    assert not Registration.objects.exists()
