"""Must show 4 end to end: the day-before SMS goes out, and the replies "2" and "1" come
back through the signed /sms/inbound/ webhook, as Twilio would post them."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from freezegun import freeze_time

from notifications.backends import locmem
from notifications.models import InboundMessage
from trainings import services
from trainings.models import Registration, RegistrationStatus

from ..notifications.conftest import COMMITTEE_NUMBER, inbound_params, signed_post
from .factories import consenting, make_training

pytestmark = pytest.mark.django_db

LA = ZoneInfo("America/Los_Angeles")
STARTS = datetime(2026, 11, 26, 18, 0, tzinfo=LA)
DAY_BEFORE = STARTS - timedelta(hours=23, minutes=55)


def text_in(person, body, capture, **kwargs):
    with capture(execute=True):
        return signed_post(
            Client(),
            "/sms/inbound/",
            inbound_params(from_number=str(person.phone), body=body),
            **kwargs,
        )


def texts_to(person):
    return [sms.body for sms in locmem.outbox if sms.to == str(person.phone)]


def test_reply_2_then_1_through_the_webhook_moves_the_seat(
    committee, django_capture_on_commit_callbacks
):
    committee.sms_number = COMMITTEE_NUMBER
    committee.save()
    with freeze_time(STARTS - timedelta(days=3)):
        training = make_training(committee, starts_at=STARTS, capacity=1)
        seated, waiting = consenting(committee, language="es"), consenting(committee, language="en")
        services.registration_sign_up(training=training, person=seated)
        services.registration_sign_up(training=training, person=waiting)
    locmem.outbox.clear()
    with freeze_time(DAY_BEFORE), django_capture_on_commit_callbacks(execute=True):
        services.reminders_send()
    [reminder] = texts_to(seated)
    assert "Responda 1" in reminder and "2" in reminder
    assert texts_to(waiting) == []  # waiting: no day-before reminder

    # A forged request changes nothing.
    with freeze_time(DAY_BEFORE + timedelta(minutes=4)):
        forged = signed_post(
            Client(),
            "/sms/inbound/",
            inbound_params(from_number=str(seated.phone), body="2"),
            signature="not-a-signature",
        )
    assert forged.status_code == 403
    assert Registration.objects.get(training=training, person=seated).status == "registered"

    # "2" from the seated person: cancelled, thanked in Spanish, seat offered to the waitlist.
    locmem.outbox.clear()
    with freeze_time(DAY_BEFORE + timedelta(minutes=5)):
        response = text_in(seated, " 2.", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert Registration.objects.get(training=training, person=seated).status == "cancelled"
    [thanks] = texts_to(seated)
    assert "Gracias por avisarnos" in thanks
    [offer] = texts_to(waiting)
    assert "Reply 1 to take it" in offer
    assert Registration.objects.get(training=training, person=waiting).status == (
        RegistrationStatus.OFFERED
    )

    # "1" from the waitlisted person takes the seat.
    locmem.outbox.clear()
    with freeze_time(DAY_BEFORE + timedelta(minutes=20)):
        response = text_in(waiting, "1", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert Registration.objects.get(training=training, person=waiting).status == (
        RegistrationStatus.REGISTERED
    )
    [taken] = texts_to(waiting)  # one text: the seat confirmation with date, place, link
    assert taken.startswith('Eastside Defense: you have a seat at "Know Your Rights"')
    assert InboundMessage.objects.count() == 2  # the forged one was never stored


def test_a_retried_reply_is_handled_once(committee, django_capture_on_commit_callbacks):
    committee.sms_number = COMMITTEE_NUMBER
    committee.save()
    with freeze_time(STARTS - timedelta(days=3)):
        training = make_training(committee, starts_at=STARTS, capacity=5)
        seated = consenting(committee, language="en")
        services.registration_sign_up(training=training, person=seated)
    with freeze_time(DAY_BEFORE), django_capture_on_commit_callbacks(execute=True):
        services.reminders_send()
    locmem.outbox.clear()
    params = inbound_params(from_number=str(seated.phone), body="1", sid="SM" + "7" * 32)
    with freeze_time(DAY_BEFORE + timedelta(minutes=5)):
        for _ in range(2):  # Twilio retries a webhook it thinks failed
            with django_capture_on_commit_callbacks(execute=True):
                assert signed_post(Client(), "/sms/inbound/", params).status_code == 200
    registration = Registration.objects.get(training=training, person=seated)
    assert registration.confirmed_at is not None
    assert len(texts_to(seated)) == 1
